import pytest
from hypothesis import given
from hypothesis import strategies as st

from ecogov.core import creditcode
from ecogov.core.creditcode import CreditCodeError


@pytest.mark.parametrize("code", ["91350100M000100Y43", "91110000600037341L"])
def test_worked_examples_are_valid(code):
    assert creditcode.validate(code) == code


def test_lower_case_and_spaces_are_normalised():
    assert creditcode.validate("  91110000600037341l ") == "91110000600037341L"


def test_wrong_check_character_names_position_18_and_the_right_one():
    with pytest.raises(CreditCodeError) as info:
        creditcode.validate("91350100M000100Y44")
    assert info.value.position == 18
    assert "第18位" in str(info.value) and "应为“3”" in str(info.value)


def test_letter_o_for_zero_names_its_position():
    with pytest.raises(CreditCodeError) as info:
        creditcode.validate("91350100M0O0100Y43")
    assert info.value.position == 11
    assert "第11位" in str(info.value) and "“0”" in str(info.value)


def test_wrong_length():
    with pytest.raises(CreditCodeError, match="18位,实际为17位"):
        creditcode.validate("91350100M000100Y4")


@given(
    st.text(alphabet=creditcode.CHARSET, min_size=17, max_size=17),
    st.sampled_from(creditcode.CHARSET),
)
def test_exactly_one_check_character_fits(prefix, char):
    code = prefix + char
    valid = char == creditcode.check_character(prefix)
    if valid:
        assert creditcode.validate(code) == code
    else:
        with pytest.raises(CreditCodeError):
            creditcode.validate(code)
