"""GB/T 4754 industry codes and classification-list items as used by access lists."""

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ecogov.eia.zoning.codes import CodeError, industry_covers, normalise_industry, normalise_item

# No example database (no files in the work tree); no deadline (the machine is shared).
quiet = settings(database=None, deadline=None)


@pytest.mark.parametrize(
    "raw, expected",
    [
        ("C2611", "C2611"),
        ("2611", "C2611"),
        ("c26", "C26"),
        (" C ", "C"),
        ("26", "C26"),
        ("B0610", "B0610"),
        ("0610", "B0610"),
        ("D44", "D44"),
        ("A01", "A01"),
        ("T97", "T97"),
        ("K70", "K70"),
        ("C261", "C261"),
    ],
)
def test_normalise_industry(raw, expected):
    assert normalise_industry(raw) == expected


@pytest.mark.parametrize(
    "raw, fragment",
    [
        ("C01", "应为 A"),  # letter contradicts the division
        ("Z", "门类字母"),
        ("99", "不存在"),
        ("C26111", "格式不正确"),
        ("", "格式不正确"),
        (None, "格式不正确"),
        ("C-26", "格式不正确"),
    ],
)
def test_malformed_industry_refused(raw, fragment):
    with pytest.raises(CodeError, match=fragment):
        normalise_industry(raw)


def test_prefix_covers():
    assert industry_covers("C26", "C2611")
    assert industry_covers("C", "C2611")
    assert industry_covers("C2611", "C2611")
    assert not industry_covers("C26", "C2511")
    assert not industry_covers("C2611", "C26")  # a narrower entry does not catch a broader code


def test_item_trimmed_and_non_empty():
    assert normalise_item(" 44 ") == "44"
    assert normalise_item(44) == "44"
    for bad in ("", "  ", None, True):
        with pytest.raises(CodeError):
            normalise_item(bad)


divisions = st.sampled_from([1, 5, 6, 13, 26, 43, 44, 50, 70, 83, 97])


@quiet
@given(divisions, st.text(alphabet="0123456789", max_size=2))
def test_bare_and_lettered_codes_agree(division, tail):
    digits = f"{division:02d}{tail}"
    lettered = normalise_industry(digits)
    assert normalise_industry(lettered) == lettered  # idempotent
    assert normalise_industry(lettered.lower()) == lettered
    assert lettered[1:] == digits


@quiet
@given(
    divisions,
    st.text(alphabet="0123456789", max_size=2),
    st.text(alphabet="0123456789", max_size=2),
)
def test_prefix_covers_exactly_extensions(division, a, b):
    prefix = normalise_industry(f"{division:02d}{a}")
    code = normalise_industry(f"{division:02d}{b}")
    assert industry_covers(prefix, code) == code.startswith(prefix)
    assert industry_covers(prefix[0], code)  # the section covers every code in it
