"""ocrkit.pipelines.search: term matching and boxes on the image."""
import numpy as np
import pytest

import ocrkit
from ocrkit import tesseract
from ocrkit.pipelines.search import draw_matches, match_terms, normalize_word, search
from textpages import render_lines

WORDS = ["Invoice", "No.", "4471,", "Total:", "EUR", "120", "total"]


def test_normalize_word():
    assert normalize_word("Total:") == "total"
    assert normalize_word("(EUR)") == "eur"
    assert normalize_word("4471,") == "4471"


def test_exact_terms_case_and_punctuation():
    m = match_terms(WORDS, ["TOTAL", "4471"])
    assert [(x.term, x.start) for x in m] == [("4471", 2), ("TOTAL", 3), ("TOTAL", 6)]
    assert all(x.distance == 0 for x in m)


def test_phrases_match_consecutive_words():
    m = match_terms(WORDS, ["invoice no", "eur 120", "no eur"])
    assert [(x.term, x.start, x.end, x.text) for x in m] == [
        ("invoice no", 0, 2, "Invoice No."), ("eur 120", 4, 6, "EUR 120")]


def test_fuzzy_accepts_near_misses_only():
    words = ["Tota1", "lnvoice", "Totally", "Tax"]
    assert match_terms(words, ["total"]) == []
    fz = match_terms(words, ["total", "invoice"], fuzzy=True)
    assert [(x.text, x.distance) for x in fz] == [("Tota1", 1), ("lnvoice", 1)]
    # "Totally" is two edits from "total" (limit 1 for 5 letters); "Tax" is far
    assert match_terms(["Totally"], ["total"], fuzzy=True) == []


@pytest.mark.parametrize("terms", [[], [""], ["  "], [3], ["..."]])
def test_bad_terms(terms):
    with pytest.raises(ValueError, match="terms"):
        match_terms(WORDS, terms)


@pytest.mark.skipif(not tesseract.available(), reason="needs Tesseract")
def test_search_finds_words_where_they_are():
    page, boxes = render_lines()
    truth = dict((w, b) for w, b in boxes)
    img = np.repeat(page[:, :, None], 3, axis=2)
    r = search(img, ["fox", "river bank", "absent"])
    assert r.counts == {"fox": 1, "river bank": 1, "absent": 0}
    fox = next(m for m in r.matches if m.term == "fox")
    x, y, w, h = fox.box
    tx, ty, tw, th = truth["fox"]
    assert abs(x + w / 2 - (tx + tw / 2)) < 5 and abs(y + h / 2 - (ty + th / 2)) < 5
    rb = next(m for m in r.matches if m.term == "river bank")
    assert rb.text == "river bank" and len(rb.polygons) == 2
    marked = draw_matches(img, r)
    assert marked.shape == img.shape and (marked != img).any()
    assert (marked[y + h // 2, x - 1:x + 2] == (0, 0, 255)).all(axis=-1).any()
    d = r.to_dict()
    assert d["counts"] == r.counts and len(d["matches"]) == 2


@pytest.mark.skipif(not tesseract.available(), reason="needs Tesseract")
def test_search_turned_page_boxes_in_input_coordinates():
    page, boxes = render_lines()
    img = ocrkit.rotate(page, 20, border_value=235)
    r = search(img, ["Invoice"])
    (m,) = r.matches
    # the word sits in the turned image's upper left, its box turned with it
    x, y, w, h = m.box
    assert h > 40                       # a turned word's upright box is tall
    assert img[y:y + h, x:x + w].min() < 100


@pytest.mark.skipif(not tesseract.available(), reason="needs Tesseract")
def test_search_reuses_a_given_read():
    from ocrkit.pipelines.ocr import read_page
    page, _ = render_lines()
    first = read_page(page)
    r = search(None, ["quick"], ocr_result=first)
    assert r.counts == {"quick": 1} and r.text == first.text
