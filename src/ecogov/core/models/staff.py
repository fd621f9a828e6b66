from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from .base import HistoryIPBase


class StaffProfile(models.Model):
    """A user's place in the bureau: organisation, territorial scope, enforcement certificate.

    Roles are Django groups named after `ecogov.core.roles.Role`.
    `division` is the territory the user sees: the city for city-level staff, a county for
    sub-bureau staff, empty for people who see only what is assigned to their organisation.
    """

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("用户"),
        on_delete=models.CASCADE,
        related_name="staff",
    )
    full_name = models.CharField(_("姓名"), max_length=32)
    organisation = models.ForeignKey(
        "core.Organisation",
        verbose_name=_("所在机构"),
        on_delete=models.PROTECT,
        related_name="staff",
    )
    division = models.ForeignKey(
        "core.Division",
        verbose_name=_("数据范围(区划)"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("留空表示只能看到交办给本机构的记录。"),
    )
    phone = models.CharField(_("联系电话"), max_length=20, blank=True)
    certificate_number = models.CharField(_("执法证号"), max_length=32, blank=True)
    certificate_expiry = models.DateField(_("执法证有效期至"), null=True, blank=True)
    history = HistoricalRecords(bases=[HistoryIPBase])

    class Meta:
        verbose_name = _("工作人员")
        verbose_name_plural = _("工作人员")
        ordering = ["organisation__name", "full_name"]

    def __str__(self):
        return f"{self.full_name}({self.organisation})"

    def certificate_valid_on(self, day) -> bool:
        return bool(
            self.certificate_number and self.certificate_expiry and self.certificate_expiry >= day
        )
