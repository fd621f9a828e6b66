"""A screen whose record (and its inline children) is written by the area's service in one
call: Django's form validates, `save_related` hands the cleaned values to the service, and the
record's typed events are listed on its page (办理记录).

Used by emergency and outreach; a subclass implements `create(request, data, children)` and
`update(request, record, data, children)`, `children` mapping an inline's model to its rows
(absent when the inline was not editable)."""

from __future__ import annotations

from django.contrib import admin
from django.utils import timezone
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _

from ecogov.core.admin.base import ScopedModelAdmin


def rows_of(formset) -> list[dict]:
    """The inline's rows as the service takes them: each with `pk` (None for a new row);
    deleted and untouched empty rows left out."""
    rows = []
    for form in formset.forms:
        if not hasattr(form, "cleaned_data"):
            continue
        if formset.can_delete and formset._should_delete_form(form):
            continue
        if form.instance.pk is None and not form.has_changed():
            continue
        data = {
            k: v for k, v in form.cleaned_data.items() if k not in ("id", "DELETE", formset.fk.name)
        }
        data["pk"] = form.instance.pk
        rows.append(data)
    return rows


def field_label(model, name: str, labels: dict | None = None) -> str:
    """A changed field's label in an event's line; `labels` names the children lists."""
    if labels and name in labels:
        return str(labels[name])
    try:
        return str(model._meta.get_field(name).verbose_name)
    except Exception:  # a name that is not a field (kept as written)
        return name


class ServiceAdmin(ScopedModelAdmin):
    events_of = None  # the area's events_of(record), for the 办理记录 list
    child_labels: dict = {}  # the children lists' names as an event's line shows them

    def save_model(self, request, obj, form, change):
        pass  # the service writes the record with its children, in save_related

    def save_related(self, request, form, formsets, change):
        children = {formset.model: rows_of(formset) for formset in formsets}
        if change:
            record = type(form.instance).objects.get(pk=form.instance.pk)
            data = {n: form.cleaned_data[n] for n in form.changed_data if n in form.cleaned_data}
            saved = self.update(request, record, data, children)
        else:
            saved = self.create(request, dict(form.cleaned_data), children)
        self.adopt(form.instance, saved)

    def get_changeform_initial_data(self, request):
        initial = super().get_changeform_initial_data(request)
        division = getattr(getattr(request.user, "staff", None), "division_id", None)
        if division and "division" not in initial:
            initial["division"] = division  # the user's own division, as the service defaults
        return initial

    def create(self, request, data, children):
        raise NotImplementedError

    def update(self, request, record, data, children):
        raise NotImplementedError

    def get_fields(self, request, obj=None):
        fields = list(super().get_fields(request, obj))
        if obj is not None and self.events_of is not None and "event_log" not in fields:
            fields.append("event_log")
        return fields

    def get_readonly_fields(self, request, obj=None):
        fields = list(super().get_readonly_fields(request, obj))
        return fields + ["event_log"] if obj is not None else fields

    @admin.display(description=_("办理记录"))
    def event_log(self, obj):
        if obj is None or obj.pk is None or self.events_of is None:
            return ""
        rows = []
        for event in type(self).events_of(obj).select_related("actor__staff"):
            who = getattr(getattr(event.actor, "staff", None), "full_name", "") or _("系统")
            what = event.get_type_display()
            fields = event.payload.get("fields") if isinstance(event.payload, dict) else None
            if fields:
                names = "、".join(field_label(obj, f, self.child_labels) for f in fields)
                what = f"{what}:{names}"
            when = timezone.localtime(event.occurred_at).strftime("%Y-%m-%d %H:%M")
            rows.append((when, what, who))
        if not rows:
            return "—"
        return format_html("<ul>{}</ul>", format_html_join("", "<li>{} {}({})</li>", rows))
