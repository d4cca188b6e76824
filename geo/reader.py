"""An article as HTML with its place mentions and figures highlighted, safe to put in a page.

Article text is untrusted (scraped pages carry `<script>` and `onerror=` payloads), so every
piece of it goes through `html.escape`; only the `<mark>` wrappers written here are markup.
"""
from __future__ import annotations

import html
from dataclasses import dataclass

import pandas as pd

_STYLE = {
    "figure": "background:#ffd54f;padding:0 2px;border-radius:2px;",
    "place": "background:#90caf9;padding:0 2px;border-radius:2px;",
}


@dataclass(frozen=True)
class Highlight:
    """A span of the article to mark, and the tooltip that says why."""

    start: int
    end: int
    kind: str   # "figure" or "place"
    note: str


def highlights(rows: pd.DataFrame) -> list[Highlight]:
    """Highlights for one article's rows of the event table (figures and place mentions)."""
    out = []
    for row in rows.itertuples(index=False):
        if pd.isna(row.start) or pd.isna(row.end):
            continue
        if row.kind == "figure":
            note = f"{row.category}: {row.value}" + (f" ({row.attribution})" if row.attribution else "")
        else:
            note = f"{row.place} ({row.precision})"
        rules = getattr(row, "rules", "")
        if rules:
            note += f" — why: {rules}"
        out.append(Highlight(int(row.start), int(row.end), str(row.kind), note))
    return out


def article_html(text: str, marks: list[Highlight]) -> str:
    """The text, escaped, with non-overlapping spans wrapped in <mark>; line breaks kept."""
    pieces = []
    cursor = 0
    for mark in _non_overlapping(marks, len(text)):
        pieces.append(html.escape(text[cursor:mark.start]))
        style = _STYLE.get(mark.kind, _STYLE["place"])
        pieces.append(
            f'<mark class="{html.escape(mark.kind)}" style="{style}" title="{html.escape(mark.note)}">'
            f"{html.escape(text[mark.start:mark.end])}</mark>"
        )
        cursor = mark.end
    pieces.append(html.escape(text[cursor:]))
    body = "".join(pieces)
    return f'<div class="article-text" style="white-space:pre-wrap;line-height:1.5">{body}</div>'


def _non_overlapping(marks: list[Highlight], length: int) -> list[Highlight]:
    """Figures win over places where they overlap; spans outside the text are dropped."""
    ordered = sorted(
        (m for m in marks if 0 <= m.start < m.end <= length),
        key=lambda m: (m.kind != "figure", m.start, -(m.end - m.start)),
    )
    taken: list[Highlight] = []
    for mark in ordered:
        if all(mark.end <= t.start or mark.start >= t.end for t in taken):
            taken.append(mark)
    return sorted(taken, key=lambda m: m.start)


_BASIS = {"manifest": "from the manifest", "text": "from its text", "inferred": "inferred from its text"}


def article_labels(articles, frame: pd.DataFrame) -> dict[str, str]:
    """The reader's choice of article (StoredArticles that could be read), by id: title, outlet,
    publication date (and its basis when the text gave it), language."""
    language = {}
    if "language" in frame:
        firsts = frame.drop_duplicates("article_id")
        language = dict(zip(firsts["article_id"], firsts["language"].fillna("")))
    return {
        a.id: f"{a.title or a.file} ({a.outlet or 'unknown outlet'}, {a.published or 'undated'}"
              + (f", date {_BASIS[a.published_basis]}" if a.published_basis in ("text", "inferred") else "")
              + f", language: {language.get(a.id) or 'unknown'})"
        for a in articles
    }


def provenance(record) -> str:
    """Where an article came from and what loading decided about it, as plain text (a StoredArticle):
    the file, outlet, URL, publication date and its basis, the encoding, and every loading note."""
    published = record.published or "undated"
    if record.published and record.published_basis in _BASIS:
        published += f" ({_BASIS[record.published_basis]})"
    lines = [
        f"File: {record.file} ({'uploaded' if record.origin == 'upload' else 'articles folder'}), id {record.id}",
        f"Outlet: {record.outlet or 'unknown'}; URL: {record.url or 'none given'}; published: {published}",
        f"Decoded as {record.encoding or 'unknown'}; extracted {record.extracted or 'never'}"
        + (f" by extractor {record.extractor[:12]}" if record.extractor else ""),
    ]
    lines += [f"Note: {note}" for note in record.notes.splitlines() if note]
    return "\n".join(lines)
