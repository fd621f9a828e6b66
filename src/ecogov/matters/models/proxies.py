"""One screen per kind in the back office: proxies of Matter that see only their kind."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from ecogov.core.scoping import ScopedQuerySet
from ecogov.matters.workflow import Kind

from .matters import Matter


class KindManager(models.Manager.from_queryset(ScopedQuerySet)):
    def __init__(self, kind: str):
        super().__init__()
        self.kind = kind

    def get_queryset(self):
        return super().get_queryset().filter(kind=self.kind)


class Rectification(Matter):
    objects = KindManager(Kind.RECTIFICATION)

    class Meta:
        proxy = True
        verbose_name = _("督察整改事项")
        verbose_name_plural = _("督察整改事项")


class Petition(Matter):
    objects = KindManager(Kind.PETITION)

    class Meta:
        proxy = True
        verbose_name = _("环境信访件")
        verbose_name_plural = _("环境信访件")


class Proposal(Matter):
    objects = KindManager(Kind.PROPOSAL)

    class Meta:
        proxy = True
        verbose_name = _("建议提案")
        verbose_name_plural = _("建议提案")


class CampaignTask(Matter):
    objects = KindManager(Kind.TASK)

    class Meta:
        proxy = True
        verbose_name = _("攻坚战任务")
        verbose_name_plural = _("攻坚战任务")


PROXIES = {
    Kind.RECTIFICATION: Rectification,
    Kind.PETITION: Petition,
    Kind.PROPOSAL: Proposal,
    Kind.TASK: CampaignTask,
}

# the back office's history pages look the history manager up on the proxy's options
for _proxy in PROXIES.values():
    _proxy._meta.simple_history_manager_attribute = "history"
