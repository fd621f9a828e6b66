"""`ecogov import_ledger KIND FILE --user NAME`: a back-office ledger import on the command line.

The same run as the import page's background job (ecogov.core.jobs.import_ledger: the screen's
import_run, with the user's rights): all or nothing — a file with any problem writes nothing,
each problem is printed by row and column, and the exit code is 1. On a terminal a progress bar
is drawn on stderr (ecogov.core.progress).
"""

from pathlib import Path

from django.contrib import admin
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.core.management.base import BaseCommand, CommandError

from ecogov.core import jobs, progress
from ecogov.core.admin.imports import LedgerImportMixin
from ecogov.core.spreadsheet import LedgerImportError

# the command's names of the import screens (每个后台“导入 Excel 台账”页面)
KINDS = {
    "entities": "core.regulatedentity",
    "eia-projects": "eia.eiaproject",
    "permits": "permits.permit",
    "registrations": "permits.registration",
    "rectifications": "matters.rectification",
    "petitions": "matters.petition",
    "proposals": "matters.proposal",
    "campaign-tasks": "matters.campaigntask",
    "contingency-plans": "emergency.contingencyplan",
    "publicity-counts": "outreach.publicitycount",
}


def screens() -> dict[str, object]:
    """Each kind's import screen (its ModelAdmin), by the command's name."""
    registered = {m._meta.label_lower: a for m, a in admin.site._registry.items()}
    return {kind: registered[label] for kind, label in KINDS.items() if label in registered}


class Command(BaseCommand):
    help = (
        "导入 Excel 台账(与后台“导入 Excel 台账”相同:全部正确才导入,有错误时逐行列出、不写入任何数据)。"
        "KIND:" + "、".join(KINDS)
    )

    def add_arguments(self, parser):
        parser.add_argument("kind", choices=sorted(KINDS), metavar="KIND", help="、".join(KINDS))
        parser.add_argument("file", metavar="FILE", help="台账文件(.xlsx)")
        parser.add_argument("--user", required=True, help="以该用户身份导入(按其权限和数据范围)")

    def handle(self, *args, kind, file, user, **options):
        actor = get_user_model().objects.filter(username=user, is_active=True).first()
        if actor is None:
            raise CommandError(f"用户“{user}”不存在或已停用。", returncode=2)
        screen = screens()[kind]
        name = Path(file).name
        try:
            with open(file, "rb") as handle:
                with progress.bar(self.stderr):
                    counts = jobs.import_ledger(
                        actor=actor, target=KINDS[kind], source=handle, name=name
                    )
        except OSError as exc:
            raise CommandError(f"无法读取文件 {file}:{exc.strerror}。", returncode=2) from exc
        except PermissionDenied as exc:
            raise CommandError(str(exc) or "无权导入该台账。") from exc
        except LedgerImportError as exc:
            for error in exc.errors:
                self.stderr.write(str(error))
            raise CommandError(f"发现 {len(exc.errors)} 处错误,未写入任何数据({name})。") from exc
        unit = screen.import_unit if isinstance(screen, LedgerImportMixin) else "条"
        self.stdout.write(
            self.style.SUCCESS(
                f"{screen.import_title}:新增 {counts['created']} {unit},"
                f"更新 {counts['updated']} {unit},未变 {counts['unchanged']} {unit}。"
            )
        )
