"""cleannews: turn raw scraped news text into the clean article body.

>>> import cleannews
>>> cleannews.clean("Story title\\nThe council met on Monday and approved the budget.\\nLeave a Reply")
'Story title\\nThe council met on Monday and approved the budget.\\n'
"""

from __future__ import annotations

from cleannews.config import Config, ConfigError
from cleannews.pipeline import Cleaner, default_cleaner
from cleannews.report import Removal, Result
from cleannews.ruleset import Rule, RuleError

__all__ = [
    "Cleaner", "Config", "ConfigError", "Removal", "Result", "Rule", "RuleError", "clean", "clean_html", "report",
]  # fmt: skip
__version__ = "0.1.0"


def clean(text: str) -> str:
    """Clean one text with the default rules and heuristics."""
    return default_cleaner().clean(text)


def report(text: str) -> Result:
    """Clean one text and say what was removed, by which rule, and why."""
    return default_cleaner().report(text)


def clean_html(html: str | bytes, url: str | None = None, cleaner: Cleaner | None = None) -> Result:
    """Clean a news page given as HTML (see :mod:`cleannews.html`; selectolax is imported on first use)."""
    from cleannews.html import clean_html as _clean_html

    return _clean_html(html, url, cleaner)
