import unicodedata

import pytest

from qms.lib import search
from qms.lib.search import MAX_TERMS, Terms, fold, highlight, snippet, terms


def nfd(text):
    return unicodedata.normalize("NFD", text)


# --- folding ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text, folded",
    [
        ("Đánh giá nội bộ", "danh gia noi bo"),
        ("ĐÁNH GIÁ NỘI BỘ", "danh gia noi bo"),
        ("danh gia noi bo", "danh gia noi bo"),
        ("Đăng ký", "dang ky"),
        ("đường Trường Sơn", "duong truong son"),
        ("Ưu tiên, ỦY BAN; ổn định!", "uu tien uy ban on dinh"),
        ("QT-01", "qt 01"),
        ("QT.ISO.02", "qt iso 02"),
        ("30/2020/NĐ-CP", "30 2020 nd cp"),
        ("mã_hiệu\tvà\n  dòng", "ma hieu va dong"),
        ("", ""),
        (" -- ; ", ""),
    ],
)
def test_it_folds_marks_capitals_and_d_with_stroke(text, folded):
    assert fold(text) == folded


def test_it_folds_decomposed_text_like_precomposed_text():
    # Text pasted from some PDFs arrives decomposed (base letter + combining marks).
    assert fold(nfd("Quyết định ĐÁNH GIÁ")) == fold("Quyết định ĐÁNH GIÁ") == "quyet dinh danh gia"


def test_it_folds_both_ways_to_the_same_words():
    assert fold("ĐÁNH GIÁ") == fold("đánh giá") == fold("Danh Gia") == fold("dánh gia")


def test_terms_are_whole_folded_words_and_the_last_one_being_typed_a_prefix():
    assert terms("Đánh  GIÁ, đánh") == Terms(("danh", "gia"), "danh")  # the phrase typed
    assert terms("kiem soat ho so") == Terms(("kiem", "soat", "ho"), "so")
    assert terms("kiem soat ho so ") == Terms(("kiem", "soat", "ho", "so"))  # finished
    assert terms(nfd("đánh giá")) == Terms(("danh",), "gia")  # a trailing accent is a letter
    assert terms('" * ( ) -') == Terms()
    assert not terms('" * ( ) -')
    assert len(terms(" ".join(f"tu{n}" for n in range(30)))) == MAX_TERMS


def test_a_short_syllable_matches_itself_not_the_syllables_it_begins():
    wanted = terms("kiem soat ho so")
    assert wanted.found_in("Kiểm soát hồ sơ") and wanted.found_in("kiểm soát hộ sổ sách")
    assert not wanted.found_in("Kiểm soát hoạt động học tập")
    assert wanted.matches("ho") and not wanted.matches("hoat") and wanted.matches("soan")


# --- highlight -------------------------------------------------------------------------


def test_highlight_marks_words_starting_with_a_term_keeping_the_original_text():
    assert (
        highlight("Quy trình ĐÁNH GIÁ và đánh giá lại", terms("danh gia"))
        == "Quy trình <mark>ĐÁNH</mark> <mark>GIÁ</mark> và <mark>đánh</mark> <mark>giá</mark> lại"
    )


def test_highlight_marks_prefixes_not_infixes():
    assert highlight("đăng ký, đăng kiểm", terms("dang k")) == (
        "<mark>đăng</mark> <mark>ký</mark>, <mark>đăng</mark> <mark>kiểm</mark>"
    )
    assert highlight("Thanh tra", terms("anh")) == "Thanh tra"


def test_highlight_escapes_html_inside_and_outside_marks():
    marked = highlight('<script>alert("đánh")</script> & Đánh<b>', terms("danh"))
    assert marked == (
        "&lt;script&gt;alert(&quot;<mark>đánh</mark>&quot;)&lt;/script&gt; &amp; "
        "<mark>Đánh</mark>&lt;b&gt;"
    )


def test_highlight_keeps_decomposed_marks_inside_the_mark():
    text = nfd("Đánh giá")
    assert highlight(text, terms("gia")) == nfd("Đánh <mark>giá</mark>")
    assert highlight(text, terms("danh")) == nfd("<mark>Đánh</mark> giá")


def test_highlight_without_terms_only_escapes():
    assert highlight("a < b", Terms()) == "a &lt; b"


# --- snippet ---------------------------------------------------------------------------

FILLER = "Nội dung không liên quan. " * 40


def test_snippet_shows_the_text_around_the_first_match_with_ellipses():
    text = FILLER + "Bước 3: ĐÁNH GIÁ hồ sơ <đủ điều kiện>. " + FILLER
    cut = snippet(text, terms("danh gia"), width=120)
    assert cut.startswith("…") and cut.endswith("…")
    assert "<mark>ĐÁNH</mark> <mark>GIÁ</mark> hồ sơ &lt;đủ điều kiện&gt;" in cut
    plain = cut.replace("<mark>", "").replace("</mark>", "")
    # At most the width, plus two ellipses and what escaping "<" and ">" adds.
    assert len(plain) <= 120 + 2 + 6
    # No word is cut in half at either end.
    assert plain[1:].split(" ")[0] in FILLER.split(" ")
    assert plain[:-1].split(" ")[-1] in FILLER.split(" ")


def test_snippet_is_the_beginning_when_nothing_matches():
    text = "Mục đích: quy định trình tự.\n\n" + FILLER
    cut = snippet(text, terms("kiem soat"), width=60)
    assert cut.startswith("Mục đích: quy định trình tự. Nội dung")
    assert cut.endswith("…") and "<mark>" not in cut


def test_snippet_of_a_short_text_is_all_of_it_flattened():
    assert snippet("QT-01\nQuy trình  đánh giá", terms("qt 01")) == (
        "<mark>QT</mark>-<mark>01</mark> Quy trình đánh giá"
    )


def test_snippet_finds_a_match_far_into_a_long_text():
    text = FILLER * 50 + "Thẩm định dự án" + FILLER
    cut = snippet(text, terms("tham dinh"), width=100)
    assert "<mark>Thẩm</mark> <mark>định</mark> dự án" in cut
    assert cut.startswith("…") and cut.endswith("…")


def test_highlight_maps_back_letters_that_fold_to_more_or_fewer_characters():
    # ß folds to "ss", İ to "i" plus a dropped mark, final ς like σ: spans still line up.
    assert highlight("ΟΔΟΣ Straße, İstanbul!", terms("οδος strasse istanbul")) == (
        "<mark>ΟΔΟΣ</mark> <mark>Straße</mark>, <mark>İstanbul</mark>!"
    )
    assert fold("ΟΔΟΣ Straße İstanbul") == fold("οδος strasse istanbul")


@pytest.mark.parametrize(
    "text",
    [
        "Quy trình ĐĂNG KÝ kinh doanh, tiếp nhận hồ sơ (QT-07/2026); Nghị định số 30/2020/NĐ-CP",
        "Bộ phận tiếp nhận và trả kết quả; đăng ký, thẩm định.\nKế hoạch  năm 2026 — ư ơ ữ ỹ",
        "",
    ],
)
def test_word_spans_of_precomposed_text_read_directly_match_the_mapped_ones(text):
    """Precomposed text skips the character-by-character mapping: same spans and words."""
    assert search._word_spans(text) == search._mapped_word_spans(text)
    spans = search._word_spans(text)
    assert [text[start:end] for start, end, _word in spans] == search._WORD.findall(text)


def test_snippet_shows_the_phrase_rather_than_the_first_word_alone():
    text = "Kiểm soát tài liệu. " + "Nội dung. " * 60 + "Lưu và kiểm soát hồ sơ của đơn vị."
    excerpt = snippet(text, terms("kiem soat ho so"), width=80)
    assert "<mark>kiểm</mark> <mark>soát</mark> <mark>hồ</mark> <mark>sơ</mark>" in excerpt
    assert excerpt.startswith("…")
