"""A `datatrove <https://github.com/huggingface/datatrove>`_ pipeline step: clean each Document's text.

::

    from datatrove.executor import LocalPipelineExecutor
    from datatrove.pipeline.readers import JsonlReader
    from datatrove.pipeline.writers import JsonlWriter
    from cleannews.datatrove import CleanNewsStep

    LocalPipelineExecutor(pipeline=[
        JsonlReader("raw/"),
        CleanNewsStep(),          # or CleanNewsStep(Cleaner(rules=["site.toml"]), drop_empty=False)
        JsonlWriter("clean/"),
    ], tasks=8, workers=4, logging_dir="logs/").run()

Each document's ``text`` becomes its clean article text; ``metadata`` gets ``removed_chars`` and
``removed_rules`` (removed lines per rule id, as ``--audit-fields`` writes them); the step's stats count
``cleaned`` documents, ``removed_chars`` and ``removed_lines_<RULE>``. A document left with no text is
dropped (``drop_empty=False`` keeps it), with its original text, to *exclusion_writer* if one is given.
Install with ``pip install 'cleannews[datatrove]'``.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from typing import Any

from cleannews.pipeline import Cleaner
from cleannews.stream import AUDIT_CHARS, AUDIT_RULES, clean_texts

EXTRA_MISSING = "cleannews.datatrove needs the datatrove extra: pip install 'cleannews[datatrove]'"


class _DatatroveMissing:
    """Stands in for datatrove's PipelineStep when it is not installed: this module still imports (so
    its doctests and docs build), and making a step says what to install."""

    def __init__(self, *args: object, **kwargs: object) -> None:
        raise ImportError(EXTRA_MISSING)


try:
    from datatrove.pipeline.base import PipelineStep
except ImportError:  # pragma: no cover - exercised only without the extra
    PipelineStep = _DatatroveMissing  # type: ignore[assignment,misc]


class CleanNewsStep(PipelineStep):  # type: ignore[misc,valid-type]
    """Clean ``doc.text`` with a :class:`~cleannews.pipeline.Cleaner` (default rules and heuristics if none).

    ``html=True``: ``doc.text`` is a page's HTML (as a WARC reader gives it), turned into clean article
    text by :func:`cleannews.clean_html`; a page that cannot be parsed is dropped. ``audit=False`` leaves
    ``metadata`` alone. The step pickles (its Cleaner sends rules, not compiled patterns), so it runs under
    any datatrove executor.
    """

    name = "🧹 cleannews"
    type = "✂️ - FORMAT"

    def __init__(
        self,
        cleaner: Cleaner | None = None,
        *,
        drop_empty: bool = True,
        audit: bool = True,
        html: bool = False,
        exclusion_writer: Any = None,
    ) -> None:
        super().__init__()
        if cleaner is None:
            if html:
                from cleannews.html import html_cleaner

                cleaner = html_cleaner()
            else:
                cleaner = Cleaner()
        self.cleaner = cleaner
        self.drop_empty = drop_empty
        self.audit = audit
        self.html = html
        self.exclusion_writer = exclusion_writer

    def format(self, text: str) -> str:
        """The clean text of one document (datatrove formatters' ``format``)."""
        return self.cleaner.clean(text)

    def run(self, data: Any, rank: int = 0, world_size: int = 1) -> Iterator[Any]:
        """Clean every Document of *data*; yield the ones that keep some text."""
        if data is None:
            return
        writer_cm = self.exclusion_writer if self.exclusion_writer else contextlib.nullcontext()
        with writer_cm as writer:
            for doc in data:
                self.stat_update("total")
                with self.track_time():
                    (res,) = clean_texts(self.cleaner, [doc.text], self.html)
                if res.text is None:  # HTML that could not be parsed
                    self._drop(doc, writer, rank, "html_error", res.error)
                    continue
                if res.text != doc.text:
                    self.stat_update("cleaned")
                self.stat_update("removed_chars", value=res.removed_chars)
                for rule, n in sorted(res.counts.items()):
                    self.stat_update(f"removed_lines_{rule}", value=n)
                if self.audit:
                    doc.metadata[AUDIT_CHARS] = res.removed_chars
                    doc.metadata[AUDIT_RULES] = dict(sorted(res.counts.items()))
                if self.drop_empty and not res.text.strip():
                    self._drop(doc, writer, rank, "empty")  # the original text goes to the exclusion writer
                    continue
                doc.text = res.text
                self.stat_update("forwarded")
                self.update_doc_stats(doc)
                yield doc

    def _drop(self, doc: Any, writer: Any, rank: int, reason: str, error: str = "") -> None:
        self.stat_update("dropped", f"dropped_{reason}")
        if writer is not None:
            doc.metadata["filter_reason"] = f"cleannews: {reason}" + (f" ({error})" if error else "")
            writer.write(doc, rank)
