import codecs
import hashlib
import os
import re
import shutil
import socket
import tempfile
from contextlib import contextmanager
from datetime import date
from pathlib import Path

import pytest

from geo.articles import MANIFEST, load_bytes, load_file, load_folder, load_paths
from geo.errors import ArticleError


def _reasons(result):
    return {e.file: e.reason for e in result.errors}


def test_sample_folder_loads_every_article_with_manifest_dates_and_outlets(articles_dir):
    result = load_folder(articles_dir)
    assert result.errors == []
    by_file = {a.file: a for a in result.articles}
    assert len(by_file) == 5
    sun = by_file["000_5ee58bf401263aac.txt"]
    assert (sun.published, sun.published_basis, sun.outlet) == (date(2022, 4, 3), "manifest", "The Sun")
    assert by_file["001_a8534a7934f2fb9e.txt"].outlet == ""  # "unknown" in the manifest


def test_article_text_is_the_file_decoded_without_any_edit(articles_dir):
    for a in load_folder(articles_dir).articles:
        assert a.text == (articles_dir / a.file).read_bytes().decode("utf-8")


def test_id_is_a_content_hash_that_ignores_the_file_name(articles_dir, tmp_path):
    data = (articles_dir / "002_d106abd03eb864e9.txt").read_bytes()
    (tmp_path / "renamed.txt").write_bytes(data)
    a = load_file(tmp_path / "renamed.txt")
    assert a.id == hashlib.sha256(data).hexdigest()[:16]
    assert a.id == load_file(articles_dir / "002_d106abd03eb864e9.txt").id


def test_leading_date_line_dates_article_003_when_no_manifest(articles_dir, tmp_path):
    (tmp_path / "003.txt").write_bytes((articles_dir / "003_40143d16604e355b.txt").read_bytes())
    a = load_folder(tmp_path).articles[0]
    assert (a.published, a.published_basis) == (date(2022, 9, 16), "text")
    assert a.title.startswith("KYIV - Ukrainian authorities")
    assert a.text.startswith(" date 2022-09-16")


def test_manifest_date_wins_over_the_date_in_the_text(articles_dir, tmp_path):
    (tmp_path / "003.txt").write_bytes((articles_dir / "003_40143d16604e355b.txt").read_bytes())
    (tmp_path / MANIFEST).write_text("file,published,outlet,extra\n003.txt,2022-09-17,ST,x\n")
    a = load_folder(tmp_path).articles[0]
    assert (a.published, a.published_basis, a.outlet) == (date(2022, 9, 17), "manifest", "ST")


def test_undated_article_without_manifest_has_unknown_date(articles_dir, tmp_path):
    (tmp_path / "a.txt").write_bytes((articles_dir / "000_5ee58bf401263aac.txt").read_bytes())
    a = load_folder(tmp_path).articles[0]
    assert (a.published, a.published_basis) == (None, "unknown")
    assert a.title == "THE bodies of Ukrainian civilians lay strewn in roads today after Russian forces retreated from Kyiv."


def test_each_bad_file_is_reported_with_its_reason_and_the_batch_goes_on(articles_dir, tmp_path):
    (tmp_path / "good.txt").write_text("Bodies were found in Bucha.\n", encoding="utf-8")
    (tmp_path / "empty.txt").write_bytes(b"")
    (tmp_path / "blank.txt").write_bytes(b"  \n\t\n")
    (tmp_path / "binary.txt").write_bytes(b"PK\x03\x04\x00\x00abc")
    (tmp_path / "latin1.txt").write_bytes("caf\u00e9".encode("latin-1"))  # café or cafй: cannot be told
    (tmp_path / "huge.txt").write_bytes(b"a" * (2 * 1024 * 1024 + 1))
    (tmp_path / "scripts.html").write_text("<html><script>var a = 1;</script><style>p{}</style></html>")
    (tmp_path / "report.pdf").write_bytes(b"%PDF-1.4")
    result = load_folder(tmp_path)
    assert [a.file for a in result.articles] == ["good.txt"]
    reasons = _reasons(result)
    assert reasons["empty.txt"] == "empty file"
    assert reasons["blank.txt"] == "empty: only whitespace"
    assert reasons["binary.txt"].startswith("binary file (NUL byte at byte 4)")
    assert reasons["latin1.txt"].startswith("not UTF-8 at byte 3, and too short (4 bytes) to tell its encoding")
    assert reasons["huge.txt"].startswith("too big: 2,097,153 bytes")
    assert reasons["scripts.html"] == "HTML with no readable text"
    assert reasons["report.pdf"].startswith("skipped: unknown extension '.pdf'")


def test_size_limit_is_configurable(tmp_path):
    (tmp_path / "a.txt").write_text("x" * 100)
    assert _reasons(load_folder(tmp_path, max_bytes=50))["a.txt"].startswith("too big: 100 bytes, the limit is 50")


def test_a_folder_named_like_a_file_is_reported_not_raised_as_oserror(tmp_path):
    (tmp_path / "folder.txt").mkdir()
    with pytest.raises(ArticleError, match="a folder named like a file"):
        load_file(tmp_path / "folder.txt")


def test_utf8_with_bom_is_read(tmp_path):
    (tmp_path / "bom.txt").write_bytes(b"\xef\xbb\xbfIzium, Kharkiv region")
    assert load_file(tmp_path / "bom.txt").text == "Izium, Kharkiv region"


def test_html_keeps_readable_text_drops_scripts_and_takes_the_title(tmp_path):
    page = (
        "<html><head><title>Mass grave in Izium &amp; more</title><style>.a{color:red}</style></head>"
        "<body><h1>Izium</h1><p>More than 440 bodies&nbsp;were found.<script>alert('x')</script></p>"
        "<p>Police said so.</p></body></html>"
    )
    (tmp_path / "page.html").write_text(page)
    a = load_file(tmp_path / "page.html")
    assert a.title == "Mass grave in Izium & more"
    assert a.text == "Izium\n\nMore than 440 bodies were found.\n\nPolice said so."
    assert "alert" not in a.text and "color" not in a.text


def test_markdown_is_read_as_text(tmp_path):
    (tmp_path / "n.md").write_text("# Bucha\n\n*At least* 20 bodies.\n")
    a = load_file(tmp_path / "n.md")
    assert a.text == "# Bucha\n\n*At least* 20 bodies.\n"
    assert a.title == "# Bucha"


def test_bad_manifest_rows_are_reported_and_the_rest_kept(articles_copy):
    (articles_copy / MANIFEST).write_text(
        "file,published,outlet\n"
        "000_5ee58bf401263aac.txt,2022-13-40,The Sun\n"
        ",2022-04-04,Nobody\n"
        "001_a8534a7934f2fb9e.txt,2022-04-04,AP\n"
        "gone.txt,2022-04-04,Ghost\n"
    )
    result = load_folder(articles_copy)
    assert len(result.articles) == 5
    by_file = {a.file: a for a in result.articles}
    assert by_file["000_5ee58bf401263aac.txt"].published is None
    assert by_file["000_5ee58bf401263aac.txt"].outlet == "The Sun"
    assert by_file["001_a8534a7934f2fb9e.txt"].outlet == "AP"
    messages = [str(e) for e in result.errors]
    assert any("line 2: bad date '2022-13-40'" in m for m in messages)
    assert any("line 3: no file name" in m for m in messages)
    assert _reasons(result)["gone.txt"] == "listed in manifest.csv but the file is missing"


def test_manifest_without_file_column_is_reported_and_ignored(articles_copy):
    (articles_copy / MANIFEST).write_text("name,date\nx,y\n")
    result = load_folder(articles_copy)
    assert len(result.articles) == 5
    assert "no 'file' column" in _reasons(result)[MANIFEST]


def test_same_content_twice_is_loaded_once(articles_dir, tmp_path):
    data = (articles_dir / "004_f85a9b2e09923da0.txt").read_bytes()
    (tmp_path / "a.txt").write_bytes(data)
    (tmp_path / "b.txt").write_bytes(data)
    result = load_paths([tmp_path])
    assert [a.file for a in result.articles] == ["a.txt"]
    assert _reasons(result)["b.txt"] == "skipped: same content as a.txt"


def test_load_paths_mixes_files_and_folders_and_reports_missing_paths(articles_dir, tmp_path):
    result = load_paths([articles_dir / "000_5ee58bf401263aac.txt", tmp_path / "nope.txt", articles_dir])
    assert len(result.articles) == 5
    assert _reasons(result)[str(tmp_path / "nope.txt")] == "no such file or folder"


def test_uploaded_bytes_become_an_article_with_the_given_date():
    a = load_bytes("upload.txt", "Bodies in Bucha.".encode(), published=date(2022, 4, 3), outlet="AP")
    assert (a.file, a.text, a.published, a.published_basis, a.outlet) == ("upload.txt", "Bodies in Bucha.", date(2022, 4, 3), "manifest", "AP")
    with pytest.raises(ArticleError, match="not UTF-8 at byte 1"):
        load_bytes("upload.txt", b"a\xff")


def test_long_first_line_title_is_cut_at_a_word():
    a = load_bytes("x.txt", ("word " * 60).encode())
    assert len(a.title) <= 121 and a.title.endswith("word…")


def test_a_single_file_takes_its_metadata_from_the_manifest_beside_it(articles_dir):
    a = load_paths([articles_dir / "004_f85a9b2e09923da0.txt"]).articles[0]
    assert (a.outlet, a.published, a.published_basis) == ("ITV News", date(2022, 9, 15), "manifest")


# ---- odd folder entries: each one named with its reason, nothing but a regular file opened ----

@pytest.fixture
def short_dir():
    """A folder with a short path (a socket's path is limited to 108 bytes), readable by anyone."""
    path = Path(tempfile.mkdtemp(prefix="odd"))
    path.chmod(0o755)
    yield path
    for p in path.iterdir():
        if p.is_dir() and not p.is_symlink():
            p.chmod(0o755)
    shutil.rmtree(path)


@contextmanager
def as_unprivileged():
    """File permissions do not stop root: run the block as `nobody` when we are root."""
    if os.geteuid() != 0:
        yield
        return
    os.setegid(65534)
    os.seteuid(65534)
    try:
        yield
    finally:
        os.seteuid(0)
        os.setegid(0)


def test_every_folder_entry_that_is_not_an_article_is_named_and_none_is_opened(short_dir):
    d = short_dir
    (d / "good.txt").write_text("At least 20 bodies were found in Bucha.\n", encoding="utf-8")
    (d / ".hidden.txt").write_text("Bodies in Bucha.\n", encoding="utf-8")
    (d / "dangling.txt").symlink_to(d / "nowhere.txt")
    (d / "zero.txt").symlink_to("/dev/zero")
    (d / "link.txt").symlink_to(d / "good.txt")
    os.mkfifo(d / "pipe.txt")
    server = socket.socket(socket.AF_UNIX)
    server.bind(str(d / "sock.txt"))
    (d / "folder.txt").mkdir()
    (d / "images").mkdir()
    with open(os.fsencode(d) + b"/caf\xe9.txt", "wb") as f:
        f.write(b"Bodies in Bucha.\n")
    (d / "bell\x07.txt").write_text("Bodies in Kyiv.\n", encoding="utf-8")
    try:
        result = load_folder(d)
    finally:
        server.close()
    assert sorted(a.file for a in result.articles) == ["good.txt"]
    reasons = _reasons(result)
    assert reasons == {
        ".hidden.txt": "skipped: hidden (the name starts with a dot)",
        "dangling.txt": f"skipped: a symbolic link to {d / 'nowhere.txt'}, which does not exist",
        "zero.txt": "skipped: a character device (through a symbolic link), not a regular file; not opened",
        "link.txt": "skipped: same content as good.txt",
        "pipe.txt": "skipped: a named pipe (FIFO), not a regular file; not opened",
        "sock.txt": "skipped: a socket, not a regular file; not opened",
        "folder.txt": "skipped: a folder named like a file; subfolders are not read",
        "images": "skipped: a folder; subfolders are not read",
        "caf\\xe9.txt": "the file name is not valid UTF-8; rename the file",
        "bell\\x07.txt": "the file name contains control characters; rename the file",
    }


def test_a_fifo_named_on_the_command_line_is_refused_without_blocking(short_dir):
    os.mkfifo(short_dir / "pipe.txt")
    result = load_paths([short_dir / "pipe.txt"])
    assert _reasons(result) == {"pipe.txt": "skipped: a named pipe (FIFO), not a regular file; not opened"}


def test_unreadable_files_and_folders_are_named_with_the_reason(short_dir):
    (short_dir / "good.txt").write_text("Bodies in Bucha.\n", encoding="utf-8")
    (short_dir / "secret.txt").write_text("Bodies in Irpin.\n", encoding="utf-8")
    (short_dir / "secret.txt").chmod(0)
    locked = short_dir / "locked"
    locked.mkdir()
    (locked / "a.txt").write_text("Bodies in Irpin.\n", encoding="utf-8")
    locked.chmod(0)
    with as_unprivileged():
        inside = load_folder(short_dir)
        closed = load_folder(locked)
    assert [a.file for a in inside.articles] == ["good.txt"]
    assert _reasons(inside)["secret.txt"] == "unreadable: Permission denied"
    assert _reasons(closed) == {str(locked): "cannot list the folder: Permission denied"}


# ---- encodings: decoded honestly, the codec recorded, guesses noted --------------------------

RUSSIAN = "Во вторник в результате обстрела Харькова погибли по меньшей мере 12 человек, ещё 30 ранены."
UKRAINIAN = "У вівторок унаслідок обстрілу Харкова загинули щонайменше 12 людей, ще 30 поранені. Ґрунт, їжак, є."


@pytest.mark.parametrize("codec, data, noted", [
    ("utf-16-le", codecs.BOM_UTF16_LE + RUSSIAN.encode("utf-16-le"), False),
    ("utf-16-be", codecs.BOM_UTF16_BE + RUSSIAN.encode("utf-16-be"), False),
    ("utf-32-le", codecs.BOM_UTF32_LE + RUSSIAN.encode("utf-32-le"), False),
    ("utf-16-le", RUSSIAN.encode("utf-16-le"), True),
    ("utf-16-be", ("Kharkiv: " + RUSSIAN).encode("utf-16-be"), True),
    ("cp1251", RUSSIAN.encode("cp1251"), True),
    ("koi8-r", RUSSIAN.encode("koi8_r"), True),
    ("koi8-u", UKRAINIAN.encode("koi8_u"), True),
    ("cp1251", UKRAINIAN.encode("cp1251"), True),
])
def test_other_encodings_are_read_and_recorded_with_a_note_when_guessed(codec, data, noted):
    a = load_bytes("a.txt", data)
    assert a.text in (RUSSIAN, UKRAINIAN, "Kharkiv: " + RUSSIAN)
    assert a.encoding == codec
    assert bool(a.notes) is noted


def test_a_byte_order_mark_that_lies_is_refused():
    with pytest.raises(ArticleError, match="starts with a UTF-16 LE byte-order mark but is not UTF-16 LE at byte 4"):
        load_bytes("a.txt", codecs.BOM_UTF16_LE + b"A\x00\x00\xdc")


@pytest.mark.parametrize("data, reason", [
    (("Харьков погибли. " * 3).encode("iso8859_5"), "both windows-1251 and KOI8-R read as text"),
    ("Kyiv café".encode("cp1252"), "not UTF-8 at byte 8, and too short (9 bytes) to tell its encoding"),
    (RUSSIAN.encode()[:40] + b"\xff" + RUSSIAN.encode()[41:],
     "not UTF-8 at byte 39, though the rest reads as UTF-8: the file is damaged"),
])
def test_text_whose_encoding_cannot_be_told_is_refused_not_guessed(data, reason):
    with pytest.raises(ArticleError, match=re.escape(reason)):
        load_bytes("a.txt", data)


def test_an_html_page_in_windows_1251_is_read_as_its_meta_charset_says():
    page = b'<html><head><meta charset="windows-1251"><title>\xd5\xe0\xf0\xfc\xea\xee\xe2</title></head>' \
           + b"<body><p>" + RUSSIAN.encode("cp1251") + b"</p></body></html>"
    a = load_bytes("a.html", page)
    assert (a.text, a.title, a.encoding) == (RUSSIAN, "Харьков", "cp1251")
    assert a.notes == ("not UTF-8: read as cp1251, as its <meta charset> says",)


@pytest.mark.parametrize("data, reason", [
    (codecs.BOM_UTF16_LE + " \n\t ".encode("utf-16-le"), "empty: only whitespace"),
    ("\u200b\u200e \n\ufeff\u2060".encode(), "empty: only whitespace and invisible characters"),
    (bytes(range(1, 9)) * 50 + b"Kyiv", "binary file: 400 control characters in 404"),
])
def test_files_with_nothing_to_read_are_refused(data, reason):
    with pytest.raises(ArticleError, match=re.escape(reason)):
        load_bytes("a.txt", data)


# ---- HTML: linear, and the text after an unclosed element kept with a note ---------------------

@pytest.mark.parametrize("opening", ["<svg>", "<iframe>", "<title>", "<style>", "<!--", "<noscript>"])
def test_text_after_an_unclosed_element_is_kept_and_noted(opening):
    a = load_bytes("a.html", f"<p>Shelling in Kharkiv.</p>{opening}<p>At least 20 bodies were found in Bucha.</p>".encode())
    assert a.text.endswith("At least 20 bodies were found in Bucha.")
    name = opening.strip("<>") if opening != "<!--" else "!-- comment"
    assert len(a.notes) == 1 and a.notes[0].startswith(f"an unclosed <{name}") and a.notes[0].endswith("the text after it is kept")


def test_80_kb_of_unclosed_comments_reads_at_once():
    """html.parser took 51 s on this (quadratic); the page is read in one pass."""
    a = load_bytes("a.html", b"<p>Bodies in Bucha.</p>" + b"<!--" * 20_000)
    assert a.text.startswith("Bodies in Bucha.")
    assert a.notes == ("an unclosed <!-- comment at character 23 (and 19,999 more): the text after it is kept",)


def test_a_quoted_attribute_holding_a_bracket_does_not_end_its_tag():
    a = load_bytes("a.html", b"<p title='a > b'>Bodies in Bucha.</p><img alt=\"x>y\">")
    assert a.text == "Bodies in Bucha."


# ---- dates and the manifest ---------------------------------------------------------------------

def test_a_date_line_outside_the_plausible_years_is_ignored_with_a_note():
    a = load_bytes("a.txt", b"date 3000-01-01\nAt least 20 bodies were found in Bucha.")
    assert (a.published, a.published_basis) == (None, "unknown")
    assert a.notes == ("the date line 'date 3000-01-01' has a year outside 1900..2100; publication date unknown",)


def test_a_publication_date_outside_the_plausible_years_is_refused():
    with pytest.raises(ArticleError, match="publication date 0001-01-01 is outside 1900..2100"):
        load_bytes("a.txt", b"Bodies in Bucha.", published=date(1, 1, 1))


def test_manifest_rows_with_impossible_years_or_huge_fields_are_reported_and_the_rest_kept(articles_copy):
    (articles_copy / MANIFEST).write_text(
        "file,published,outlet\n"
        "000_5ee58bf401263aac.txt,0001-01-01,The Sun\n"
        f"001_a8534a7934f2fb9e.txt,2022-04-04,\"{'x' * 140_000}\"\n"
        "002_d106abd03eb864e9.txt,3000-01-01,AP\n"
        "003_40143d16604e355b.txt,2022-09-16,Reuters\n"
    )
    result = load_folder(articles_copy)
    by_file = {a.file: a for a in result.articles}
    assert len(by_file) == 5
    assert (by_file["000_5ee58bf401263aac.txt"].published, by_file["000_5ee58bf401263aac.txt"].outlet) == (None, "The Sun")
    assert by_file["003_40143d16604e355b.txt"].outlet == "Reuters"
    assert [e.reason for e in result.errors] == [
        "line 2: date 0001-01-01 for 000_5ee58bf401263aac.txt is outside 1900..2100; ignored",
        "line 3: field larger than field limit (131072); the row is ignored",
        "line 4: date 3000-01-01 for 002_d106abd03eb864e9.txt is outside 1900..2100; ignored",
    ]


def test_a_manifest_that_is_a_fifo_is_not_opened(articles_copy):
    (articles_copy / MANIFEST).unlink()
    os.mkfifo(articles_copy / MANIFEST)
    result = load_folder(articles_copy)
    assert len(result.articles) == 5
    assert _reasons(result) == {MANIFEST: "skipped: a named pipe (FIFO), not a regular file; not opened; the manifest is ignored"}
