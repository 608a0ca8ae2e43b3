"""Loaders for the scrapinghub-dev pages in shared/ (read in place, never copied into the repo).

shared/ is ``<repo>/../shared`` unless the environment variable CLEANNEWS_SHARED names it.
"""

from __future__ import annotations

import gzip
import json
import os
from pathlib import Path

REPO_DIR = Path(__file__).resolve().parent.parent
DEV_SET = "data/scrapinghub-dev"


def shared_dir() -> Path:
    """The shared/ folder: $CLEANNEWS_SHARED, else the sibling of the repo."""
    env = os.environ.get("CLEANNEWS_SHARED")
    return Path(env) if env else REPO_DIR.parent / "shared"


def dev_dir() -> Path:
    """The scrapinghub-dev folder, with a clear error when it is missing."""
    path = shared_dir() / DEV_SET
    if not path.is_dir():
        raise FileNotFoundError(f"{path} not found: set CLEANNEWS_SHARED to the shared/ folder")
    return path


def load_raw_texts() -> dict[str, str]:
    """{page id: naive full-page text} from raw-text.jsonl."""
    with (dev_dir() / "raw-text.jsonl").open(encoding="utf-8") as f:
        rows = (json.loads(line) for line in f if line.strip())
        return {row["id"]: row["text"] for row in rows}


def _ground_truth() -> dict[str, dict[str, str]]:
    with (dev_dir() / "ground-truth.json").open(encoding="utf-8") as f:
        return json.load(f)


def load_gold() -> dict[str, str]:
    """{page id: hand-made article body} from ground-truth.json."""
    return {page_id: page.get("articleBody", "") for page_id, page in _ground_truth().items()}


def load_urls() -> dict[str, str]:
    """{page id: URL} from ground-truth.json, to name pages in reports."""
    return {page_id: page.get("url", "") for page_id, page in _ground_truth().items()}


def load_html(page_id: str) -> bytes:
    """The page's HTML as fetched (UTF-8 bytes, un-gzipped)."""
    return gzip.decompress((dev_dir() / "html" / f"{page_id}.html.gz").read_bytes())


def seeds_dir() -> Path:
    """The seed texts: the repo's seeds/ when present, else shared/seeds."""
    repo_seeds = REPO_DIR / "seeds"
    return repo_seeds if any(repo_seeds.glob("*.txt")) else shared_dir() / "seeds"
