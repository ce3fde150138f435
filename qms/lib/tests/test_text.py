from qms.lib.text import clean_text, xml_safe


def test_clean_text_keeps_tabs_and_line_feeds_and_drops_other_controls():
    assert clean_text("STT\tNội dung\r\nDòng 2\rDòng 3") == "STT\tNội dung\nDòng 2\nDòng 3"
    assert clean_text("a\x00b\x07c\x1bd\x7fe\x85f\x9fg") == "abcdefg"
    assert clean_text("\ufeffBOM\ufffe\uffff\ud800") == "\ufeffBOM"


def test_clean_text_keeps_words_apart_across_word_line_breaks():
    assert clean_text("Quy trình\x0bđánh giá\x0cnội bộ") == "Quy trình đánh giá nội bộ"


def test_clean_text_composes_vietnamese():
    decomposed = "Kê\u0301 hoa\u0323ch đa\u0301nh gia\u0301"
    assert clean_text(decomposed) == "Kế hoạch đánh giá"
    assert len(clean_text(decomposed)) < len(decomposed)


def test_xml_safe_drops_only_what_xml_refuses():
    assert xml_safe("Tên\x0btài liệu\x01\x1f\ufffe") == "Tên tài liệu"
    kept = "Tab\tLF\nCR\r C1\x85 Việt"
    assert xml_safe(kept) == kept
