"""Unit tests per rule kind and per heuristic, on small hand-made texts."""

from __future__ import annotations

from cleannews import Cleaner, Config

P1 = "The council approved the new budget on Monday after a long debate that lasted well into the night."
P2 = "Opposition members said the plan would raise taxes for families, while the mayor defended the spending."
P3 = "The budget includes money for three new schools, a bus line and repairs to the harbour wall."
P4 = "A final vote on the details is expected next month, when the council meets again in the town hall."


def removed(text: str, **cfg) -> list[str]:
    res = Cleaner(Config(**cfg)).report(text)
    return [line for r in res.removals for line in r.text.split("\n")]


def rules_of(text: str, **cfg) -> set[str]:
    return {r.rule for r in Cleaner(Config(**cfg)).report(text).removals}


# --- rule kinds ------------------------------------------------------------------------------------------
def test_tail_cuts_after_the_body():
    text = "\n".join([P1, P2, P3, "Leave a Reply", "Your email address will not be published.", "Name *"])
    assert removed(text, heuristics=False) == ["Leave a Reply", "Your email address will not be published.", "Name *"]


def test_tail_marker_early_cuts_only_the_marker():
    text = "\n".join([P1, "Related Articles", P2, P3, P4])
    out = Cleaner(Config(heuristics=False)).clean(text)
    assert all(p in out for p in (P1, P2, P3, P4))


def test_head_cuts_menu_before_skip_link():
    text = "\n".join(["Home", "World", "Sport", "Skip to content", "Budget passes", P1, P2, P3])
    assert removed(text, heuristics=False) == ["Home", "World", "Sport", "Skip to content"]


def test_head_marker_late_cuts_only_the_marker():
    text = "\n".join([P1, P2, P3, "Skip to content", P4])
    assert removed(text, heuristics=False) == ["Skip to content"]


def test_marker_takes_teasers_and_stops_at_prose():
    text = "\n".join([P1, "Read Next:", "Harbour Tunnel Costs Double In A Decade", P2])
    assert removed(text, heuristics=False) == ["Read Next:", "Harbour Tunnel Costs Double In A Decade"]


def test_line_rule_needs_the_whole_line():
    text = "\n".join([P1, '"You might also like the new one," he said at the launch on Tuesday.', P2])
    assert removed(text) == []


# --- heuristics --------------------------------------------------------------------------------------------
def test_h01_title_printed_twice():
    text = "\n".join(["Budget Passes After Long Debate", "", "  Budget Passes After Long Debate", P1, P2])
    assert removed(text) == ["Budget Passes After Long Debate"]
    assert rules_of(text) == {"H01"}


def test_h01_keeps_short_repeated_dialogue():
    text = "\n".join([P1, '"Yes."', P2, '"Yes."', P3])
    assert removed(text) == []


def test_h02_trailing_headline_list():
    heads = ["Tesla Faces Drop In UK Registrations", "Airbus Faces Pressure After Deliveries Dip",
             "Coupang Apologizes After Massive Data Breach"]  # fmt: skip
    text = "\n".join([P1, P2, *heads])
    assert removed(text) == heads


def test_h02_keeps_a_single_closing_subheading_and_mid_article_subheadings():
    text = "\n".join(["Budget Passes", P1, "What Happens Next", P2, P3, "The Vote"])
    assert removed(text) == []


def test_h02_keeps_a_list_the_article_introduces():
    dates = ["June 9 -- Coral Sky Amphitheatre, West Palm Beach", "June 10 -- MidFlorida Credit Union Amphitheatre",
             "June 12 -- Cynthia Woods Pavilion, Houston"]  # fmt: skip
    text = "\n".join([P1, P2, "The band's 2020 tour dates:", *dates])
    assert removed(text) == []


def test_h02_keeps_short_lowercase_lists():
    text = "\n".join([P1, P2, "two cups of flour", "one egg", "a pinch of salt"])
    assert removed(text) == []


def test_h10_finds_the_article_in_a_flattened_page():
    menu = ["Home", "News", "World", "Business", "Sport", "Culture", "Weather", "Log In", "Subscribe",
            "Search", "Menu", "Video"]  # fmt: skip
    footer = ["About us", "Contact", "Careers", "Privacy", "Terms", "Advertise", "Sitemap", "Help"]
    text = "\n".join([*menu, "Council Passes Budget After Long Debate", P1, P2, "What Happens Next", P3, P4, *footer])
    out = Cleaner().clean(text)
    assert out.split("\n")[:-1] == ["Council Passes Budget After Long Debate", P1, P2, "What Happens Next", P3, P4]
    reasons = {r.name for r in Cleaner().report(text).removals}
    assert "menu-run" in reasons


def test_h10_leaves_an_article_alone():
    text = "\n".join(["Budget Passes", P1, "Why", P2, "Next", P3, P4])
    assert Cleaner().clean(text) == text + "\n"


def test_heuristics_can_be_switched_off():
    heads = ["Tesla Faces Drop In UK Registrations", "Airbus Faces Pressure After Deliveries Dip",
             "Coupang Apologizes After Massive Data Breach"]  # fmt: skip
    text = "\n".join([P1, P2, *heads])
    assert removed(text, disable_heuristics=("H02",)) == []
    assert removed(text, heuristics=False) == []


def test_head_cut_also_removes_later_unsafe_markers():
    # a second skip link after the body: the head cut takes the first, the second goes as a marker line only,
    # so a second cleaning finds nothing more (idempotence)
    text = "\n".join(["Home", "Skip to content", P1, P2, P3, "Skip to navigation", P4])
    cleaner = Cleaner(Config(heuristics=False))
    once = cleaner.clean(text)
    assert "Skip to navigation" not in once and P4 in once
    assert cleaner.clean(once) == once


def test_h10_stands_down_when_the_region_misses_most_of_the_prose():
    """A short intro, then a long list of product blocks whose descriptions are prose: the best region is the
    intro, but it holds a sliver of the page's prose, so H10 cuts nothing (the guard off, it cuts them)."""
    menu = ["Home", "Deals", "Tech", "Reviews", "Log In", "Subscribe", "Search", "Menu", "Video", "Newsletter"]
    descs = [
        "These earbuds pair with your phone as soon as you open the case, and the battery lasts all day.",
        "The watch tracks your heart rate and your runs, and it reminds you to stand up once an hour.",
        "This tablet has a bright screen that is easy to read outside, and it is light enough to hold in one hand.",
        "The speaker fills a large room with sound, and you can control it with your voice from the sofa.",
        "This phone has a camera that takes sharp pictures at night, and it charges in less than an hour.",
        "The kettle boils water in two minutes, and it turns itself off when the water is ready to pour.",
        "This lamp changes colour with the time of day, and you can set it to wake you up with soft light.",
        "The backpack has a pocket for a laptop and a bottle, and it stays dry when you walk in the rain.",
    ]
    blocks = []
    for i, desc in enumerate(descs):
        blocks += [f"Gadget {i} Pro (Latest Model)", f"${99 + i}.00", "Available from Amazon", "Buy Now",
                   "Free shipping", "In stock", desc]  # fmt: skip
    intro = f"{P1} {P2} {P3}"  # one long paragraph: heavier than any single description
    text = "\n".join([*menu, "The Best Deals Available Today", intro, *blocks])
    kept = Cleaner().clean(text).splitlines()
    assert all(p in kept for p in (intro, *descs))
    cut = Cleaner(Config(region_max_prose_out=1e9)).clean(text).splitlines()
    assert intro in cut and not any(d in cut for d in descs)  # without the guard the product descriptions go


def test_stopword_lists_are_the_language_files_only():
    from cleannews.stopwords import stopwords

    langs = set(stopwords())
    assert {"en", "de", "fr", "es", "it", "pt", "nl"} <= langs
    assert all(len(code) == 2 and code.isalpha() for code in langs), langs  # not LICENSE-jusText.txt
