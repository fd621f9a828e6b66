"""Configurable refusal rules (the bureau's "一律不批" rules) evaluated on a screening.

A rule is data: an id, its text, an optional basis, and a list of conditions that must all
hold. Each condition is one of a small closed set of kinds (``CONDITION_KINDS``). Conditions on
units are tested on one and the same touched unit: "priority protection unit with a forbidden
industry" means one unit that is both, not one unit of each. Project facts not supplied are
unknown, not false (three-valued logic): a rule that could hold but for a missing fact is
reported as undetermined, naming the fact, instead of passing silently.

The result is a ``RefusalProposal``; confirming or overriding it is the caller's business.
Rule file schema and an example: docs/zoning.md and ``example_rules.json`` beside this module.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .screening import AccessMatch, Screening
from .units import UNIT_FLAGS, AccessEntry, AccessKind, ControlUnit, UnitClass, ZoningError

EXAMPLE_RULES = Path(__file__).with_name("example_rules.json")

# kind -> (its parameters, whether it is tested on a unit).
CONDITION_KINDS: dict[str, tuple[frozenset[str], bool]] = {
    "unit_class_in": (frozenset({"classes"}), True),
    "unit_flag": (frozenset({"flag"}), True),
    "industry_forbidden_by_unit": (frozenset(), True),
    "industry_restricted_by_unit": (frozenset(), True),
    "project_flag_true": (frozenset({"flag"}), False),
    "project_flag_false": (frozenset({"flag"}), False),
    # Shorthand, expanded on loading into unit_flag non_attainment + project_flag_false.
    "area_non_attainment_without_offset": (frozenset({"offset_flag"}), True),
}
DEFAULT_OFFSET_FLAG = "offset_secured"
_FLAG_RE = re.compile(r"[a-z][a-z0-9_]*")
_INDUSTRY_FACT = "行业代码或名录条目"  # how a missing industry is named among missing facts


class RuleDataError(ZoningError):
    """A rules file that cannot be loaded; ``errors`` names each rule and problem."""


@dataclass(frozen=True)
class Condition:
    kind: str
    classes: frozenset[UnitClass] = frozenset()  # unit_class_in
    flag: str = ""  # unit_flag, project_flag_true, project_flag_false

    @property
    def on_unit(self) -> bool:
        return CONDITION_KINDS[self.kind][1]


@dataclass(frozen=True)
class Rule:
    id: str
    text: str
    conditions: tuple[Condition, ...]
    basis: str = ""


@dataclass(frozen=True)
class RuleHit:
    rule: Rule
    reasons: tuple[str, ...]  # Chinese, one per fact that made the rule hold
    units: tuple[ControlUnit, ...]  # the units it holds on (empty for project-only rules)
    access_matches: tuple[AccessMatch, ...]  # access-list entries it relied on

    @property
    def message(self) -> str:
        return f"违反规则 {self.rule.id}：{self.rule.text}（{'；'.join(self.reasons)}）"


@dataclass(frozen=True)
class UndeterminedRule:
    rule: Rule
    missing: tuple[str, ...]  # project flags (or the industry) that decide it

    @property
    def message(self) -> str:
        return f"规则 {self.rule.id} 无法判定，缺少项目事实：{', '.join(self.missing)}（{self.rule.text}）"


@dataclass(frozen=True)
class RefusalProposal:
    screening: Screening
    hits: tuple[RuleHit, ...]
    undetermined: tuple[UndeterminedRule, ...]

    @property
    def refuse(self) -> bool:
        return bool(self.hits)

    def summary(self) -> str:
        if not self.hits:
            head = "未触及“一律不批”规则"
        else:
            head = f"建议不予批准：触及 {len(self.hits)} 条“一律不批”规则"
        lines = [head] + [h.message for h in self.hits] + [u.message for u in self.undetermined]
        return "\n".join(lines)


@dataclass(frozen=True)
class RuleSet:
    rules: tuple[Rule, ...]

    def propose(self, screening: Screening) -> RefusalProposal:
        hits: list[RuleHit] = []
        undetermined: list[UndeterminedRule] = []
        for rule in self.rules:
            outcome = evaluate(rule, screening)
            if isinstance(outcome, RuleHit):
                hits.append(outcome)
            elif isinstance(outcome, UndeterminedRule):
                undetermined.append(outcome)
        return RefusalProposal(screening, tuple(hits), tuple(undetermined))

    def propose_many(self, screenings: Iterable[Screening]) -> list[RefusalProposal]:
        return [self.propose(s) for s in screenings]


def evaluate(rule: Rule, s: Screening) -> RuleHit | UndeterminedRule | None:
    """Kleene AND of the rule's conditions: any false -> None; else any unknown -> undetermined."""
    reasons: list[str] = []
    missing: list[str] = []
    for c in rule.conditions:
        if c.on_unit:
            continue
        value = s.project.flags.get(c.flag)
        if value is None:
            missing.append(c.flag)
        elif value != (c.kind == "project_flag_true"):
            return None
        else:
            reasons.append(f"项目事实 {c.flag} 为{'是' if value else '否'}")
    unit_conditions = [c for c in rule.conditions if c.on_unit]
    units: list[ControlUnit] = []
    matches: list[AccessMatch] = []
    if unit_conditions:
        unknown = False
        for contact in s.contacts:
            verdict, parts, unit_matches = _unit_verdict(unit_conditions, contact.unit, s)
            if verdict:
                units.append(contact.unit)
                matches.extend(unit_matches)
                edge = "（仅边界接触）" if contact.boundary_only else ""
                reasons.append(f"{contact.unit.label}{edge}：{'；'.join(parts)}")
            elif verdict is None:
                unknown = True
        if not units:
            if not unknown:
                return None
            missing.append(_INDUSTRY_FACT)
    if missing:
        return UndeterminedRule(rule, tuple(dict.fromkeys(missing)))
    return RuleHit(rule, tuple(reasons), tuple(units), tuple(matches))


def _unit_verdict(
    conditions: list[Condition], unit: ControlUnit, s: Screening
) -> tuple[bool | None, list[str], list[AccessMatch]]:
    """Do all unit conditions hold on this unit? True, False, or None (unknown industry)."""
    parts: list[str] = []
    matches: list[AccessMatch] = []
    unknown = False
    for c in conditions:
        if c.kind == "unit_class_in":
            if unit.unit_class not in c.classes:
                return False, [], []
            parts.append(f"管控类别为{unit.unit_class.label}")
        elif c.kind == "unit_flag":
            if c.flag not in unit.flags:
                return False, [], []
            parts.append(f"属{UNIT_FLAGS[c.flag]}")
        else:
            kind = (
                AccessKind.FORBIDDEN
                if c.kind == "industry_forbidden_by_unit"
                else AccessKind.RESTRICTED
            )
            found = [m for m in s.access_matches if m.unit is unit and m.entry.kind is kind]
            if found:
                matches.extend(found)
                parts.extend(f"{kind.label}{m.matched}：{m.text}" for m in found)
            elif any(_untestable(e, s) for e in unit.access if e.kind is kind):
                unknown = True
            else:
                return False, [], []
    return (None if unknown else True), parts, matches


def _untestable(entry: AccessEntry, s: Screening) -> bool:
    """The entry could catch the project, but the project lacks the code it tests."""
    return bool(
        (entry.industries and s.industry is None)
        or (entry.catalogue_items and s.catalogue_item is None)
    )


def load_rules_file(path: str | Path) -> RuleSet:
    return load_rules(Path(path).read_text(encoding="utf-8"))


def load_rules(source: Mapping[str, Any] | str | bytes) -> RuleSet:
    """Load and validate a rules document; raises RuleDataError listing every problem."""
    if isinstance(source, (str, bytes)):
        try:
            source = json.loads(source)
        except ValueError as exc:
            raise RuleDataError([f"规则文件不是有效的 JSON：{exc}"]) from None
    if not isinstance(source, Mapping) or not isinstance(source.get("rules"), list):
        raise RuleDataError(["规则文件须为含 rules 列表的对象"])
    errors: list[str] = []
    if source.get("version", 1) != 1:
        errors.append(f"规则文件版本 {source.get('version')} 不受支持（应为 1）")
    unknown = sorted(set(source) - {"version", "rules"})
    if unknown:
        errors.append(f"规则文件含未知字段 {', '.join(unknown)}")
    rules: list[Rule] = []
    for n, raw in enumerate(source["rules"], start=1):
        rule = _parse_rule(n, raw, errors)
        if rule is not None:
            if any(r.id == rule.id for r in rules):
                errors.append(f"规则 {rule.id}：编号重复")
            rules.append(rule)
    if errors:
        raise RuleDataError(errors)
    return RuleSet(tuple(rules))


def _parse_rule(n: int, raw: Any, errors: list[str]) -> Rule | None:
    if not isinstance(raw, Mapping):
        errors.append(f"第 {n} 条规则须为对象")
        return None
    rule_id = str(raw.get("id") or "").strip()
    who = f"规则 {rule_id}" if rule_id else f"第 {n} 条规则"
    before = len(errors)
    if not rule_id:
        errors.append(f"{who}：缺少编号 id")
    text = str(raw.get("text") or "").strip()
    if not text:
        errors.append(f"{who}：缺少条文 text")
    unknown = sorted(set(raw) - {"id", "text", "basis", "when"})
    if unknown:
        errors.append(f"{who}：未知字段 {', '.join(unknown)}")
    when = raw.get("when")
    if not isinstance(when, list) or not when:
        errors.append(f"{who}：条件 when 须为非空列表")
        when = []
    conditions: list[Condition] = []
    for k, cond in enumerate(when, start=1):
        conditions.extend(_parse_condition(f"{who} 第 {k} 个条件", cond, errors))
    if len(errors) > before:
        return None
    return Rule(rule_id, text, tuple(conditions), str(raw.get("basis") or "").strip())


def _parse_condition(where: str, raw: Any, errors: list[str]) -> list[Condition]:
    if not isinstance(raw, Mapping):
        errors.append(f"{where}：须为对象")
        return []
    kind = raw.get("kind")
    if kind not in CONDITION_KINDS:
        errors.append(f"{where}：条件类型“{kind}”未知，可用：{', '.join(CONDITION_KINDS)}")
        return []
    params = set(raw) - {"kind"}
    allowed = CONDITION_KINDS[kind][0]
    required = allowed - {"offset_flag"}
    if params - allowed or required - params:
        errors.append(
            f"{where}：{kind} 的参数须为 {', '.join(sorted(allowed)) or '无'}，"
            f"实为 {', '.join(sorted(params)) or '无'}"
        )
        return []
    if kind == "unit_class_in":
        values = raw["classes"] if isinstance(raw["classes"], list) else []
        classes = [c for v in values if (c := UnitClass.parse(v)) is not None]
        if not classes or len(classes) != len(values):  # none given, or one unknown
            errors.append(f"{where}：classes 须为管控类别列表（优先保护、重点管控、一般管控）")
            return []
        return [Condition(kind, classes=frozenset(classes))]
    if kind == "unit_flag":
        if raw["flag"] not in UNIT_FLAGS:
            errors.append(f"{where}：单元标志“{raw['flag']}”未知，可用：{', '.join(UNIT_FLAGS)}")
            return []
        return [Condition(kind, flag=raw["flag"])]
    if kind in ("project_flag_true", "project_flag_false"):
        if not isinstance(raw["flag"], str) or not _FLAG_RE.fullmatch(raw["flag"]):
            errors.append(f"{where}：项目事实名“{raw['flag']}”须为小写英文标识符")
            return []
        return [Condition(kind, flag=raw["flag"])]
    if kind == "area_non_attainment_without_offset":
        offset = raw.get("offset_flag", DEFAULT_OFFSET_FLAG)
        if not isinstance(offset, str) or not _FLAG_RE.fullmatch(offset):
            errors.append(f"{where}：offset_flag“{offset}”须为小写英文标识符")
            return []
        return [
            Condition("unit_flag", flag="non_attainment"),
            Condition("project_flag_false", flag=offset),
        ]
    return [Condition(kind)]
