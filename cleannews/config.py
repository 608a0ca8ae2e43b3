"""One frozen :class:`Config`: every option and threshold, typed once.

Config-file discovery (``cleannews.toml`` / ``[tool.cleannews]``) builds the same object; unknown keys are
errors (:func:`Config.from_mapping`).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, fields, replace


class ConfigError(ValueError):
    """A configuration key or value is invalid."""


@dataclass(frozen=True, slots=True)
class Config:
    # --- rules -------------------------------------------------------------------------------------
    rules: tuple[str, ...] = ()  # extra rule files or directories, added to the defaults
    default_rules: bool = True  # load the shipped rules/ (False: only `rules`)
    select: tuple[str, ...] = ()  # only these rules (ids, names, prefixes, globs)
    disable: tuple[str, ...] = ()  # switch these rules off
    heuristics: bool = True  # run the heuristics stage
    engine: str = "auto"  # joined rule patterns: "auto" (re where every pattern allows, else regex), "regex"
    disable_heuristics: tuple[str, ...] = ()  # heuristic ids to skip (e.g. "H02")
    disable_html: tuple[str, ...] = ()  # HTML rules to switch off (ids HTnn, names html.*; HTML input only)
    # The user's rules (rule files, Rule objects; not the shipped ones) run on the regex engine with this
    # many seconds per document and rule; a rule that runs out is skipped for that document and named in
    # Result.warnings (0: no limit).
    regex_timeout: float = 1.0

    # --- safety of block cuts (rule kinds "tail" and "head") ----------------------------------------
    # A tail cut (marker line to the end) needs this much prose before the marker ...
    tail_min_prose_before: int = 150
    # ... and the prose after the marker may be at most this fraction of the prose before it.
    tail_max_after_ratio: float = 0.5
    # ... and the text of any kind after it at most this multiple of the text before it.
    tail_max_after_chars_ratio: float = 1.0
    # A head cut (start to marker line) needs this much prose after the marker, and the prose before
    # the marker may be at most this fraction of the prose after it.
    head_min_prose_after: int = 150
    head_max_before_ratio: float = 0.25

    # --- line shape ------------------------------------------------------------------------------
    prose_min_words: int = 6  # a "prose" line: at least this many words and sentence punctuation ...
    prose_long_words: int = 25  # ... or at least this many words, punctuation or not
    headline_max_words: int = 25  # a headline-shaped line: at most this many words, no sentence end

    # --- heuristics --------------------------------------------------------------------------------
    link_list_min_lines: int = 3  # H02: a trailing run of headline-shaped lines this long is a link list
    link_list_titlecase: float = 0.6  # H02: share of title-case lines needed in a short run ...
    link_list_any_case_lines: int = 5  # ... unless the run is at least this long
    repeat_min_chars: int = 60  # H01: a repeated punctuated line shorter than this is kept (dialogue)

    # --- H10 article region (cleannews/classify.py) ----------------------------------------------------
    lang_sample_chars: int = 5000  # characters read to detect the language
    lang_min_ratio: float = 0.15  # share of tokens that must be stopwords of one language to use its list
    short_max_words: int = 6  # fewer words than this: a "short" line, judged by context
    good_min_words: int = 10  # a "good" (prose) line has at least this many words ...
    sw_good: float = 0.25  # ... and at least this stopword density
    sw_bad: float = 0.08  # below this stopword density a longer line is "bad" (tags, lists, names)
    good_weight_cap: float = 1.5  # a "good" line weighs chars x min(cap, density / sw_good)
    near_weight: float = 0.5  # region weight of a "near" line, per character
    short_cost: float = 20.0  # region cost of a "short" line
    short_run_cap: int = 6  # the k-th short/bad line in a row costs min(k, cap) times its cost
    bad_cost: float = 40.0  # region cost of a "bad" line, plus ...
    bad_weight: float = 0.5  # ... this much per character
    second_region_ratio: float = 0.5  # another block weighing this share of the best one is article too
    region_min_chrome: int = 10  # chrome evidence needed before a region is looked for ...
    region_rule_hit_weight: int = 1  # ... each line removed by a rule counts this much
    region_min_good: int = 2  # fewer prose lines than this: no region is looked for
    region_max_prose_out: float = 2.0  # more prose outside the region than this times inside: stand down
    title_lookback: int = 1  # non-wall lines above the region searched for the title
    title_min_words: int = 3  # a title has at least this many words

    # --- report ------------------------------------------------------------------------------------
    explain: bool = True  # build Removal objects (False: the fast path, text only)
    max_passes: int = 8  # passes until nothing changes (idempotence)

    @classmethod
    def from_mapping(cls, data: Mapping[str, object], source: str = "config") -> Config:
        """Build from a ``[tool.cleannews]``-style mapping (``-`` or ``_`` in keys); unknown keys fail."""
        known = {f.name: f for f in fields(cls)}
        kwargs: dict[str, object] = {}
        for key, value in data.items():
            name = key.replace("-", "_")
            if name not in known:
                raise ConfigError(f"{source}: unknown key {key!r}; known keys: {', '.join(sorted(known))}")
            default = getattr(cls(), name)
            if isinstance(default, tuple):
                if isinstance(value, str):
                    value = (value,)
                if not isinstance(value, (list, tuple)) or not all(isinstance(v, str) for v in value):
                    raise ConfigError(f"{source}: {key!r} must be a list of strings")
                value = tuple(value)
            elif isinstance(default, bool):
                if not isinstance(value, bool):
                    raise ConfigError(f"{source}: {key!r} must be true or false")
            elif isinstance(default, (int, float)):
                if isinstance(value, bool) or not isinstance(value, (int, float)):
                    raise ConfigError(f"{source}: {key!r} must be a number")
                if isinstance(default, int) and not isinstance(value, int):
                    raise ConfigError(f"{source}: {key!r} must be a whole number")
                if value < 0:
                    raise ConfigError(f"{source}: {key!r} must not be negative")
            kwargs[name] = value
        return cls(**kwargs)  # type: ignore[arg-type]

    def __post_init__(self) -> None:
        if self.engine not in ("auto", "re", "regex"):
            raise ConfigError(f"engine must be 'auto', 're' or 'regex', not {self.engine!r}")
        if not self.regex_timeout >= 0:
            raise ConfigError(f"regex_timeout must be a number of seconds, 0 or more, not {self.regex_timeout!r}")

    def with_(self, **changes: object) -> Config:
        return replace(self, **changes)  # type: ignore[arg-type]
