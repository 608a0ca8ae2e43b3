#!/usr/bin/env python3
"""Regenerate rules/stopwords/<lang>.txt from the stoplists shipped in the jusText package.

Usage (jusText is only needed here, never at run time; keep it out of the system Python):

    python3 -m venv /tmp/swvenv
    /tmp/swvenv/bin/pip install justext==3.0.2
    /tmp/swvenv/bin/python rules/stopwords/regenerate.py

What it does to each list: decode UTF-8, strip each line, drop empty lines, lowercase
(jusText itself lowercases its stoplists when it loads them), drop duplicates keeping the
first occurrence (the files are in frequency order, so the order is kept), and write one
entry per line after a single '#' header line naming the source and licence.
Entries are otherwise kept whole, including the few that carry attached punctuation
(e.g. "werden.", "d'un"), because jusText counts stopwords on whitespace-split tokens.
"""
from __future__ import annotations

import importlib.metadata
import importlib.util
import pathlib
import sys

# ISO 639-1 code -> jusText stoplist name
LANGS = {
    "en": "English",
    "de": "German",
    "fr": "French",
    "es": "Spanish",
    "it": "Italian",
    "pt": "Portuguese",
    "nl": "Dutch",
    "pl": "Polish",
    "sv": "Swedish",
    "da": "Danish",
    "ru": "Russian",
}

OUT_DIR = pathlib.Path(__file__).resolve().parent


def load(name: str) -> list[str]:
    # Locate the package without importing it: importing justext 3.0.2 needs lxml_html_clean,
    # which reading its data files does not.
    spec = importlib.util.find_spec("justext")
    if spec is None or not spec.submodule_search_locations:
        raise SystemExit("jusText is not installed in this Python (see the docstring)")
    src = pathlib.Path(next(iter(spec.submodule_search_locations))) / "stoplists" / f"{name}.txt"
    data = src.read_bytes()
    seen: set[str] = set()
    words: list[str] = []
    for line in data.decode("utf-8").splitlines():
        w = line.strip().lower()
        if w and w not in seen:
            seen.add(w)
            words.append(w)
    return words


def main() -> int:
    try:
        version = importlib.metadata.version("justext")
    except importlib.metadata.PackageNotFoundError:
        raise SystemExit("jusText is not installed in this Python (see the docstring)") from None
    for code, name in LANGS.items():
        words = load(name)
        assert not any(w.startswith("#") for w in words), name
        header = (
            f"# source: jusText {version} (PyPI 'justext', github.com/miso-belica/jusText), "
            f"justext/stoplists/{name}.txt; licence: BSD-2-Clause, "
            "Copyright (c) 2011 Jan Pomikalek, (c) 2013 Michal Belica (full text: LICENSE-jusText.txt); "
            "lowercased, duplicates removed, frequency order kept"
        )
        path = OUT_DIR / f"{code}.txt"
        path.write_text(header + "\n" + "\n".join(words) + "\n", encoding="utf-8")
        print(f"{path.name}: {len(words)} words")
    return 0


if __name__ == "__main__":
    sys.exit(main())
