"""The platform's integrity checks: every hash chain and every stored file, recomputed.

Each area registers the checks of its tamper-evident records (`areas.register_integrity`);
core registers the security audit log and the attachment files. `ecogov restore` runs them
all after a restore (docs/security.md, 备份与恢复).
"""

from __future__ import annotations

from dataclasses import dataclass

from ecogov.core import audit
from ecogov.core.areas import AREAS
from ecogov.core.models import Attachment
from ecogov.core.services import attachment_verify

MAX_LISTED = 20  # problems named one by one; the rest are counted


@dataclass(frozen=True)
class CheckResult:
    label: str  # what was checked, e.g. 安全审计日志
    ok: bool
    summary: str  # one sentence in Chinese
    problems: tuple[str, ...] = ()  # the first MAX_LISTED problems, each naming its record

    def __str__(self):
        lines = [f"{self.label}:{self.summary}", *(f"  - {p}" for p in self.problems)]
        return "\n".join(lines)


def audit_log_check() -> CheckResult:
    report = audit.verify()
    return CheckResult("安全审计日志", report.ok, str(report))


def attachments_check() -> CheckResult:
    """Every attachment's file is there and has the SHA-256 recorded at upload."""
    checked, problems, failed = 0, [], 0
    for attachment in Attachment.objects.order_by("pk").iterator(chunk_size=2000):
        checked += 1
        try:
            intact = attachment_verify(attachment)
        except (OSError, ValueError):  # no file, or a row without a file name
            problem = f"附件 #{attachment.pk}“{attachment.original_name}”的文件不存在({attachment.file.name})。"
        else:
            if intact:
                continue
            problem = (
                f"附件 #{attachment.pk}“{attachment.original_name}”的文件与登记的 SHA-256 不符"
                f"({attachment.file.name}),文件被改动或损坏。"
            )
        failed += 1
        if len(problems) < MAX_LISTED:
            problems.append(problem)
    if failed:
        return CheckResult(
            "附件文件", False, f"共 {checked} 个附件,{failed} 个缺失或被改动。", tuple(problems)
        )
    return CheckResult("附件文件", True, f"共校验 {checked} 个附件文件,SHA-256 均与登记时一致。")


def run_all() -> list[CheckResult]:
    """Every registered check, in area order (core first)."""
    return [check() for area in AREAS.values() for check in area.integrity]
