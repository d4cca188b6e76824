"""Bytes to text, saying which encoding was used, and refusing what cannot honestly be told.

The order (docs/robustness.md):
1. a byte-order mark decides (UTF-8, UTF-16 or UTF-32, either byte order);
2. valid UTF-8 is UTF-8;
3. NUL bytes without a mark: UTF-16 or UTF-32 when exactly one byte order reads as text in the
   scripts these articles use, else the file is binary;
4. otherwise an 8-bit code page common for this domain's text (windows-1251, KOI8-R, KOI8-U,
   windows-1252): the one an HTML page declares in <meta charset>, else the one
   charset-normalizer finds clearly the least garbled. Refused rather than guessed: fewer than
   32 bytes, UTF-8 with a damaged byte (it would read as mojibake), and text that two code
   pages read as plausible but different text (short Cyrillic lines fit windows-1251 and KOI8-R).
Anything decoded by a guess (3 and 4) carries a note saying so, kept with the article.
"""
from __future__ import annotations

import codecs
import re
from dataclasses import dataclass

from geo.errors import ArticleError

LEGACY = ("cp1251", "koi8_r", "koi8_u", "cp1252")
# A code page is taken only when its text is this clean (charset-normalizer's "mess" ratio)...
MAX_MESS = 0.05
# ...and a different reading is this much messier or this much less like a language.
MARGIN = 0.02
# The share of characters of a byte-order-less UTF-16/32 reading that must be in the scripts and
# punctuation these articles use; the wrong byte order gives CJK or unassigned characters.
MIN_EXPECTED = 0.90
# A code page is guessed only from this many bytes: "caf\xe9" is café, cafй or cafИ.
MIN_GUESS_BYTES = 32
# Text that is UTF-8 but for a damaged byte: most bytes over 0x7f form valid UTF-8 sequences
# (under 15% in windows-1251 or KOI8 text; 98% in UTF-8 with a few bytes flipped). Read as a
# code page it would be mojibake ("Ð’Ð¾ Ð²Ñ‚"), so it is refused.
MIN_UTF8_SHARE = 0.5
_HIGH = bytes(range(0x80, 0x100))
_UTF8_SEQUENCE = re.compile(rb"[\xc2-\xdf][\x80-\xbf]|\xe0[\xa0-\xbf][\x80-\xbf]|[\xe1-\xec\xee\xef][\x80-\xbf]{2}"
                            rb"|\xed[\x80-\x9f][\x80-\xbf]|\xf0[\x90-\xbf][\x80-\xbf]{2}|[\xf1-\xf3][\x80-\xbf]{3}"
                            rb"|\xf4[\x80-\x8f][\x80-\xbf]{2}")
# More control characters than this share (beyond tab, newlines, form feed) and it is not text.
MAX_CONTROL = 0.05

_BOMS = (  # longest first: the UTF-32 LE mark starts with the UTF-16 LE one
    (codecs.BOM_UTF32_LE, "utf-32-le"), (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"), (codecs.BOM_UTF16_LE, "utf-16-le"), (codecs.BOM_UTF16_BE, "utf-16-be"),
)
_EXPECTED = re.compile(
    "[\t\n\r\x20-\x7e\xa0-\u024f\u0370-\u052f\u1e00-\u1eff\u2000-\u206f\u20a0-\u20cf\u2100-\u214f]")
_CONTROL = re.compile("[\x00-\x08\x0b\x0e-\x1f\x7f-\x9f]")
_META_CHARSET = re.compile(rb"""<meta[^>]{0,200}?charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]{1,40})""", re.I)


@dataclass(frozen=True)
class Decoded:
    text: str
    encoding: str     # a Python codec name: "utf-8", "utf-16-le", "cp1251", ...
    note: str = ""    # how the encoding was chosen, when it was not certain from the bytes


def decode(name: str, data: bytes, html: bool = False) -> Decoded:
    """The text of a file's bytes; ArticleError saying why when no encoding can be told."""
    decoded = _decode(name, data, html)
    controls = len(decoded.text) - len(_CONTROL.sub("", decoded.text))
    if controls > MAX_CONTROL * len(decoded.text):
        raise ArticleError(name, f"binary file: {controls:,} control characters in {len(decoded.text):,}, not text")
    return decoded


def _decode(name: str, data: bytes, html: bool) -> Decoded:
    for bom, codec in _BOMS:
        if data.startswith(bom):
            try:
                return Decoded(data[len(bom):].decode(codec), codec)
            except UnicodeDecodeError as e:
                raise ArticleError(name, f"starts with a {_label(codec)} byte-order mark but is not "
                                         f"{_label(codec)} at byte {e.start + len(bom)}") from e
    nul = data.find(b"\x00")
    if nul >= 0:  # never in UTF-8 or 8-bit text
        return _wide(name, data, nul)
    try:
        return Decoded(data.decode("utf-8"), "utf-8")
    except UnicodeDecodeError as e:
        not_utf8 = e.start
    declared = _declared(data) if html else None
    if declared:
        try:
            return Decoded(data.decode(declared), declared, f"not UTF-8: read as {declared}, as its <meta charset> says")
        except UnicodeDecodeError:
            pass  # a wrong declaration: detect instead
    return _legacy(name, data, not_utf8)


def _wide(name: str, data: bytes, nul: int) -> Decoded:
    """UTF-16 or UTF-32 without a byte-order mark, when exactly one reading is text."""
    fits = []
    if len(data) < MIN_GUESS_BYTES:
        raise ArticleError(name, f"binary file (NUL byte at byte {nul}), not text: too short to tell UTF-16 "
                                 "without a byte-order mark from binary")
    for codec, unit in (("utf-32-le", 4), ("utf-32-be", 4), ("utf-16-le", 2), ("utf-16-be", 2)):
        if len(data) % unit:
            continue
        try:
            text = data.decode(codec)
        except UnicodeDecodeError:
            continue
        share = (len(text) - len(_EXPECTED.sub("", text))) / max(1, len(text))
        if share >= MIN_EXPECTED:
            fits.append((codec, text, share))
    if len(fits) == 1:
        codec, text, share = fits[0]
        return Decoded(text, codec, f"no byte-order mark: read as {_label(codec)}, the only reading that is "
                                    f"text ({share:.0%} letters, digits, punctuation and spaces)")
    raise ArticleError(name, f"binary file (NUL byte at byte {nul}), not text; if it is UTF-16, save it "
                             "with a byte-order mark or as UTF-8")


def _legacy(name: str, data: bytes, not_utf8: int) -> Decoded:
    if len(data) < MIN_GUESS_BYTES:
        raise ArticleError(name, f"not UTF-8 at byte {not_utf8}, and too short ({len(data)} bytes) to tell its "
                                 "encoding; save the file as UTF-8")
    high = len(data) - len(data.translate(None, _HIGH))
    if sum(map(len, _UTF8_SEQUENCE.findall(data))) >= MIN_UTF8_SHARE * high:
        raise ArticleError(name, f"not UTF-8 at byte {not_utf8}, though the rest reads as UTF-8: the file is "
                                 "damaged; save it again as UTF-8")
    from charset_normalizer import from_bytes

    matches = [m for m in from_bytes(data, cp_isolation=list(LEGACY)) if m.encoding in LEGACY]
    matches.sort(key=lambda m: (m.chaos, -m.coherence))
    tried = "tried windows-1251, KOI8-R, KOI8-U and windows-1252"
    if not matches or matches[0].chaos > MAX_MESS:
        raise ArticleError(name, f"not UTF-8 at byte {not_utf8}, and no other encoding reads as text "
                                 f"({tried}); save the file as UTF-8")
    best, text = matches[0], str(matches[0])
    for other in matches[1:]:
        if other.chaos <= MAX_MESS and str(other) != text and \
                other.chaos - best.chaos < MARGIN and best.coherence - other.coherence < MARGIN:
            raise ArticleError(name, f"not UTF-8 at byte {not_utf8}, and both {_label(best.encoding)} and "
                                     f"{_label(other.encoding)} read as text; save the file as UTF-8")
    codec = codecs.lookup(best.encoding).name
    return Decoded(text, codec, f"not UTF-8: read as {_label(codec)} (detected: {best.chaos:.0%} garbled"
                                + (f", reads as {best.language}" if best.language != "Unknown" else "") + ")")


def _declared(data: bytes) -> str | None:
    """The code page an HTML page declares in its first 1,024 bytes, when Python knows it."""
    m = _META_CHARSET.search(data[:1024])
    if not m:
        return None
    try:
        codec = codecs.lookup(m[1].decode("ascii")).name
    except LookupError:
        return None
    return None if codec.startswith(("utf-16", "utf-32", "utf-8")) else codec


_LABELS = {"utf-8": "UTF-8", "utf-16-le": "UTF-16 LE", "utf-16-be": "UTF-16 BE", "utf-32-le": "UTF-32 LE",
           "utf-32-be": "UTF-32 BE", "cp1251": "windows-1251", "cp1252": "windows-1252", "koi8-r": "KOI8-R",
           "koi8_r": "KOI8-R", "koi8-u": "KOI8-U", "koi8_u": "KOI8-U"}


def _label(codec: str) -> str:
    return _LABELS.get(codec, codec)
