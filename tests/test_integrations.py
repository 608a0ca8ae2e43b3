"""A Cleaner inside other people's pipelines: Hugging Face ``datasets`` (batched map, worker processes),
pandas, ``multiprocessing`` pools and a datatrove step. Each must give exactly what ``cleaner.clean`` gives
serially. Tests whose library is not installed are skipped (``datasets`` is not in the ``test`` extra: it
pulls pyarrow, about 370 MB; the dict-of-lists test runs the same batched function without it)."""

from __future__ import annotations

import json
import multiprocessing
import os
import pickle
from pathlib import Path

import pytest

from cleannews import Cleaner, clean_html

ROOT = Path(__file__).resolve().parent.parent
SEEDS = sorted((ROOT / "seeds").glob("*.txt"))
JUNK = ["Leave a Reply", "Read Next:\nApple May See Fewer Searches In Safari, But Google CEO Insists AI Is Fueling",
        "Photo Courtesy: Koshiro K On Shutterstock.com"]  # fmt: skip
ONLY_JUNK = "Leave a Reply\nAdvertisement\n"


def texts() -> list[str]:
    out = [s.read_text(encoding="utf-8") + "\n" + JUNK[i % len(JUNK)] for i, s in enumerate(SEEDS)]
    return [*out, "", ONLY_JUNK, "The council met on Monday and approved the budget for next year.\n"]


def batched(batch: dict[str, list[str]], cleaner: Cleaner) -> dict[str, list[str]]:
    """What the README gives to ``Dataset.map(..., batched=True)``."""
    return {"text": cleaner.clean_batch(batch["text"])}


def test_batched_function_on_a_dict_of_lists(cleaner: Cleaner):
    data = texts()
    out = batched({"text": data, "id": list(range(len(data)))}, cleaner)
    assert out == {"text": [cleaner.clean(t) for t in data]}
    assert out["text"][-3:] == ["", "", data[-1]]


def test_datasets_map_batched_with_worker_processes(cleaner: Cleaner, monkeypatch: pytest.MonkeyPatch, tmp_path):
    monkeypatch.setenv("HF_DATASETS_OFFLINE", "1")
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    monkeypatch.setenv("HF_HOME", str(tmp_path / "hf"))
    datasets = pytest.importorskip("datasets")
    data = texts() * 3
    ds = datasets.Dataset.from_dict({"id": list(range(len(data))), "text": data})
    out = ds.map(lambda b: {"text": cleaner.clean_batch(b["text"])}, batched=True, batch_size=4, num_proc=2)
    assert out["text"] == [cleaner.clean(t) for t in data]
    assert out["id"] == list(range(len(data)))
    kept = out.filter(lambda r: r["text"] != "")  # the usual next step: drop documents left empty
    assert len(kept) == len(data) - 2 * 3


def test_pandas_series_map(cleaner: Cleaner):
    pd = pytest.importorskip("pandas")
    data = texts()
    df = pd.DataFrame({"id": range(len(data)), "text": data})
    want = [cleaner.clean(t) for t in data]
    assert df["text"].map(cleaner.clean).tolist() == want
    assert df["text"].map(cleaner).tolist() == want  # a Cleaner is callable
    df["clean"] = cleaner.clean_batch(df["text"])
    assert df["clean"].tolist() == want


@pytest.mark.skipif(os.name != "posix", reason="fork start method")
def test_multiprocessing_pool(cleaner: Cleaner, tmp_path: Path):
    rule = tmp_path / "extra.toml"
    rule.write_text('[[rule]]\nid = "XT01"\nname = "extra.ad"\nkind = "line"\npattern = \'\'\'advertisement\'\'\'\n'
                    'message = "ad label"\n', encoding="utf-8")  # fmt: skip
    custom = Cleaner(rules=[rule], disable=["CH02"])
    data = texts() * 2
    for c in (cleaner, custom):
        with multiprocessing.get_context("fork").Pool(2) as pool:
            got = pool.map(c.clean, data, chunksize=3)  # the bound method pickles its Cleaner
        assert got == [c.clean(t) for t in data]
    assert [r.rule for r in pickle.loads(pickle.dumps(custom)).report(ONLY_JUNK).removals] == ["TL01", "XT01"]


# ---- datatrove ----------------------------------------------------------------------------------------------
def documents():
    data = pytest.importorskip("datatrove.data")
    return [data.Document(text=t, id=str(i), metadata={"source": "seed"}) for i, t in enumerate(texts())]


def test_datatrove_step_cleans_drops_and_counts(cleaner: Cleaner):
    from cleannews.datatrove import CleanNewsStep

    docs = documents()
    originals = [d.text for d in docs]
    step = CleanNewsStep(cleaner)
    out = list(step.run(data=iter(docs)))
    want = [cleaner.clean(t) for t in originals]
    assert [d.text for d in out] == [w for w in want if w]  # the empty and the all-junk documents are dropped
    assert [d.id for d in out] == [str(i) for i, w in enumerate(want) if w]
    for d in out:
        res = cleaner.report(originals[int(d.id)])
        assert d.metadata == {"source": "seed", "removed_chars": res.removed_chars,
                              "removed_rules": dict(sorted(res.counts().items()))}  # fmt: skip
    stats = step.stats
    assert stats["total"].total == len(docs)
    assert stats["forwarded"].total == len(out) and stats["dropped"].total == 2 == stats["dropped_empty"].total
    assert stats["cleaned"].total == sum(w != t for w, t in zip(want, originals, strict=True))
    assert stats["removed_chars"].total == sum(cleaner.report(t).removed_chars for t in originals)
    assert stats["removed_lines_TL01"].total >= 2


def test_datatrove_step_options(cleaner: Cleaner):
    from cleannews.datatrove import CleanNewsStep

    docs = documents()
    originals = [d.text for d in docs]
    out = list(CleanNewsStep(cleaner, drop_empty=False, audit=False)(docs))  # datatrove's __call__ is run
    assert [d.text for d in out] == [cleaner.clean(t) for t in originals]
    assert all(d.metadata == {"source": "seed"} for d in out)
    assert CleanNewsStep().format(originals[0]) == cleaner.clean(originals[0])
    page = "<html><body><article><h1>Budget</h1><p>" + "The council approved the budget on Monday. " * 5
    page += "</p><p>Leave a Reply</p></article><footer>Menu</footer></body></html>"
    doc = documents()[0]
    doc.text = page
    (got,) = CleanNewsStep(html=True).run(iter([doc]))
    assert got.text == clean_html(page).text and got.text.startswith("The council approved")
    assert "Leave a Reply" not in got.text and got.metadata["removed_rules"]["TL01"] == 1
    step = pickle.loads(pickle.dumps(CleanNewsStep(cleaner)))  # executors pickle their pipeline
    assert [d.text for d in step.run(iter(documents()[:2]))] == [cleaner.clean(t) for t in originals[:2]]


def test_datatrove_local_executor(tmp_path: Path):
    """A real datatrove pipeline: JSONL reader, the step (with an exclusion writer), JSONL writer, 2 workers."""
    pytest.importorskip("datatrove")
    from datatrove.executor import LocalPipelineExecutor
    from datatrove.pipeline.readers import JsonlReader
    from datatrove.pipeline.writers import JsonlWriter

    from cleannews.datatrove import CleanNewsStep

    data = texts()
    for shard in (0, 1):
        with open(tmp_path / f"in{shard}.jsonl", "w", encoding="utf-8") as fh:
            for i, t in enumerate(data):
                fh.write(json.dumps({"id": f"{shard}-{i}", "text": t}) + "\n")
    try:
        reader = JsonlReader(str(tmp_path), glob_pattern="in*.jsonl")
    except ImportError as exc:  # older datatrove: its JSONL reader needs orjson
        pytest.skip(str(exc))
    pipeline = [
        reader,
        CleanNewsStep(exclusion_writer=JsonlWriter(str(tmp_path / "dropped"), compression=None)),
        JsonlWriter(str(tmp_path / "out"), compression=None),
    ]
    LocalPipelineExecutor(pipeline, tasks=2, workers=2, logging_dir=str(tmp_path / "logs")).run()
    got = {}
    for f in sorted((tmp_path / "out").glob("*.jsonl")):
        for line in f.read_text(encoding="utf-8").splitlines():
            rec = json.loads(line)
            got[rec["id"]] = rec
    c = Cleaner()
    want = {f"{s}-{i}": c.clean(t) for s in (0, 1) for i, t in enumerate(data) if c.clean(t)}
    assert {k: r["text"] for k, r in got.items()} == want
    assert all("removed_rules" in r["metadata"] for r in got.values())
    dropped = [json.loads(x) for f in (tmp_path / "dropped").glob("*.jsonl") for x in f.read_text().splitlines()]
    assert [d["text"] for d in dropped] == [ONLY_JUNK] * 2  # its original text (readers skip empty documents)
