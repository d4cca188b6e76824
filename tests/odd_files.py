"""Odd article files for the fuzz suite: the kinds a hostile tester (issue 14) tried, and more.

`odd_articles(n, seed)` gives (name, bytes) pairs, the same for the same seed (names may hold a
'/', as an uploaded file's name can); `write_folder`
puts them in a folder with the special entries bytes cannot make (pipes, links, sockets,
folders named like files, names that are not UTF-8). Sizes stay small (a few KB, one 200 KB
line): the point is odd input, not slow input, so the whole suite runs in seconds.
"""
from __future__ import annotations

import codecs
import os
import random
import socket
from pathlib import Path

SAMPLE = ("At least 12 people were killed and 30 injured in Kharkiv on Sunday, governor Oleh Synehubov said. "
          "Rescuers found 440 bodies in a mass grave near Izium. ")
RUSSIAN = "Во вторник в результате обстрела Харькова погибли по меньшей мере 12 человек, ещё 30 ранены. "
UKRAINIAN = "У вівторок унаслідок обстрілу Харкова загинули щонайменше 12 людей, ще 30 поранені. "
ODD_CHARS = "\u200b\u200c\u200d\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\ufeff\u00ad\u061c"
RTL = "قُتل 12 شخصًا في خاركيف. נהרגו 30 אנשים בקייב. "
EXTENSIONS = (".txt", ".md", ".html", ".htm")
ODD_NAMES = ("Харків", "קייב", "العربية", "naïve", "日本", "a" * 200,
             "-rf", "..", "$(id)", "`id`", "%s%n", "<b>", "&amp;", "\u202etxt")


def _text(rng: random.Random) -> str:
    return rng.choice([SAMPLE, RUSSIAN, UKRAINIAN, RTL]) * rng.randint(1, 3)


def _kinds() -> dict[str, callable]:
    def random_bytes(r):
        return r.randbytes(r.randint(1, 3000))

    def random_bytes_no_nul(r):
        return r.randbytes(r.randint(1, 3000)).replace(b"\x00", b"\x01")

    def truncated_utf8(r):
        data = _text(r).encode()
        return data[:r.randint(1, len(data) - 1)]

    def broken_utf8(r):
        data = bytearray(_text(r).encode())
        for _ in range(r.randint(1, 5)):
            data[r.randrange(len(data))] = r.choice([0x80, 0xbf, 0xc0, 0xc3, 0xe2, 0xf0, 0xff])
        return bytes(data)

    def huge_line(r):
        word = r.choice(["word ", "Kharkiv ", "12 ", "x", "ж"])
        return (word * (200_000 // len(word)))[:r.randint(50_000, 200_000)].encode()

    def many_numbers(r):
        return " ".join(str(r.randint(0, 10 ** r.randint(1, 30))) for _ in range(r.randint(1, 400))).encode()

    def huge_number(r):
        digits = r.choice(["9,223,372,036,854,775,808", "1" * r.randint(12, 2000), "1,000" * r.randint(3, 50),
                           "0." + "9" * 500, "1e309", "10,000,000,001", "9" * 4301])
        return f"{digits} people were killed in Kharkiv. At least 3 people were injured.".encode()

    def odd_date(r):
        line = r.choice(["date 3000-01-01", "date 0001-01-01", "date 9999-12-31", "date 2022-02-30",
                         "date 0000-00-00", "date 1899-12-31", "date 2101-01-01", "date 2022-13-01"])
        tail = r.choice(["Yesterday 5 people were killed in Kharkiv.", "On Sunday 3 bodies were found in Bucha.",
                         "Last week 12 people died in Izium.", "Earlier this month 4 mines were found."])
        return f"{line}\n{tail}".encode()

    def deep_html(r):
        depth = r.randint(100, 5000)
        tag = r.choice(["div", "span", "svg", "b", "noscript", "table"])
        return (f"<{tag}>" * depth + SAMPLE + f"</{tag}>" * r.randint(0, depth)).encode()

    def unclosed_html(r):
        opening = r.choice(["<!--", "<a ", "<a b='", '<a b="', "<![CDATA[", "<!", "<?", "</$", "<svg>",
                            "<iframe>", "<title>", "<style>", "<script>", "<textarea>"])
        return (f"<p>{SAMPLE}</p>" + opening * r.randint(1, 3000) + f"<p>{SAMPLE}</p>").encode()

    def html_in_legacy(r):
        page = f'<html><head><meta charset="windows-1251"></head><body><p>{RUSSIAN}</p></body></html>'
        return page.encode("cp1251")

    def zero_width(r):
        text = _text(r)
        return "".join(c + (r.choice(ODD_CHARS) if r.random() < 0.3 else "") for c in text).encode()

    def control_chars(r):
        text = _text(r)
        return "".join(c + (chr(r.randrange(1, 32)) if r.random() < r.choice([0.01, 0.5]) else "") for c in text).encode()

    def only_invisible(r):
        return "".join(r.choice(" \t\n\r\u00a0\u2003" + ODD_CHARS) for _ in range(r.randint(1, 200))).encode()

    def wide(r):
        codec = r.choice(["utf-16", "utf-16-le", "utf-16-be", "utf-32", "utf-32-le", "utf-32-be"])
        return _text(r).encode(codec)

    def legacy(r):
        text, codec = r.choice([(RUSSIAN, "cp1251"), (RUSSIAN, "koi8_r"), (UKRAINIAN, "koi8_u"),
                                (UKRAINIAN, "cp1251"), ("Kyiv caf\u00e9 \u201cnews\u201d. ", "cp1252"),
                                (RUSSIAN, "cp866"), (RUSSIAN, "mac_cyrillic"), ("caf\u00e9", "latin-1")])
        return (text * r.randint(1, 3)).encode(codec)

    def lying_bom(r):
        bom = r.choice([codecs.BOM_UTF8, codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE, codecs.BOM_UTF32_LE])
        return bom + r.randbytes(r.randint(0, 500))

    def empty(r):
        return r.choice([b"", b" ", b"\n\n", codecs.BOM_UTF8, codecs.BOM_UTF16_LE])

    def markdown(r):
        return (f"# ![p](http://203.0.113.9/pixel.png)\n\n*{SAMPLE}*\n\n<script>alert(1)</script>\n"
                f"[link](javascript:alert(1)) {r.randint(0, 10**12)} bodies").encode()

    def one_sentence_list(r):
        towns = ["Kharkiv", "Izium", "Bucha", "Irpin", "Kupiansk", "Balakliia", "Lyman", "Bakhmut"]
        return ("Shelling hit " + ", ".join(r.choice(towns) for _ in range(r.randint(10, 200)))
                + f" and {r.randint(1, 99)} people were killed.").encode()

    def ordinary(r):
        return _text(r).encode()

    return {f.__name__: f for f in (
        random_bytes, random_bytes_no_nul, truncated_utf8, broken_utf8, huge_line, many_numbers, huge_number,
        odd_date, deep_html, unclosed_html, html_in_legacy, zero_width, control_chars, only_invisible, wide,
        legacy, lying_bom, empty, markdown, one_sentence_list, ordinary)}


def _name(rng: random.Random, i: int, kind: str, html: bool) -> str:
    ext = rng.choice(EXTENSIONS[2:] if html else EXTENSIONS[:2] if rng.random() < 0.9 else EXTENSIONS)
    style = rng.randrange(10)
    if style == 0:
        return f"![p](http://203.0.113.9/{i}.png){ext}"
    if style == 1:
        return f"{i} {rng.choice(ODD_NAMES[:6])}{ext}"
    if style == 2:
        return f"{i}-{rng.choice(ODD_NAMES[6:])}{ext}"
    if style == 3:
        return f"{i}_{kind}{rng.choice(['.TXT', '.Html', '.pdf', '', '.txt.exe', '.docx'])}"
    return f"{i:04d}_{kind}{ext}"


def odd_articles(n: int = 1000, seed: int = 0) -> list[tuple[str, bytes]]:
    """`n` (file name, bytes) pairs, every kind in turn, names made odd one time in ten or so."""
    rng = random.Random(seed)
    kinds = list(_kinds().items())
    out = []
    for i in range(n):
        kind, make = kinds[i % len(kinds)]
        out.append((_name(rng, i, kind, "html" in kind), make(rng)))
    return out


def write_folder(folder: Path, n: int = 1000, seed: int = 0) -> list[str]:
    """The odd articles and the special entries, written to `folder`; the entry names, as
    os.listdir gives them. A socket is bound only while `folder` is short enough for one."""
    folder.mkdir(parents=True, exist_ok=True)
    for name, data in odd_articles(n, seed):
        (folder / name.replace("/", "\u2215")).write_bytes(data)  # a slash cannot be in a file name
    (folder / ".hidden.txt").write_bytes(SAMPLE.encode())
    (folder / "dangling.txt").symlink_to(folder / "nowhere.txt")
    (folder / "zero.txt").symlink_to("/dev/zero")
    (folder / "loop.txt").symlink_to(folder / "loop.txt")
    os.mkfifo(folder / "pipe.txt")
    (folder / "folder.txt").mkdir()
    with open(os.fsencode(folder) + b"/caf\xe9.txt", "wb") as f:
        f.write(SAMPLE.encode())
    (folder / "new\nline.txt").write_bytes(SAMPLE.encode())
    (folder / "manifest.csv").write_text(
        "file,published,outlet,title\n"
        f"0000_random_bytes.txt,3000-01-01,Nowhere,x\n"
        f"0001_random_bytes_no_nul.txt,0001-01-01,,\n"
        f"0002_truncated_utf8.txt,2022-04-04,\"{'x' * 140_000}\",\n"
        f"not-there.txt,2022-04-04,,\n", encoding="utf-8")
    if len(os.fsencode(folder / "sock.txt")) < 100:
        sock = socket.socket(socket.AF_UNIX)
        sock.bind(str(folder / "sock.txt"))
        sock.close()
    return os.listdir(folder)
