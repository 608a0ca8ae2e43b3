"""Project configuration files: where they are and what they say.

As ruff does, the settings for an input file come from the closest configuration file found by walking up
from the file's directory: in each directory ``cleannews.toml`` (settings at the top level) beats
``pyproject.toml``, and a ``pyproject.toml`` counts only if it has a ``[tool.cleannews]`` table (otherwise the
walk goes on upwards). Keys are the :class:`~cleannews.config.Config` fields (``-`` or ``_``); an unknown key
or a value of the wrong type is a :class:`~cleannews.config.ConfigError` naming the file and the key.
Relative ``rules`` paths are resolved against the directory of the file that names them, and heuristic ids
in ``disable`` (``H10``) go to ``disable_heuristics`` and HTML rules (``HT07``, ``html.share``) to
``disable_html``, as ``--disable`` does on the command line.

>>> import tempfile
>>> with tempfile.TemporaryDirectory() as d:
...     _ = (Path(d) / "cleannews.toml").write_text('disable = ["PR04", "H10"]\\n')
...     found = Discovery().find(Path(d) / "sub" / "a.txt")
...     found.path.name, found.config.disable, found.config.disable_heuristics
('cleannews.toml', ('PR04',), ('H10',))
"""

from __future__ import annotations

import os
import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from cleannews.config import Config, ConfigError

CONFIG_NAMES = ("cleannews.toml", "pyproject.toml")  # in one directory, the first one present wins


@dataclass(frozen=True)
class Found:
    """The settings for some input: the file they came from (None: no file, the defaults) and the Config."""

    path: Path | None
    config: Config


DEFAULT = Found(None, Config())


def _read_toml(path: Path) -> dict[str, Any]:
    try:
        with open(path, "rb") as fh:
            return tomllib.load(fh)
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{path}: not valid TOML ({exc})") from None
    except OSError as exc:
        raise ConfigError(f"{path}: cannot read ({exc.strerror or exc})") from None


def _table(path: Path, data: dict[str, Any]) -> dict[str, Any] | None:
    """The cleannews settings in a parsed file: ``[tool.cleannews]`` of a pyproject.toml (None if it has
    none), the top level of any other file."""
    if path.name == "pyproject.toml":
        tool = data.get("tool")
        table = tool.get("cleannews") if isinstance(tool, dict) else None
        if table is None:
            return None
        if not isinstance(table, dict):
            raise ConfigError(f"{path}: [tool.cleannews] must be a table")
        return table
    if "tool" in data and isinstance(data["tool"], dict):
        raise ConfigError(f"{path}: unknown key 'tool' (in {path.name} the settings are top-level keys, "
                          "without a [tool.cleannews] header)")  # fmt: skip
    return data


def has_settings(path: Path) -> bool:
    """Whether *path* is a configuration file for cleannews (a pyproject.toml only with ``[tool.cleannews]``).

    A pyproject.toml that is not valid TOML counts (and fails when loaded): silently skipping it would
    apply some other directory's settings.
    """
    if not path.is_file():
        return False
    if path.name != "pyproject.toml":
        return True
    try:
        return _table(path, _read_toml(path)) is not None
    except ConfigError:
        return True


def load_config(path: Path) -> Config:
    """The Config a configuration file describes (an error names the file and the key).

    Any file name but ``pyproject.toml`` holds its settings at the top level.
    """
    table = _table(path, _read_toml(path))
    if table is None:
        raise ConfigError(f"{path}: no [tool.cleannews] table")
    data = dict(table)
    base = path.resolve().parent
    if isinstance(data.get("rules"), list):
        data["rules"] = [str(base / r) if isinstance(r, str) else r for r in data["rules"]]
    elif isinstance(data.get("rules"), str):
        data["rules"] = [str(base / data["rules"])]
    cfg = Config.from_mapping(data, source=str(path))
    return route_disable(cfg, cfg.disable, replace=True)


def is_heuristic_id(key: str) -> bool:
    return len(key) > 1 and key[0] == "H" and key[1:].isdigit()


def is_html_rule_key(key: str) -> bool:
    """Does a selector name HTML rules (ids ``HTnn``, names ``html.*``)? Text rules never use these."""
    return key.startswith(("HT", "html.", "html*"))


def route_disable(cfg: Config, keys: tuple[str, ...], replace: bool = False) -> Config:
    """*cfg* with the ``disable`` selectors *keys* sent where they belong: heuristic ids to
    ``disable_heuristics``, HTML rule ids and names to ``disable_html``, the rest to ``disable``
    (*replace*: instead of the current ``disable``, else added to it)."""
    heur = tuple(k for k in keys if is_heuristic_id(k))
    html = tuple(k for k in keys if is_html_rule_key(k))
    text = tuple(k for k in keys if k not in heur and k not in html)
    return cfg.with_(
        disable=tuple(dict.fromkeys(text if replace else (*cfg.disable, *text))),
        disable_heuristics=tuple(dict.fromkeys((*cfg.disable_heuristics, *heur))),
        disable_html=tuple(dict.fromkeys((*cfg.disable_html, *html))),
    )


class Discovery:
    """Finds and loads configuration files, each directory looked at and each file read once.

    ``Discovery(forced=PATH)`` uses one file for everything (``--config``); ``Discovery(isolated=True)``
    uses none (``--isolated``).
    """

    def __init__(self, forced: Path | None = None, isolated: bool = False) -> None:
        self.forced = forced
        self.isolated = isolated
        self._dirs: dict[Path, Path | None] = {}  # directory -> closest config file (None: none above)
        self._files: dict[Path, Found] = {}  # config file -> what it says

    def find(self, path: Path | str) -> Found:
        """The settings for the input *path* (a file, directory or ``-``: a directory is searched from
        itself, ``-`` from the working directory)."""
        if self.isolated:
            return DEFAULT
        if self.forced is not None:
            return self._load(self.forced)
        p = Path(os.path.abspath(path if str(path) != "-" else "."))
        directory = p if p.is_dir() or str(path) == "-" else p.parent
        found = self._closest(directory)
        return self._load(found) if found is not None else DEFAULT

    def _closest(self, directory: Path) -> Path | None:
        walked: list[Path] = []
        found: Path | None = None
        for d in (directory, *directory.parents):
            if d in self._dirs:
                found = self._dirs[d]
                break
            walked.append(d)
            hit = next((d / n for n in CONFIG_NAMES if has_settings(d / n)), None)
            if hit is not None:
                found = hit
                break
        for d in walked:  # every directory walked through shares the answer
            self._dirs[d] = found
        return found

    def _load(self, path: Path) -> Found:
        if path not in self._files:
            if not path.is_file():
                raise ConfigError(f"{path}: no such configuration file")
            self._files[path] = Found(path, load_config(path))
        return self._files[path]
