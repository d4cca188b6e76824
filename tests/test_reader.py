"""The article reader: highlights where the extractors found things, and never runs article markup."""
from pathlib import Path

from geo.reader import Highlight, article_html

FIXTURES = Path(__file__).parent / "fixtures"


def _payload_text() -> str:
    return (FIXTURES / "script_payload.txt").read_text("utf-8")


def test_script_and_onerror_payloads_come_out_as_visible_text_not_markup():
    text = _payload_text()
    izium = text.index("Izium")
    out = article_html(text, [Highlight(izium, izium + 5, "place", 'Izium "town" <b>')])
    assert "<script" not in out and "<img" not in out
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in out
    assert "onerror=&quot;window.__pwned=1&quot;" in out
    assert 'title="Izium &quot;town&quot; &lt;b&gt;"' in out


def test_marked_spans_wrap_exactly_the_words_the_extractors_found():
    text = "At least 12 bodies were found in Izium."
    value = text.index("12 bodies")
    place = text.index("Izium")
    out = article_html(
        text,
        [Highlight(value, value + 9, "figure", "bodies: 12"), Highlight(place, place + 5, "place", "Izium (town)")],
    )
    assert '<mark class="figure"' in out and ">12 bodies</mark>" in out
    assert '<mark class="place"' in out and ">Izium</mark>" in out
    assert out.count("<mark") == 2


def test_overlapping_place_inside_a_figure_keeps_the_figure_and_loses_no_text():
    text = "More than 440 bodies in Izium were exhumed."
    fig_end = text.index(" were")
    place = text.index("Izium")
    out = article_html(
        text, [Highlight(place, place + 5, "place", "Izium"), Highlight(0, fig_end, "figure", "bodies")]
    )
    assert out.count("<mark") == 1
    assert ">More than 440 bodies in Izium</mark> were exhumed." in out


def test_spans_outside_the_text_are_ignored_rather_than_crashing_the_reader():
    out = article_html("Bucha", [Highlight(3, 99, "place", "bad span")])
    assert "<mark" not in out and ">Bucha</div>" in out
