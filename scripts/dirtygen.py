"""Dirty news documents for the reliability scripts: the seed articles with scraped junk, white-space noise,
mixed line ends and BOMs added, deterministically from a :class:`random.Random`.

Used by ``kill_test.py`` (corpora to kill cleannews over), ``measure.py`` (large inputs) and ``fuzz_clean.py``
(the fuzzer's starting corpus). Nothing here calls cleannews: expected outputs are computed by the callers.
"""

from __future__ import annotations

import random
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "seeds"

JUNK = [
    "Leave a Reply",
    "Read Next:",
    "Related Stories",
    "See Also: Apple Inc. Emphasizes Design Commitment Amidst High-Profile Exits",
    "READ MORE: Bank of England holds interest rates at 5.25%",
    "Advertisement",
    "ADVERTISEMENT",
    "Story continues below advertisement",
    "(Reporting by Deborah Sophia in Bengaluru; Editing by Alan Barona)",
    "Photo Courtesy: Koshiro K On Shutterstock.com",
    "You might also like",
    "Share this article",
    "Click here to subscribe to our newsletter.",
    "Disclaimer: This content was partially produced with the help of AI tools and was reviewed by editors.",
    "Benzinga's Edge Stock Rankings indicate that META is trading in a strong uptrend across all timeframes.",
    "Home | News | Business | Tech | Sport | Contact",
    "Cookie settings",
    "Weiterlesen:",
    "Lire aussi :",
]
HEADLINES = [
    "Meta Explores Partnership with Google Cloud to Enhance Ad Targeting",
    "Council Approves Budget After Long Debate",
    "Tesla Faces 19% Drop in UK Registrations as Competition Intensifies",
    "Airbus Faces Pressure After November Deliveries Dip",
    "Apple May See Fewer Searches In Safari, But Google CEO Insists AI Is Fueling Query Growth",
    "What the vote means for the city",
]
COMMENTS = [
    "John Smith says:",
    "March 3, 2025 at 10:14 am",
    "Great article, thanks for sharing!",
    "Reply",
]
_PRE = ["", "", "", "    ", "\t", "\u00a0", "\u200b", " \u2003"]
_POST = ["", "", "", " ", "  ", "\u00a0", "\u200b", "\t"]


def seed_texts() -> list[str]:
    return [p.read_text("utf-8") for p in sorted(SEEDS.glob("*.txt"))]


def _noisy(rng: random.Random, line: str) -> str:
    if not line or rng.random() < 0.6:
        return line
    pre, post = rng.choice(_PRE), rng.choice(_POST)
    if " " in line and rng.random() < 0.3:
        words = line.split(" ")
        i = rng.randrange(1, len(words))
        line = " ".join(words[:i]) + rng.choice(["  ", "\u00a0", " \u200b", "\u2009"]) + " ".join(words[i:])
    return pre + line + post


def dirty_lines(rng: random.Random, seeds: list[str], repeat: int = 1) -> list[str]:
    """One article (a seed, its body repeated *repeat* times) with junk inserted, appended and prepended."""
    lines = rng.choice(seeds).splitlines()
    title, body = lines[0], lines[1:]
    body = body * repeat
    for _ in range(rng.randint(0, 4)):
        body.insert(rng.randint(0, len(body)), rng.choice(JUNK))
    for _ in range(rng.randint(0, 3)):
        body.insert(rng.randint(0, len(body)), "")
    head = [title, title] if rng.random() < 0.2 else [title]
    if rng.random() < 0.15:
        head = [rng.choice(JUNK[-4:]), *head]
    tail: list[str] = []
    r = rng.random()
    if r < 0.25:
        tail = ["Read Next:", *rng.sample(HEADLINES, rng.randint(1, 3))]
    elif r < 0.45:
        tail = rng.sample(HEADLINES, rng.randint(2, 5))
    elif r < 0.6:
        tail = ["Leave a Reply", *COMMENTS * rng.randint(1, 3)]
    elif r < 0.7:
        tail = [rng.choice(JUNK)]
    return [_noisy(rng, ln) for ln in [*head, *body, *tail]]


def dirty_document(rng: random.Random, seeds: list[str], repeat: int = 1) -> str:
    """A dirty document as text: mixed line ends, sometimes no final newline, sometimes a BOM."""
    nl = rng.choice(["\n", "\n", "\n", "\r\n", "\r"])
    text = nl.join(dirty_lines(rng, seeds, repeat))
    if rng.random() < 0.7:
        text += nl
    if rng.random() < 0.1:
        text = "\ufeff" + text
    return text
