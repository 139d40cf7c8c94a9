"""Where things live: the index, the sources to index, what to leave out; from flags, the environment, the config file.

The config file is ``$XDG_CONFIG_HOME/searchnews/config.toml`` (``~/.config/searchnews/config.toml`` when
XDG_CONFIG_HOME is unset or not absolute, as the XDG rules say)::

    index = "~/news-index"             # the default index, wherever you stand
    sources = ["~/news", "~/feeds"]    # what `searchnews index` reads when given no paths and the index records none
    exclude = ["*.tmp", "drafts/"]     # left out of every folder walked

Paths may start with ``~``; relative paths are relative to the config file's folder. The index is chosen by
``--index``, else ``$SEARCHNEWS_INDEX``, else the config file, else ``./index``.
"""

from __future__ import annotations

import os
import re
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from searchnews.errors import SearchnewsError

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - Python 3.10
    import tomli as tomllib

INDEX_ENV = "SEARCHNEWS_INDEX"
SEEDS_ENV = "SEARCHNEWS_SEEDS"
CONFIG_KEYS = ("index", "sources", "exclude")
DEFAULT_INDEX = "index"


class ConfigError(SearchnewsError):
    """The config file cannot be read or holds a bad setting: exit 2, naming the file and the line."""


@dataclass(frozen=True)
class Config:
    """The config file's settings (None: not set), and where the file is or would be."""

    path: Path
    exists: bool
    index: Path | None = None
    sources: tuple[Path, ...] | None = None
    exclude: tuple[str, ...] | None = None


@dataclass(frozen=True)
class Setting:
    """A setting in force and where it came from: ``origin`` is flag, env, config, index or default; ``where``
    names the flag, the variable, the config file or the index."""

    name: str
    value: Any
    origin: str
    where: str | None = None


def config_path() -> Path:
    """``$XDG_CONFIG_HOME/searchnews/config.toml``, else ``~/.config/searchnews/config.toml``."""
    base = os.environ.get("XDG_CONFIG_HOME", "")
    root = Path(base) if base and os.path.isabs(base) else Path.home() / ".config"
    return root / "searchnews" / "config.toml"


_cache: dict[tuple, Config] = {}


def load_config(path: Path | None = None) -> Config:
    """The config file's settings (read once per file version); a file that is not there sets nothing."""
    path = path or config_path()
    try:
        info = path.stat()
    except FileNotFoundError:
        return Config(path, exists=False)
    except OSError as exc:
        raise ConfigError(f"cannot read config file {path}: {exc.strerror or exc}") from None
    key = (str(path), info.st_mtime_ns, info.st_size)
    if key not in _cache:
        _cache.clear()
        _cache[key] = _read(path)
    return _cache[key]


def _read(path: Path) -> Config:
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc)
        raise ConfigError(f"cannot read config file {path}: {reason}") from None
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        message = str(exc)
        found = re.search(r"\s*\(at line (\d+), column (\d+)\)$", message)
        if found:
            message = message[: found.start()]
            raise ConfigError(f"config file {path}, line {found.group(1)}: {message}") from None
        raise ConfigError(f"config file {path}: {message}") from None
    for key in data:
        if key not in CONFIG_KEYS:
            raise ConfigError(
                f"config file {path}, line {_line_of(text, key)}: unknown setting {key!r} "
                f"(settings: {', '.join(CONFIG_KEYS)})"
            )
    folder = path.parent
    index = data.get("index")
    if index is not None and (not isinstance(index, str) or not index.strip()):
        raise ConfigError(f"config file {path}, line {_line_of(text, 'index')}: index must be a path (a string)")
    sources = _strings(data, "sources", path, text)
    exclude = _strings(data, "exclude", path, text)
    return Config(
        path,
        exists=True,
        index=_path(index, folder) if index is not None else None,
        sources=tuple(_path(s, folder) for s in sources) if sources is not None else None,
        exclude=tuple(exclude) if exclude is not None else None,
    )


def _strings(data: dict[str, Any], key: str, path: Path, text: str) -> list[str] | None:
    value = data.get(key)
    if value is None:
        return None
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
        raise ConfigError(f"config file {path}, line {_line_of(text, key)}: {key} must be a list of strings")
    return value


def _line_of(text: str, key: str) -> int:
    """The line where ``key`` is set (1 when it cannot be told)."""
    found = re.search(rf"^[ \t]*[\"']?{re.escape(key)}[\"']?[ \t]*=", text, re.MULTILINE)
    return text.count("\n", 0, found.start()) + 1 if found else 1


def _path(value: str, folder: Path) -> Path:
    path = Path(value).expanduser()
    return path if path.is_absolute() else folder / path


def index_setting(flag: Path | None = None) -> Setting:
    """The index in force: ``--index``, else ``$SEARCHNEWS_INDEX``, else the config file's, else ``./index``."""
    if flag is not None:
        return Setting("index", flag, "flag", "--index")
    if os.environ.get(INDEX_ENV):
        return Setting("index", Path(os.environ[INDEX_ENV]), "env", INDEX_ENV)
    config = load_config()
    if config.index is not None:
        return Setting("index", config.index, "config", str(config.path))
    return Setting("index", Path(DEFAULT_INDEX), "default")


def default_index_dir() -> Path:
    """``$SEARCHNEWS_INDEX``, else the config file's index, else ``./index``."""
    return index_setting().value


def exclude_setting() -> Setting:
    config = load_config()
    if config.exclude is not None:
        return Setting("exclude", config.exclude, "config", str(config.path))
    return Setting("exclude", (), "default")


def default_exclude() -> tuple[str, ...]:
    """The config file's exclude patterns (none by default)."""
    return exclude_setting().value


def configured_sources() -> tuple[Path, ...] | None:
    """The config file's sources, None when it sets none."""
    return load_config().sources


def default_seeds_dir() -> Path:
    """``$SEARCHNEWS_SEEDS``, else ``./seeds``."""
    return Path(os.environ.get(SEEDS_ENV) or "seeds")


def default_jobs() -> int:
    return os.cpu_count() or 1
