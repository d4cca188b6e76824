import hashlib
from datetime import date

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
    assert reasons["latin1.txt"].startswith("not UTF-8 at byte 3, and both windows-1251 and windows-1252 read")
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
