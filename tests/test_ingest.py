"""Input readers: every format, every kind of bad input, and never an exception for either."""

from __future__ import annotations

import gzip
import json
import os
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from searchnews.errors import InputError
from searchnews.ingest import Failure, Unsupported, discover, read_path
from searchnews.ingest.dates import normalise_date
from searchnews.model import Article

STORY = (
    "Harbour Lights Festival returns to Porthaven\n"
    "\n"
    "The Harbour Lights festival will return to Porthaven this summer after a two-year break,\n"
    "organisers confirmed on Monday.\n"
    "\n"
    "Councillor Ada Brennan said: “We have missed the lanterns on the water.”\n"
    "\n"
    "Tickets go on sale in May.\n"
)


def articles(path: Path, **kwargs) -> list[Article]:
    items = list(read_path(path, **kwargs))
    failures = [item for item in items if isinstance(item, InputError)]
    assert not failures, failures
    return items


def failures(path: Path, **kwargs) -> list[InputError]:
    items = list(read_path(path, **kwargs))
    assert all(isinstance(item, InputError) for item in items), items
    return items


def write_gz(path: Path, data: bytes) -> Path:
    path.write_bytes(gzip.compress(data))
    return path


# --- plain text -----------------------------------------------------------------------------------------------


def test_txt_headline_and_paragraphs(tmp_path):
    path = tmp_path / "festival.txt"
    path.write_text(STORY, encoding="utf-8")
    [article] = articles(path)
    assert article.headline == "Harbour Lights Festival returns to Porthaven"
    assert article.paragraphs == (
        # the single newline inside the first paragraph is joined with a space
        "The Harbour Lights festival will return to Porthaven this summer after a two-year break, "
        "organisers confirmed on Monday.",
        "Councillor Ada Brennan said: “We have missed the lanterns on the water.”",
        "Tickets go on sale in May.",
    )
    assert article.id == article.path == path.as_posix()


def test_txt_with_windows_newlines_and_leading_blank_lines(tmp_path):
    path = tmp_path / "crlf.txt"
    path.write_bytes(("\r\n\r\n" + STORY.replace("\n", "\r\n")).encode())
    [article] = articles(path)
    assert article.headline == "Harbour Lights Festival returns to Porthaven"
    assert len(article.paragraphs) == 3
    assert "\r" not in article.body


def test_txt_gz(tmp_path):
    path = write_gz(tmp_path / "festival.txt.gz", STORY.encode())
    [article] = articles(path)
    assert article.headline == "Harbour Lights Festival returns to Porthaven"
    assert article.id == path.as_posix()


def test_txt_without_body_is_an_error(tmp_path):
    path = tmp_path / "headline-only.txt"
    path.write_text("Just a headline\n", encoding="utf-8")
    [error] = failures(path)
    assert error.reason == "no body text"


def test_txt_whose_first_line_is_a_paragraph_has_no_headline(tmp_path):
    path = tmp_path / "no-headline.txt"
    long_line = "The ferry timetable changes next month after a review of winter crossings. " * 6
    path.write_text(long_line + "\n\nA second paragraph.\n", encoding="utf-8")
    [article] = articles(path)
    assert article.headline == ""
    assert article.title.startswith("The ferry timetable changes next month")
    assert len(article.paragraphs) == 2


# --- HTML -----------------------------------------------------------------------------------------------------

PAGE = """<!DOCTYPE html>
<html lang="en"><head>
<meta charset="utf-8">
<title>Ferry timetable to change after winter review | Porthaven Post</title>
<meta property="og:title" content="Ferry timetable to change after winter review">
<meta name="author" content="Jo Marsh">
<meta property="article:published_time" content="2023-03-14T09:30:00+00:00">
<meta property="og:site_name" content="Porthaven Post">
<link rel="canonical" href="https://post.example/news/ferry-timetable">
</head><body>
<nav><a href="/">Home</a> <a href="/news">News</a> <a href="/sport">Sport</a></nav>
<div class="cookie-banner">We use cookies to improve your experience. Accept all cookies</div>
<article>
<h1>Ferry timetable to change after winter review</h1>
<p>The ferry timetable between Porthaven and Kestrel Bay will change next month after a review of winter
crossings found that the early sailing was rarely more than a quarter full.</p>
<p>The operator said the first boat would leave at seven instead of six, and that an extra evening sailing
would be added on Fridays and Saturdays during the summer season.</p>
<p>Harbourmaster Tom Reed said: “Most people who travel early are commuters, and they told us seven suits them
better. We listened to them before we changed anything.”</p>
<p>Passengers who have already bought season tickets for the early sailing can exchange them at the harbour office
without charge until the end of April, the operator added.</p>
<p>Share this article</p>
</article>
<footer>© 2023 Porthaven Post. All rights reserved.</footer>
</body></html>
"""


def test_html_article_with_metadata_and_separate_paragraphs(tmp_path):
    path = tmp_path / "ferry.html"
    path.write_text(PAGE, encoding="utf-8")
    [article] = articles(path)
    assert article.headline == "Ferry timetable to change after winter review"
    assert article.date == "2023-03-14"
    assert article.author == "Jo Marsh"
    assert article.url == "https://post.example/news/ferry-timetable"
    assert article.source == "Porthaven Post"
    assert len(article.paragraphs) == 4
    assert article.paragraphs[0].startswith("The ferry timetable between Porthaven and Kestrel Bay")
    assert article.paragraphs[2].startswith("Harbourmaster Tom Reed said:")
    assert "Share this article" not in article.body
    assert "cookies" not in article.body


def test_html_gz(tmp_path):
    path = write_gz(tmp_path / "ferry.htm.gz", PAGE.encode())
    [article] = articles(path)
    assert article.headline == "Ferry timetable to change after winter review"


def test_html_without_article_text(tmp_path):
    path = tmp_path / "menu.html"
    path.write_text("<html><body><nav><a href='/'>Home</a></nav></body></html>", encoding="utf-8")
    [error] = failures(path)
    assert error.reason == "no article text found"


# --- JSON and JSON Lines --------------------------------------------------------------------------------------


def record(**fields) -> dict:
    return {"headline": "Library opens on Sundays", "body": "The library will open on Sundays.", **fields}


def test_json_object(tmp_path):
    path = tmp_path / "one.json"
    path.write_text(
        json.dumps(
            {
                "title": "Library opens on Sundays",
                "text": "The library will open on Sundays.\r\n\r\nThe reading room opens in June.",
                "url": "https://example.org/library",
                "published": "13 July 2021",
                "outlet": "Oakridge Gazette",
                "authors": ["Sam Lee", "Ana Ruiz"],
            }
        ),
        encoding="utf-8",
    )
    [article] = articles(path)
    assert article.id == path.as_posix()
    assert article.headline == "Library opens on Sundays"
    assert article.paragraphs == ("The library will open on Sundays.", "The reading room opens in June.")
    assert article.date == "2021-07-13"
    assert article.source == "Oakridge Gazette"
    assert article.author == "Sam Lee, Ana Ruiz"
    assert article.url == "https://example.org/library"


def test_json_array_ids_by_index_unless_given(tmp_path):
    path = tmp_path / "many.json"
    path.write_text(json.dumps([record(), record(id=42), record(body="", headline="")]), encoding="utf-8")
    items = list(read_path(path))
    assert [item.id for item in items[:2]] == [f"{path.as_posix()}#0", "42"]
    assert isinstance(items[2], InputError) and "neither headline nor body" in items[2].reason


def test_json_headline_only_record_is_an_article(tmp_path):
    """Feeds list live pages and galleries with a headline and no body: they stay findable by headline."""
    path = tmp_path / "feed.jsonl"
    path.write_text(json.dumps(record(id="live", body="", headline="Live: the cup final")) + "\n", encoding="utf-8")
    [article] = articles(path)
    assert (article.id, article.headline, article.body, article.title) == (
        "live",
        "Live: the cup final",
        "",
        "Live: the cup final",
    )


def test_json_body_fields_and_source_aliases(tmp_path):
    path = tmp_path / "aliases.json"
    path.write_text(
        json.dumps(
            [
                {"title": "A", "content": "From content.", "source_domain": "a.example", "date_publish": "2020-01-02"},
                {"title": "B", "maintext": "From maintext.", "source": {"id": "x", "name": "Brackley News"}},
                {"title": "C", "body": ["First paragraph.", "Second paragraph."], "author": "Kim Fox"},
            ]
        ),
        encoding="utf-8",
    )
    first, second, third = articles(path)
    assert (first.body, first.source, first.date) == ("From content.", "a.example", "2020-01-02")
    assert (second.body, second.source) == ("From maintext.", "Brackley News")
    assert third.paragraphs == ("First paragraph.", "Second paragraph.") and third.author == "Kim Fox"


def test_invalid_json_file(tmp_path):
    path = tmp_path / "broken.json"
    path.write_text('{"headline": "x",\n "body": }', encoding="utf-8")
    [error] = failures(path)
    assert error.reason.startswith("invalid JSON") and error.line == 2


def test_jsonl_ids_by_line_and_missing_headline(tmp_path):
    path = tmp_path / "feed.jsonl"
    lines = [json.dumps(record()), "", json.dumps({"body": "No headline here. Second sentence.", "id": "x-1"})]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    first, second = articles(path)
    assert first.id == f"{path.as_posix()}:1"
    assert second.id == "x-1"
    assert second.headline == "" and second.title == "No headline here."


def test_jsonl_gz(tmp_path):
    path = write_gz(tmp_path / "feed.jsonl.gz", b"\n".join(json.dumps(record(id=n)).encode() for n in range(3)))
    assert [article.id for article in articles(path)] == ["0", "1", "2"]


def test_jsonl_bad_line_reports_its_number_and_reading_goes_on(tmp_path):
    path = tmp_path / "feed.jsonl"
    lines = [json.dumps(record(id="a")), '{"headline": "cut off', "[1, 2]", json.dumps({"id": "d", "body": " "})]
    lines.append(json.dumps(record(id="e")))
    path.write_text("\n".join(lines), encoding="utf-8")
    items = list(read_path(path))
    assert [item.id for item in items if isinstance(item, Article)] == ["a", "e"]
    errors = [item for item in items if isinstance(item, InputError)]
    assert [(error.line, error.reason.split(":")[0]) for error in errors] == [
        (2, "invalid JSON"),
        (3, "expected a JSON object, found an array"),
        (4, "no text (neither headline nor body)"),
    ]
    assert str(errors[0]).startswith(f"{path.as_posix()}:2: ")


def test_jsonl_with_a_non_utf8_line(tmp_path):
    path = tmp_path / "mixed.jsonl"
    good = json.dumps(record(id="a")).encode()
    latin = '{"id": "b", "headline": "Café opens", "body": "The café opens at noon."}'.encode("latin-1")
    path.write_bytes(good + b"\n" + latin + b"\n")
    _, second = articles(path)
    assert second.headline == "Café opens"


# --- dates ----------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "iso"),
    [
        ("2021-07-13", "2021-07-13"),
        ("2021-07-13T10:00:00Z", "2021-07-13"),
        ("2021-07-13 10:00:00", "2021-07-13"),
        ("2021/07/13", "2021-07-13"),
        ("20210713", "2021-07-13"),
        ("13 July 2021", "2021-07-13"),
        ("13th July 2021", "2021-07-13"),
        ("July 13, 2021", "2021-07-13"),
        ("Tue, 13 Jul 2021 10:00:00 +0000", "2021-07-13"),
        ("Sept 3 2019", "2019-09-03"),
        (1626170400, "2021-07-13"),
        ("2021-02-30", ""),
        ("yesterday", ""),
        ("", ""),
        (None, ""),
        (True, ""),
    ],
)
def test_normalise_date(raw, iso):
    assert normalise_date(raw) == iso


# --- encodings and damaged files ------------------------------------------------------------------------------


def test_latin1_file(tmp_path):
    path = tmp_path / "latin.txt"
    text = "Café in Saltmere wins award\n\nThe café, run by Zoë Müller, won the regional prize for its crème brûlée."
    path.write_bytes(text.encode("latin-1"))
    [article] = articles(path)
    assert article.headline == "Café in Saltmere wins award"
    assert "Zoë Müller" in article.body and "crème brûlée" in article.body


def test_mostly_utf8_file_with_a_bad_byte_keeps_its_accents(tmp_path):
    path = tmp_path / "bad-byte.txt"
    path.write_bytes("Zoë’s café\n\nThe café opened in Saltmere. ".encode() + b"\xff" + " Crème brûlée.".encode())
    [article] = articles(path)
    assert article.headline == "Zoë’s café"
    assert "\ufffd" in article.body and "Crème brûlée." in article.body


def test_utf8_bom_is_dropped(tmp_path):
    path = tmp_path / "bom.txt"
    path.write_bytes(b"\xef\xbb\xbf" + STORY.encode())
    [article] = articles(path)
    assert article.headline == "Harbour Lights Festival returns to Porthaven"


@pytest.mark.parametrize("name", ["empty.txt", "empty.json", "empty.jsonl", "empty.html"])
def test_empty_file(tmp_path, name):
    path = tmp_path / name
    path.write_text("  \n\n", encoding="utf-8")
    [error] = failures(path)
    assert error.reason == "empty file"


@pytest.mark.parametrize("name", ["image.txt", "image.jsonl", "image.html.gz"])
def test_binary_file(tmp_path, name):
    data = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)) * 4
    path = tmp_path / name
    if name.endswith(".gz"):
        write_gz(path, data)
    else:
        path.write_bytes(data)
    [error] = failures(path)
    assert error.reason == "binary file, not text"


@pytest.mark.parametrize("name", ["cut.txt.gz", "cut.json.gz"])
def test_truncated_gzip(tmp_path, name):
    path = tmp_path / name
    path.write_bytes(gzip.compress(STORY.encode() * 50)[:-30])
    [error] = failures(path)
    assert "gzip" in error.reason


def test_truncated_jsonl_gzip_keeps_what_it_read(tmp_path):
    body = "\n".join(json.dumps(record(id=n, body=f"Article number {n} of many. " * 20)) for n in range(200))
    path = tmp_path / "cut.jsonl.gz"
    path.write_bytes(gzip.compress(body.encode())[:-200])
    items = list(read_path(path))
    assert any(isinstance(item, Article) for item in items)
    assert isinstance(items[-1], InputError) and "gzip" in items[-1].reason


def test_not_gzip_at_all(tmp_path):
    path = tmp_path / "fake.txt.gz"
    path.write_text(STORY, encoding="utf-8")
    [error] = failures(path)
    assert "gzip" in error.reason


def test_file_too_large(tmp_path):
    path = tmp_path / "big.txt"
    path.write_text(STORY * 100, encoding="utf-8")
    [error] = failures(path, max_bytes=1024)
    assert error.reason.startswith("file too large (")


def test_gz_too_large_once_decompressed(tmp_path):
    path = write_gz(tmp_path / "bomb.txt.gz", STORY.encode() * 1000)
    [error] = failures(path, max_bytes=4096)
    assert error.reason.startswith("file too large (")


def test_large_jsonl_is_streamed_not_refused(tmp_path):
    path = tmp_path / "big.jsonl"
    path.write_text("\n".join(json.dumps(record(id=n)) for n in range(100)), encoding="utf-8")
    assert len(articles(path, max_bytes=1024)) == 100


def test_unreadable_file(tmp_path):
    if os.geteuid() == 0:
        pytest.skip("root reads every file")
    path = tmp_path / "secret.txt"
    path.write_text(STORY, encoding="utf-8")
    path.chmod(0)
    [error] = failures(path)
    assert "permission" in error.reason


def test_unreadable_file_even_as_root(tmp_path, monkeypatch):
    from searchnews.ingest import decoding

    def refuse(*args, **kwargs):
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(decoding, "open", refuse, raising=False)
    path = tmp_path / "secret.txt"
    path.write_text(STORY, encoding="utf-8")
    [error] = failures(path)
    assert error.reason == "permission denied"


def test_missing_file_read(tmp_path):
    [error] = failures(tmp_path / "gone.txt")
    assert error.reason == "no such file or directory"


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.binary(max_size=300), suffix=st.sampled_from([".txt", ".json", ".jsonl", ".html", ".txt.gz"]))
def test_arbitrary_bytes_never_raise(tmp_path, data, suffix):
    path = tmp_path / f"fuzz{suffix}"
    path.write_bytes(data)
    for item in read_path(path):
        assert isinstance(item, (Article, InputError))


# --- discovery ------------------------------------------------------------------------------------------------


def make_tree(root: Path) -> None:
    (root / "b").mkdir(parents=True)
    (root / "a.txt").write_text(STORY, encoding="utf-8")
    (root / "b" / "c.jsonl").write_text(json.dumps(record()), encoding="utf-8")
    (root / "b" / "d.HTML").write_text(PAGE, encoding="utf-8")
    (root / "b" / "notes.md").write_text("not news", encoding="utf-8")
    (root / "b" / "photo.png").write_bytes(b"\x89PNG")
    (root / ".git").mkdir()
    (root / ".git" / "x.txt").write_text(STORY, encoding="utf-8")
    (root / ".hidden.txt").write_text(STORY, encoding="utf-8")
    write_gz(root / "e.json.gz", json.dumps(record()).encode())


def test_discover_walks_sorted_and_skips_hidden_and_names_unsupported(tmp_path):
    make_tree(tmp_path / "news")
    root = tmp_path.resolve() / "news"
    found = list(discover([tmp_path / "news"]))
    files = [item.relative_to(root).as_posix() for item in found if isinstance(item, Path)]
    assert files == ["a.txt", "b/c.jsonl", "b/d.HTML", "e.json.gz"]
    unsupported = [item.path for item in found if isinstance(item, Unsupported)]
    assert unsupported == [(root / "b" / "notes.md").as_posix(), (root / "b" / "photo.png").as_posix()]


def test_discover_names_each_file_once_however_its_path_was_typed(tmp_path, monkeypatch):
    make_tree(tmp_path / "news")
    (tmp_path / "link").symlink_to(tmp_path / "news" / "b", target_is_directory=True)
    (tmp_path / "elsewhere").mkdir()
    canonical = [(tmp_path.resolve() / "news" / "b" / name).as_posix() for name in ("c.jsonl", "d.HTML")]
    monkeypatch.chdir(tmp_path)
    by_relative = [p.as_posix() for p in discover(["news/b"]) if isinstance(p, Path)]
    by_link = [p.as_posix() for p in discover(["link"]) if isinstance(p, Path)]
    by_absolute = [p.as_posix() for p in discover([tmp_path / "news" / "b"]) if isinstance(p, Path)]
    monkeypatch.chdir(tmp_path / "elsewhere")
    from_elsewhere = [p.as_posix() for p in discover(["../news/b/./"]) if isinstance(p, Path)]
    assert by_relative == by_link == by_absolute == from_elsewhere == canonical
    [article] = articles(Path(canonical[0]))
    assert article.path == canonical[0] and article.id == canonical[0] + ":1"


def test_discover_named_files_missing_paths_and_unsupported_types(tmp_path):
    (tmp_path / "notes.md").write_text("x", encoding="utf-8")
    (tmp_path / "a.txt").write_text(STORY, encoding="utf-8")
    items = list(discover([tmp_path / "a.txt", tmp_path / "missing.txt", str(tmp_path / "notes.md")]))
    assert items[0] == tmp_path / "a.txt"
    assert isinstance(items[1], InputError) and items[1].reason == "no such file or directory"
    assert isinstance(items[2], Failure) and items[2].reason == "unsupported file type"


def test_discover_yields_each_file_once(tmp_path):
    (tmp_path / "a.txt").write_text(STORY, encoding="utf-8")
    assert list(discover([tmp_path, tmp_path / "a.txt"])) == [tmp_path / "a.txt"]


def test_read_path_refuses_unsupported_type(tmp_path):
    path = tmp_path / "notes.md"
    path.write_text("x", encoding="utf-8")
    [error] = failures(path)
    assert error.reason == "unsupported file type"


def test_symlink_loops_are_reported_not_followed(tmp_path):
    root = tmp_path / "news"
    (root / "sub").mkdir(parents=True)
    (root / "sub" / "a.txt").write_text(STORY, encoding="utf-8")
    (root / "sub" / "back").symlink_to(root, target_is_directory=True)  # directory loop
    (root / "self.txt").symlink_to(root / "self.txt")  # a link to itself
    items = list(discover([root]))
    found = [item for item in items if isinstance(item, Path)]
    problems = {Path(item.path).name: item.reason for item in items if isinstance(item, InputError)}
    assert found == [root / "sub" / "a.txt"]
    assert "loop" in problems["back"] and "loop" in problems["self.txt"]
    [error] = list(discover([root / "self.txt"]))
    assert isinstance(error, InputError) and "loop" in error.reason


def test_dangling_symlink(tmp_path):
    (tmp_path / "gone.txt").symlink_to(tmp_path / "nowhere.txt")
    (tmp_path / "gone.png").symlink_to(tmp_path / "nowhere.png")
    [error] = list(discover([tmp_path]))
    assert isinstance(error, InputError) and error.reason == "broken symbolic link"


def test_unreadable_directory(tmp_path):
    if os.geteuid() == 0:
        pytest.skip("root reads every directory")
    locked = tmp_path / "locked"
    locked.mkdir()
    locked.chmod(0)
    try:
        [error] = list(discover([tmp_path]))
        assert isinstance(error, InputError) and "permission" in error.reason
    finally:
        locked.chmod(0o755)


def test_unreadable_directory_even_as_root(tmp_path, monkeypatch):
    from searchnews.ingest import discovery

    real_scandir = os.scandir
    locked = tmp_path / "locked"
    locked.mkdir()
    (tmp_path / "a.txt").write_text(STORY, encoding="utf-8")

    def scandir(path):
        if Path(path) == locked:
            raise PermissionError(13, "Permission denied")
        return real_scandir(path)

    monkeypatch.setattr(discovery.os, "scandir", scandir)
    items = list(discover([tmp_path]))
    assert items[0] == tmp_path / "a.txt"
    assert isinstance(items[1], InputError) and items[1].reason == "permission denied"
    assert items[1].path == locked.as_posix()


def test_paths_with_spaces_and_non_ascii_names(tmp_path):
    folder = tmp_path / "Noticias del día"
    folder.mkdir()
    path = folder / "café ünïcode 記事.txt"
    path.write_text(STORY, encoding="utf-8")
    [found] = list(discover([folder]))
    assert found == path
    [article] = articles(found)
    assert article.id == article.path == path.as_posix()
