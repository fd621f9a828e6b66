from django.apps import AppConfig
from django.contrib.admin.apps import AdminConfig as DjangoAdminConfig
from django.utils.translation import gettext_lazy as _


class AdminConfig(DjangoAdminConfig):
    """django.contrib.admin on the back office's own site (its app list built once a request)."""

    default_site = "ecogov.core.admin_site.EcoGovAdminSite"


class CoreConfig(AppConfig):
    name = "ecogov.core"
    label = "core"
    verbose_name = _("基础信息")

    def ready(self):
        from django.contrib.auth.models import User

        from ecogov.core import (
            audit,
            dashboard,  # noqa: F401 (its receivers forget the kept dashboards on every write)
            exports,  # noqa: F401 (core's job runners: the ledger export)
            schedule,  # noqa: F401 (and the scheduled work: the audit log's verification)
            signals,  # audit and role wiring
        )
        from ecogov.core.chains import register_chain

        register_chain(
            audit.CHAIN,
            heads=audit.chain_heads,
            hashes_at=audit.chain_hashes_at,
            check=audit.chain_check,
            describe=audit.chain_describe,
        )
        User.__str__ = signals.user_display  # names, not logins, wherever a user is shown
        _readable_json_in_the_theme()
        _history_versions_in_chinese()
        _days_in_range_in_the_api()
        _references_in_scope_in_the_api()
        _blank_read_only_choices_in_the_schema()
        from ecogov.core import personal_data
        from ecogov.core.areas import (
            MenuItem,
            register_counters,
            register_figures,
            register_integrity,
            register_menu,
            register_overdue,
        )
        from ecogov.core.figures import entity_figures
        from ecogov.core.integrity import attachments_check, audit_log_check
        from ecogov.core.queries import certificate_overdue_items, entity_counters

        register_counters("core", entity_counters)
        from ecogov.core.areas import register_synth
        from ecogov.core.synth import core_generate

        register_synth("core", core_generate)  # ecogov synth: divisions and entities first
        register_overdue("core", certificate_overdue_items)
        register_figures("core", entity_figures)
        register_integrity("core", audit_log_check)
        register_integrity("core", attachments_check)
        register_integrity("core", personal_data.check)  # every encrypted value decrypts
        register_menu(
            "core",
            MenuItem(
                _("排污单位"),
                "factory",
                "admin:core_regulatedentity_changelist",
                "core.view_regulatedentity",
            ),
            MenuItem(
                _("机构"),
                "apartment",
                "admin:core_organisation_changelist",
                "core.view_organisation",
            ),
            MenuItem(_("行政区划"), "map", "admin:core_division_changelist", "core.view_division"),
            MenuItem(
                _("后台任务"), "pending_actions", "admin:core_job_changelist", "core.view_job"
            ),
        )


def _readable_json_in_the_theme():
    """django-unfold shows a read-only JSON field as highlighted JSON (keys in English, Chinese
    as \\u escapes, codes raw); every such field reads as labelled tables instead
    (ecogov.core.display.json_html; docs/decisions/0004-project-translations-and-readable-values.md)."""
    import unfold.fields

    from ecogov.core.display import json_html

    unfold.fields.prettify_json = json_html


def _days_in_range_in_the_api():
    """Every model date or datetime a serializer reads lies from 1900 to 2100
    (ecogov.core.api_input.DayField): a day like 0001-01-01 is a 400 naming the field, not an
    OverflowError when a service counts a deadline from it (docs/security.md, “错误输入”)."""
    from django.db import models
    from rest_framework import serializers

    from ecogov.core.api_input import DayField, MomentField

    serializers.ModelSerializer.serializer_field_mapping[models.DateField] = DayField
    serializers.ModelSerializer.serializer_field_mapping[models.DateTimeField] = MomentField


def _references_in_scope_in_the_api():
    """A foreign key a ModelSerializer turns into a field resolves among the records the user
    sees, with one answer for “unknown” and “not yours” (ecogov.core.references; docs/security.md,
    “引用的范围”)."""
    from rest_framework import serializers

    from ecogov.core.references import ScopedPrimaryKeyRelatedField

    serializers.ModelSerializer.serializer_related_field = ScopedPrimaryKeyRelatedField


def _blank_read_only_choices_in_the_schema():
    """A model choice field that may be blank (a decision not made yet: "") keeps `allow_blank`
    when a serializer reads it only; DRF drops it there, and the OpenAPI schema then listed
    only the choices while the API answered "" (found by the contract test; docs/api.md).
    Read-only fields are never validated, so this changes what the schema says, nothing else."""
    from rest_framework import serializers

    drop_write_options = serializers.ModelSerializer.include_extra_kwargs

    def include_extra_kwargs(self, kwargs, extra_kwargs):
        blank = kwargs.get("allow_blank") and "choices" in kwargs
        kwargs = drop_write_options(self, kwargs, extra_kwargs)
        if blank and kwargs.get("read_only"):
            kwargs["allow_blank"] = True
        return kwargs

    serializers.ModelSerializer.include_extra_kwargs = include_extra_kwargs


def _history_versions_in_chinese():
    """django-simple-history names a version "<record> as of <UTC timestamp>" (titles,
    breadcrumbs); every history model reads "<record>(2020-05-01 09:30 的版本)" in local time."""
    from django.apps import apps

    from ecogov.core.display import history_version_str

    for model in apps.get_models():
        if hasattr(model, "instance_type") and hasattr(model, "history_object"):
            model.__str__ = history_version_str
