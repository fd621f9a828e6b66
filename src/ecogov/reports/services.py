"""Every change to outlines, narratives and published reports (the only writer of this area)."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from ecogov.core.models import Division

from . import checks, events, sources, templating
from .models import Narrative, Outline, PublishedReport, Relation, Section

if TYPE_CHECKING:
    from django.contrib.auth.models import User

OUTLINE_FIELDS = ["name", "kind", "title", "issuer", "description"]
SECTION_FIELDS = ["position", "level", "heading", "template", "guidance"]


def can_write(user: User) -> bool:
    return bool(user and user.is_active and user.has_perm("reports.change_outline"))


def _ensure_writer(actor: User) -> None:
    if not can_write(actor):
        raise PermissionDenied(_("只有法规科和局领导可以修改提纲、撰写叙述或发布报告。"))


def _ensure_editable(outline: Outline) -> None:
    if outline.is_builtin:
        raise ValidationError(
            _("“%(name)s”是系统内置提纲,不能修改;请先复制,再编辑副本。") % {"name": outline.name}
        )


# --- which figure keys a template may use -------------------------------------------------------
def years_for(outline: Outline | None) -> set[int]:
    today = timezone.localdate()
    years = {today.year, today.year - 1}
    if outline is not None and outline.pk:
        years |= set(
            Narrative.objects.filter(section__outline=outline)
            .values_list("year", flat=True)
            .distinct()
        )
        years |= set(outline.publications.values_list("year", flat=True).distinct())
    return years


def template_problems(text: str, known: set[str]) -> list[str]:
    return templating.check_keys(text, known)


def _validate_template(field: str, text: str, known: set[str], errors: dict) -> None:
    problems = template_problems(text, known)
    if problems:
        errors.setdefault(field, []).append(_("引用有误:") + ";".join(problems) + "。")


def validate_relation(expression: str, known: set[str]) -> list[str]:
    try:
        relation = checks.parse_relation(expression)
    except checks.RelationError as exc:
        return [str(exc)]
    return [_("“%(key)s”不是已登记的数据项") % {"key": k} for k in relation.keys if k not in known]


# --- outlines -----------------------------------------------------------------------------------
@transaction.atomic
def outline_copy(*, actor: User, outline: Outline, name: str = "") -> Outline:
    """A copy of an outline (sections, checks and every year's narratives) to edit."""
    _ensure_writer(actor)
    name = (name or "").strip() or _("%(name)s(副本)") % {"name": outline.name}
    base, n = name, 2
    while Outline.objects.filter(name=name).exists():
        name, n = f"{base}{n}", n + 1
    copy = Outline.objects.create(
        name=name,
        kind=outline.kind,
        title=outline.title,
        issuer=outline.issuer,
        description=outline.description,
        based_on=outline,
    )
    for section in outline.sections.order_by("position", "pk"):
        narratives = list(section.narratives.all())
        new = Section.objects.create(
            outline=copy, **{f: getattr(section, f) for f in SECTION_FIELDS}
        )
        Narrative.objects.bulk_create(
            [Narrative(section=new, year=n.year, text=n.text, updated_by=actor) for n in narratives]
        )
    Relation.objects.bulk_create(
        [
            Relation(outline=copy, expression=r.expression, note=r.note)
            for r in outline.relations.all()
        ]
    )
    events.outline_copied_event(outline=copy, actor=actor, source=outline)
    return copy


@transaction.atomic
def outline_save(*, actor: User, outline: Outline, data: dict) -> Outline:
    """Create or change an outline's own fields (its title may use {organisation} and {year})."""
    _ensure_writer(actor)
    if outline.pk:
        _ensure_editable(Outline.objects.get(pk=outline.pk))
    errors: dict = {}
    if "title" in data:
        try:
            templating.parse(data["title"])
        except templating.TemplateError as exc:
            errors["title"] = [";".join(exc.problems)]
    if errors:
        raise ValidationError(errors)
    changed = [f for f in OUTLINE_FIELDS if f in data and getattr(outline, f) != data[f]]
    for field in changed:
        setattr(outline, field, data[field])
    adding = outline.pk is None
    outline.full_clean()
    outline.save()
    if changed or adding:
        events.outline_edited_event(outline=outline, actor=actor, what="outline", changed=changed)
    return outline


@transaction.atomic
def section_save(
    *, actor: User, section: Section, data: dict, known: set[str] | None = None
) -> Section:
    """Create or change a section; every figure key its heading and sentences use must exist."""
    _ensure_writer(actor)
    _ensure_editable(section.outline)
    changed = [f for f in SECTION_FIELDS if f in data and getattr(section, f) != data[f]]
    for field in changed:
        setattr(section, field, data[field])
    if known is None:
        known = sources.known_keys(years_for(section.outline))
    errors: dict = {}
    _validate_template("heading", section.heading, known, errors)
    _validate_template("template", section.template, known, errors)
    if errors:
        raise ValidationError(errors)
    adding = section.pk is None
    section.full_clean()
    section.save()
    if changed or adding:
        events.outline_edited_event(
            outline=section.outline, actor=actor, what="section", changed=changed
        )
    return section


@transaction.atomic
def section_delete(*, actor: User, section: Section) -> None:
    _ensure_writer(actor)
    _ensure_editable(section.outline)
    events.outline_edited_event(
        outline=section.outline,
        actor=actor,
        what="section_deleted",
        changed=[section.heading or str(section.pk)],
    )
    section.delete()


@transaction.atomic
def relation_save(
    *, actor: User, relation: Relation, data: dict, known: set[str] | None = None
) -> Relation:
    _ensure_writer(actor)
    _ensure_editable(relation.outline)
    for field in ("expression", "note"):
        if field in data:
            setattr(relation, field, data[field])
    if known is None:
        known = sources.known_keys(years_for(relation.outline))
    problems = validate_relation(relation.expression, known)
    if problems:
        raise ValidationError({"expression": ";".join(problems) + "。"})
    relation.full_clean()
    relation.save()
    events.outline_edited_event(
        outline=relation.outline, actor=actor, what="relation", changed=["expression"]
    )
    return relation


@transaction.atomic
def relation_delete(*, actor: User, relation: Relation) -> None:
    _ensure_writer(actor)
    _ensure_editable(relation.outline)
    events.outline_edited_event(
        outline=relation.outline,
        actor=actor,
        what="relation_deleted",
        changed=[relation.expression],
    )
    relation.delete()


# --- narratives ---------------------------------------------------------------------------------
@transaction.atomic
def narrative_save(
    *, actor: User, section: Section, year: int, text: str, known: set[str] | None = None
) -> Narrative:
    """The year's text of a section (history kept); figure references must exist."""
    _ensure_writer(actor)
    if not 2000 <= int(year) <= 2100:
        raise ValidationError({"year": _("年度应在2000至2100之间。")})
    if known is None:
        known = sources.known_keys(years_for(section.outline) | {int(year)})
    errors: dict = {}
    _validate_template("text", text, known, errors)
    if errors:
        raise ValidationError(errors)
    narrative = Narrative.objects.filter(section=section, year=year).first()
    if narrative is None:
        narrative = Narrative(section=section, year=year)
    elif narrative.text == text:
        return narrative
    narrative.text, narrative.updated_by = text, actor
    narrative.full_clean()
    narrative.save()
    events.narrative_saved_event(narrative=narrative, actor=actor)
    return narrative


# --- publication --------------------------------------------------------------------------------
def scope_key(year: int, until: dt.date | None, division: Division | None) -> str:
    return f"{year}|{until.isoformat() if until else ''}|{division.code if division else ''}"


@transaction.atomic
def report_publish(
    *,
    actor: User,
    outline: Outline,
    year: int,
    until: dt.date | None = None,
    division: Division | None = None,
    dated: dt.date | None = None,
    acknowledge: bool = False,
) -> PublishedReport:
    """Freeze the report: text, figures, the records behind each; hashes; the .docx.

    A report whose check found errors is published only when the person acknowledges them.
    """
    from . import outputs

    _ensure_writer(actor)
    draft = outputs.build(outline, actor, year, until, division, dated=dated)
    result = checks.check(draft)
    if result.errors and not acknowledge:
        raise ValidationError(
            _("发布前核对发现%(n)d处不一致,请处理或确认知悉后再发布。") % {"n": len(result.errors)}
        )
    frozen = outputs.freeze(draft)
    key = scope_key(year, until, division)
    Outline.objects.select_for_update().filter(pk=outline.pk).first()  # one version at a time
    version = (
        PublishedReport.objects.filter(outline=outline, scope_key=key).aggregate(v=Max("version"))[
            "v"
        ]
        or 0
    ) + 1
    report = PublishedReport.objects.create(
        outline=outline,
        kind=outline.kind,
        title=draft.document.title,
        year=year,
        until=until,
        division=division,
        scope_key=key,
        version=version,
        dated=dt.date.fromisoformat(draft.document.dated),
        published_at=timezone.now(),
        published_by=actor,
        **frozen,
    )
    events.report_published_event(report=report, actor=actor)
    return report


def _ensure_day(day: Any, field: str) -> dt.date:
    if not isinstance(day, dt.date):
        raise ValidationError({field: _("请填写日期。")})
    if day > timezone.localdate():
        raise ValidationError({field: _("日期不能晚于今天。")})
    return day


@transaction.atomic
def report_mark_submitted(*, actor: User, report: PublishedReport, day: dt.date) -> PublishedReport:
    _ensure_writer(actor)
    report.submitted_on = _ensure_day(day, "submitted_on")
    report.save(update_fields=["submitted_on"])
    events.report_submitted_event(report=report, actor=actor)
    return report


@transaction.atomic
def report_mark_disclosed(*, actor: User, report: PublishedReport, day: dt.date) -> PublishedReport:
    _ensure_writer(actor)
    report.disclosed_on = _ensure_day(day, "disclosed_on")
    report.save(update_fields=["disclosed_on"])
    events.report_disclosed_event(report=report, actor=actor)
    return report
