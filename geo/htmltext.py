"""The readable text of an HTML page, in time linear in its size.

Why not html.parser: on unclosed constructs it scans to the end of the input again at every `<`
that follows (CPython before 3.13.4, gh-135462): 80 KB of `<!--` took 51 s, 120 KB of `<a `
three minutes. This tokenizer keeps, for every "find the next X" it needs (`>`, `-->`, a closing
quote, `</style`), the last answer, so each part of the page is scanned a bounded number of
times. It reads what text extraction needs and no more: text, tags by name, comments, raw-text
elements; attribute values are skipped (quotes respected).

Nothing is dropped silently: where a browser would hide the rest of the page (an unclosed
comment, <style>, <title>, <svg> or <iframe>), the text after it is kept and a note says so.
"""
from __future__ import annotations

import html as _html
import re
from dataclasses import dataclass

SKIP = frozenset({"script", "style", "noscript", "template", "svg", "iframe", "math"})
# Elements whose content is not markup, up to their end tag (HTML's raw text and RCDATA).
RAW = frozenset({"script", "style", "title", "textarea", "xmp", "iframe", "noembed", "noframes"})
BLOCK = frozenset(
    "address article aside blockquote br dd div dl dt figcaption figure footer form h1 h2 h3 h4 h5 h6 "
    "header hr li main nav ol p pre section table td th tr ul title".split()
)
_NAME = re.compile(r"[A-Za-z][^\t\n\f\r />]*")
_ATTR_STOP = re.compile(r""">|=[\t\n\f\r ]*(["'])""")


@dataclass(frozen=True)
class HtmlText:
    text: str
    title: str
    notes: tuple[str, ...] = ()


class _Next:
    """Where a pattern next occurs at or after a position, remembering the last answer: asking
    again from a position up to that answer costs nothing, so a scan that keeps asking from
    growing positions reads the page once, however often the answer is "nowhere"."""

    def __init__(self, page: str, pattern: str, flags: int = 0):
        self.page, self.pattern = page, re.compile(pattern, flags)
        self.asked, self.found = len(page) + 1, -1  # nothing asked yet

    def __call__(self, pos: int) -> int:
        if self.asked <= pos and (self.found < 0 or pos <= self.found):
            return self.found
        m = self.pattern.search(self.page, pos)
        self.asked, self.found = pos, (m.start() if m else -1)
        return self.found


def html_to_text(page: str) -> HtmlText:
    """Readable text and <title> of an HTML page: no tags, scripts or styles; blocks on own lines."""
    tokens, notes = _tokens(page)
    skip_to = _skipped(tokens, notes)
    parts: list[str] = []
    title: list[str] = []
    i = 0
    while i < len(tokens):
        kind, name, value, _ = tokens[i]
        if i in skip_to:
            i = skip_to[i] + 1
            continue
        if kind == "text":
            parts.append(_html.unescape(value))
        elif kind == "raw" and name == "title":
            title.append(_html.unescape(value))
            parts.append("\n")
        elif kind == "raw" and name not in SKIP:
            parts.append(_html.unescape(value) if name == "textarea" else value)
        elif name in BLOCK:
            parts.append("\n")
        i += 1
    lines = (" ".join(line.split()) for line in "".join(parts).splitlines())
    text = re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip()
    said = tuple(f"{what} at character {first:,}" + (f" (and {n - 1:,} more)" if n > 1 else "")
                 + ": the text after it is kept" for what, (first, n) in notes.items())
    return HtmlText(text, " ".join("".join(title).split()), said)


def _tokens(page: str) -> tuple[list[tuple[str, str, str, int]], dict[str, list[int]]]:
    """(kind, tag name, text, position) for text, start tags, end tags and raw-text elements."""
    n = len(page)
    tokens: list[tuple[str, str, str, int]] = []
    notes: dict[str, list[int]] = {}
    next_lt, next_gt = _Next(page, "<[A-Za-z/!?]"), _Next(page, ">")
    comment_end = _Next(page, "-->")
    quote_end = {'"': _Next(page, '"'), "'": _Next(page, "'")}
    raw_end: dict[str, _Next] = {}
    pos = 0

    def note(what: str, at: int) -> None:
        _note(notes, what, at)

    text_from = 0  # where the text not yet made a token starts; a '<' that opens nothing stays in it

    def construct(lt: int) -> None:
        """A tag, comment or declaration starts at `lt`: the text before it is a token."""
        if lt > text_from:
            tokens.append(("text", "", page[text_from:lt], text_from))

    while pos < n:
        lt = next_lt(pos)
        if lt < 0:
            break
        nxt = page[lt + 1:lt + 2]
        if page.startswith("<!--", lt):
            construct(lt)
            end = comment_end(lt + 4) if not page.startswith(("<!-->", "<!--->"), lt) else lt + 1
            if end < 0:
                note("an unclosed <!-- comment", lt)
                pos = text_from = lt + 4
            else:
                pos = text_from = page.find(">", end) + 1
            continue
        if nxt in ("!", "?") or (nxt == "/" and not _NAME.match(page, lt + 2)):
            gt = next_gt(lt + 2)  # <!DOCTYPE>, <![CDATA[...]]>, <?xml?>, </$>: skipped up to '>'
            if gt < 0:
                note(f"an unclosed <{nxt}", lt)
                pos = lt + 2
            else:
                construct(lt)
                pos = text_from = gt + 1
            continue
        closing = nxt == "/"
        m = _NAME.match(page, lt + 2 if closing else lt + 1)
        if m is None:
            pos = lt + 1  # "a < b": text
            continue
        end = _tag_end(page, m.end(), next_gt, quote_end)
        if end < 0:
            note("an unclosed tag", lt)
            pos = m.end()
            continue
        construct(lt)
        name = m.group().lower()
        pos = text_from = end + 1
        if closing:
            tokens.append(("end", name, "", lt))
        elif page[end - 1] == "/":
            tokens.append(("start", name, "/", lt))  # <br/>, <svg .../>: nothing inside
        elif name in RAW:
            finder = raw_end.setdefault(name, _Next(page, "</" + re.escape(name) + r"(?=[\t\n\f\r />])", re.I))
            close = finder(pos)
            if close < 0:
                note(f"an unclosed <{name}>", lt)
                tokens.append(("start", name, "", lt))  # its content is read as the page
                continue
            tokens.append(("raw", name, page[pos:close], lt))
            gt = next_gt(close)
            pos = text_from = gt + 1 if gt >= 0 else n
        else:
            tokens.append(("start", name, "", lt))
    if text_from < n:
        tokens.append(("text", "", page[text_from:], text_from))
    return tokens, notes


def _tag_end(page: str, pos: int, next_gt: _Next, quote_end: dict[str, _Next]) -> int:
    """The '>' ending the tag whose attributes start at `pos`, past quoted values; -1 when there
    is none. A quote never closed is not honoured: the next '>' ends the tag."""
    gt = next_gt(pos)
    if gt < 0:
        return -1
    at = pos
    while True:
        m = _ATTR_STOP.search(page, at, gt + 1)  # a '>' or a quoted value, whichever comes first
        if m.group() == ">":
            return m.start()
        close = quote_end[m[1]](m.end())
        if close < 0:
            return gt
        at = close + 1
        if at > gt:  # that '>' was inside the value
            later = next_gt(at)
            if later < 0:
                return gt
            gt = later


def _skipped(tokens: list[tuple[str, str, str, int]], notes: dict[str, list[int]]) -> dict[int, int]:
    """For each skipped element (<svg>, <noscript>, ...) that is closed, the token index of its
    start -> that of its end tag. An end tag closes the innermost open element of its name and
    any opened inside it; one never closed is noted and its content kept."""
    stack: list[int] = []
    open_by_name: dict[str, int] = {}
    skip_to: dict[int, int] = {}
    for i, (kind, name, value, _) in enumerate(tokens):
        if name not in SKIP or kind == "raw" or value == "/":
            continue
        if kind == "start":
            stack.append(i)
            open_by_name[name] = open_by_name.get(name, 0) + 1
        elif open_by_name.get(name):
            while True:
                j = stack.pop()
                open_by_name[tokens[j][1]] -= 1
                skip_to[j] = i
                if tokens[j][1] == name:
                    break
    for j in stack:
        _note(notes, f"an unclosed <{tokens[j][1]}>", tokens[j][3])
    return skip_to


def _note(notes: dict[str, list[int]], what: str, at: int) -> None:
    """Count a kind of damage, keeping where it first occurs."""
    notes.setdefault(what, [at, 0])[1] += 1
