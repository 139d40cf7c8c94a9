"""The config command: the settings in force (index, sources, exclude) and where each comes from."""

from __future__ import annotations

import os
from pathlib import Path

import typer

from searchnews.cli.common import IndexOpt, JsonOpt, _print_json, app, example, reports_errors
from searchnews.config import SEEDS_ENV, Setting, default_seeds_dir, exclude_setting, index_setting, load_config


@app.command("config", epilog=example("searchnews config", "searchnews config --json | jq -r .index.value"))
@reports_errors
def config_command(index: IndexOpt = None, as_json: JsonOpt = False) -> None:
    """The settings in force and where each comes from: a flag, the environment, the config file, or the default.

    The config file is $XDG_CONFIG_HOME/searchnews/config.toml (~/.config/searchnews/config.toml): `index` (the
    default index), `sources` (what `index` reads when given no paths and the index records none), `exclude`
    (glob patterns left out of every folder walked: "*.tmp", "drafts/").
    """
    config = load_config()
    chosen = index_setting(index)
    settings = [chosen, _sources_setting(chosen.value), exclude_setting()]
    if as_json:
        _print_json(
            {
                "config_file": {"path": str(config.path), "exists": config.exists},
                **{s.name: {"value": _json_value(s.value), "from": s.origin, "where": s.where} for s in settings},
            }
        )
        return
    typer.echo(f"config file: {config.path}{'' if config.exists else '  (none there)'}")
    for s in settings:
        typer.echo(f"{s.name + ':':<9}{_shown(s.value)}  ({_origin(s)})")


def _sources_setting(index_dir: Path) -> Setting:
    """What `searchnews index` reads when given no paths: the index's recorded sources, else the config file's,
    else the seeds folder (a first build)."""
    from searchnews.engine.store import IndexStore

    recorded = IndexStore(index_dir).sources()
    if recorded:
        return Setting("sources", tuple(Path(p) for p in recorded), "index", str(index_dir.absolute()))
    config = load_config()
    if config.sources:
        return Setting("sources", config.sources, "config", str(config.path))
    if os.environ.get(SEEDS_ENV):
        return Setting("sources", (default_seeds_dir(),), "env", SEEDS_ENV)
    return Setting("sources", (default_seeds_dir(),), "default")


def _json_value(value):
    """Paths as absolute (what a relative one means where the command runs), patterns as written."""
    if isinstance(value, tuple):
        return [_json_value(v) for v in value]
    return str(value.absolute()) if isinstance(value, Path) else str(value)


def _shown(value) -> str:
    if isinstance(value, tuple):
        return ", ".join(_json_value(v) for v in value) or "none"
    return _json_value(value)


def _origin(s: Setting) -> str:
    return {
        "flag": f"flag {s.where}",
        "env": f"${s.where}",
        "config": f"config file {s.where}",
        "index": f"recorded in the index {s.where}",
        "default": "default",
    }[s.origin]
