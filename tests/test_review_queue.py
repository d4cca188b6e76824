"""What a reviewer works from: the namesakes a mention was chosen from, the rules behind a pin,
and the least certain figures first."""
from conftest import ARTICLES, build_store

from geo import collection, reader, review_queue


def test_a_reviewer_sees_the_namesakes_a_pin_was_chosen_from_and_the_rules_behind_it(tmp_path):
    frame = collection.read_store(build_store(ARTICLES, tmp_path / "ukrmap.db")).frame
    explosives = frame[(frame["kind"] == "figure") & (frame["value"] == 1500)].iloc[0]
    namesakes = review_queue.candidates(explosives)
    assert namesakes[0]["name"] == "Dmytrivka" and (namesakes[0]["lat"], namesakes[0]["lon"]) == (
        explosives.geometry.y, explosives.geometry.x)
    assert len(namesakes) == 5 and len({c["region"] for c in namesakes}) > 1
    assert explosives["rules"].split()[-1].startswith("date.")
    marks = reader.highlights(frame[frame["article_id"] == explosives["article_id"]])
    assert any("why: " in m.note and "place." in m.note for m in marks if m.kind == "figure")


def test_the_queue_puts_region_level_and_undated_figures_before_town_level_dated_ones(tmp_path):
    frame = collection.read_store(build_store(ARTICLES, tmp_path / "ukrmap.db")).frame
    queue = review_queue.queue(frame)
    assert len(queue) == (frame["kind"] == "figure").sum()
    scores = review_queue.uncertainty(queue)
    assert list(scores) == sorted(scores, reverse=True) and scores.iloc[0] > scores.iloc[-1]
    assert queue.iloc[-1]["precision"] == "town"
