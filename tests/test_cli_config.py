"""The config file ($XDG_CONFIG_HOME/searchnews/config.toml): index, sources and exclude, their precedence
(--index > $SEARCHNEWS_INDEX > config file > ./index), `searchnews config`, and bad files, on real indexes."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from conftest import write_article

from searchnews.ingest import discover


@pytest.fixture
def home(tmp_path: Path, monkeypatch) -> Path:
    """A working folder and an XDG config home of their own, no $SEARCHNEWS_INDEX."""
    work = tmp_path / "work"
    work.mkdir()
    monkeypatch.chdir(work)
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "xdg"))
    monkeypatch.delenv("SEARCHNEWS_INDEX", raising=False)
    return tmp_path


def _config(home: Path, text: str) -> Path:
    path = home / "xdg" / "searchnews" / "config.toml"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text)
    return path


def _news(folder: Path) -> Path:
    write_article(folder, "ferry.txt", "Ferry back in service", ["The island ferry sails again on Monday."])
    write_article(folder, "drafts/tram.txt", "Tram draft", ["A tram story not yet finished, about the ferry too."])
    write_article(folder, "old-bus.txt", "Bus timetable", ["Buses run late; the ferry does not."])
    return folder


def _settings(run, *args: str, env=None) -> dict:
    result = run("config", "--json", *args, env=env)
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def test_index_precedence_flag_env_config_default(run, home: Path) -> None:
    assert _settings(run)["index"] == {"value": str(home / "work" / "index"), "from": "default", "where": None}
    config = _config(home, 'index = "~/from-config"\n')
    assert _settings(run, env={"HOME": str(home)})["index"] == {
        "value": str(home / "from-config"),
        "from": "config",
        "where": str(config),
    }
    env = {"HOME": str(home), "SEARCHNEWS_INDEX": str(home / "from-env")}
    assert _settings(run, env=env)["index"] == {
        "value": str(home / "from-env"),
        "from": "env",
        "where": "SEARCHNEWS_INDEX",
    }
    flagged = _settings(run, "--index", home / "from-flag", env=env)["index"]
    assert flagged == {"value": str(home / "from-flag"), "from": "flag", "where": "--index"}


def test_the_config_files_index_is_used_by_index_and_search(run, home: Path) -> None:
    news = _news(home / "news")
    _config(home, 'index = "../ix"\n')  # relative to the config file's folder: <home>/xdg/ix
    assert run("index", news).exit_code == 0
    assert (home / "xdg" / "ix" / "CURRENT").is_symlink()
    assert not (home / "work" / "index").exists()
    hits = json.loads(run("search", "ferry", "--json").stdout)
    assert {h["headline"] for h in hits} == {"Ferry back in service", "Tram draft", "Bus timetable"}


def test_sources_and_exclude_from_the_config_file(run, home: Path) -> None:
    news = _news(home / "news")
    config = _config(home, f'sources = ["{news}"]\nexclude = ["drafts/", "old-*.txt"]\n')
    shown = _settings(run)
    assert shown["sources"] == {"value": [str(news)], "from": "config", "where": str(config)}
    assert shown["exclude"] == {"value": ["drafts/", "old-*.txt"], "from": "config", "where": str(config)}
    built = run("index", "--json")  # no paths, none recorded: the config file's sources
    assert built.exit_code == 0, built.output
    assert json.loads(built.stdout)["articles"] == 1
    hits = json.loads(run("search", "ferry", "--json").stdout)
    assert [h["headline"] for h in hits] == ["Ferry back in service"]
    # now the index records its sources, and they are what `index` reads
    assert _settings(run)["sources"] == {
        "value": [str(news)],
        "from": "index",
        "where": str(home / "work" / "index"),
    }
    text = run("config").stdout.splitlines()
    assert text[0] == f"config file: {config}"
    assert text[1] == f"index:   {home / 'work' / 'index'}  (default)"
    assert text[3] == f"exclude: drafts/, old-*.txt  (config file {config})"


def test_exclude_patterns_in_a_walk(tmp_path: Path) -> None:
    news = _news(tmp_path / "news")
    write_article(news, "2021/keep.txt", "Kept", ["Kept."])
    write_article(news, "2021/skip.html", "Skipped", ["Skipped."])

    def found(*patterns: str) -> set[str]:
        return {p.relative_to(news).as_posix() for p in discover([news], patterns) if isinstance(p, Path)}

    everything = {"ferry.txt", "drafts/tram.txt", "old-bus.txt", "2021/keep.txt", "2021/skip.html"}
    assert found() == everything
    assert found("drafts/", "old-*") == everything - {"drafts/tram.txt", "old-bus.txt"}
    assert found("2021/*.html") == everything - {"2021/skip.html"}
    assert found("drafts") == everything - {"drafts/tram.txt"}  # a bare name: file or folder
    assert found("ferry.txt/") == everything  # a trailing slash: folders only
    # a file given by name is read whatever the patterns say
    assert list(discover([news / "old-bus.txt"], ["old-*"])) == [(news / "old-bus.txt").resolve()]


@pytest.mark.parametrize(
    ("text", "line", "reason"),
    [
        ('index = "~/ix"\nsources = [news]\n', 2, "Invalid value"),
        ('index = "~/ix"\n\nexclud = ["*.tmp"]\n', 3, "unknown setting 'exclud' (settings: index, sources, exclude)"),
        ('sources = "~/news"\nexclude = [1, 2]\n', 2, "exclude must be a list of strings"),
        ("index = 3\n", 1, "index must be a path (a string)"),
    ],
)
def test_a_bad_config_file_is_one_line_naming_file_and_line_exit_2(run, home: Path, text, line, reason) -> None:
    config = _config(home, text)
    for command in (["config"], ["search", "ferry"], ["index"]):
        result = run(*command)
        assert result.exit_code == 2, (command, result.output)
        assert result.stderr == f"searchnews: config file {config}, line {line}: {reason}\n"


def test_default_location_without_xdg_config_home(run, home: Path) -> None:
    env = {"XDG_CONFIG_HOME": None, "HOME": str(home)}
    shown = _settings(run, env=env)
    assert shown["config_file"] == {"path": str(home / ".config" / "searchnews" / "config.toml"), "exists": False}
    relative = _settings(run, env={"XDG_CONFIG_HOME": "relative/dir", "HOME": str(home)})  # not absolute: ignored
    assert relative["config_file"]["path"] == str(home / ".config" / "searchnews" / "config.toml")
