"""Sentence templates: references, report words, literal braces, refusals in Chinese (pure)."""

import pytest

from ecogov.reports import templating
from ecogov.reports.checks import RelationError, parse_relation
from ecogov.reports.document import chinese_number, heading_number
from ecogov.reports.freeze import decode_ids, encode_ids


def test_a_template_is_text_and_references():
    pieces = templating.parse("全市共抽查企业{inspections.enterprise_visits}家次,{year}年{{注}}")
    assert [p.key or p.word or p.text for p in pieces] == [
        "全市共抽查企业",
        "inspections.enterprise_visits",
        "家次,",
        "year",
        "年{注}",
    ]
    assert templating.keys_of("{a.b}和{a.b}及{c.d}") == ["a.b", "c.d"]


def test_malformed_braces_and_unknown_words_are_named_in_chinese():
    with pytest.raises(templating.TemplateError) as caught:
        templating.parse("共{nokey}家,另{a.b")
    text = str(caught.value)
    assert "“{nokey}”既不是数据项的键" in text and "没有配对" in text
    assert templating.check_keys("共{x.y}件", {"a.b"}) == ["“{x.y}”不是已登记的数据项"]
    assert templating.check_keys("共{a.b}件", {"a.b"}) == []


def test_template_wordings_are_the_words_before_a_reference():
    words = templating.wordings(
        "全市共抽查企业{inspections.enterprise_visits}家次,办理环境违法案件{enforcement.cases}件"
    )
    assert words == {
        "inspections.enterprise_visits": {"抽查企业"},
        "enforcement.cases": {"办理环境违法案件"},
    }


def test_relations_parse_and_refuse():
    relation = parse_relation("a.total = a.city + a.county")
    assert (relation.whole, relation.op, relation.parts) == ("a.total", "+", ("a.city", "a.county"))
    assert parse_relation("p.rate = p.closed / p.received").op == "/"
    for bad in ("a.total == a.b", "a.total = a.b + c.d / e.f", "a.r = a.b / a.c / a.d", "x = y"):
        with pytest.raises(RelationError):
            parse_relation(bad)


def test_heading_numbers_and_record_ranges():
    assert [chinese_number(n) for n in (1, 10, 12, 20, 23)] == [
        "一",
        "十",
        "十二",
        "二十",
        "二十三",
    ]
    assert [heading_number(level, 3) for level in (1, 2, 3, 4)] == [
        "三、",
        "\uff08三\uff09",
        "3.",
        "\uff083\uff09",
    ]  # full-width parentheses
    ids = [1, 2, 3, 7, 9, 10, 11, 40]
    assert encode_ids(ids) == "1-3,7,9-11,40"
    assert decode_ids(encode_ids(ids)) == set(ids) and decode_ids("") == set()
