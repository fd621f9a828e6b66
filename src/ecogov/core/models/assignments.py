from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from ecogov.core.roles import AssignmentRole

from .base import HistoryIPBase

__all__ = ["AssignmentRole", "RecordAssignment"]  # AssignmentRole lives in core.roles


class RecordAssignment(models.Model):
    """A record of any area handed to an organisation or a person across the territory scope.

    The scoping mechanism reads these: a city department reporting on a campaign task, a
    co-handler of a transferred petition, a leader who must approve a step.
    """

    content_type = models.ForeignKey(ContentType, on_delete=models.CASCADE)
    object_id = models.PositiveBigIntegerField()
    record = GenericForeignKey("content_type", "object_id")
    organisation = models.ForeignKey(
        "core.Organisation",
        verbose_name=_("机构"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="assignments",
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("人员"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="assignments",
    )
    role = models.CharField(_("角色"), max_length=16, choices=AssignmentRole.choices)
    is_active = models.BooleanField(_("有效"), default=True)
    reason = models.CharField(_("事由"), max_length=256, blank=True)
    created_at = models.DateTimeField(_("交办时间"), auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    history = HistoricalRecords(bases=[HistoryIPBase])

    class Meta:
        verbose_name = _("交办关系")
        verbose_name_plural = _("交办关系")
        # The scope's two lookups (core/scoping.py `_assigned`), one per assignee: "the object
        # ids of this content type actively assigned to this organisation / this user (in
        # these roles)", each one range of one index, read without the table. object_id is
        # the last key column rather than INCLUDE: Django drops INCLUDE on SQLite, which then
        # reads every matching row from the table. role precedes it for editable_by (handler).
        # Partial: an assignment has either an organisation or a user, not both.
        indexes = [
            models.Index(
                fields=["content_type", "organisation", "is_active", "role", "object_id"],
                condition=Q(organisation__isnull=False),
                name="core_assign_org_scope_idx",
            ),
            models.Index(
                fields=["content_type", "user", "is_active", "role", "object_id"],
                condition=Q(user__isnull=False),
                name="core_assign_user_scope_idx",
            ),
        ]

    def clean(self):
        if bool(self.organisation_id) == bool(self.user_id):
            raise ValidationError(_("交办对象须为一个机构或一名人员(二者选一)。"))
