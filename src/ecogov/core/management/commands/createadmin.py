import getpass

from django.contrib.auth.models import User
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from ecogov.core import services
from ecogov.core.models import Organisation, StaffProfile
from ecogov.core.roles import ADMIN_ROLES, Role


class Command(BaseCommand):
    help = "安装时创建系统、安全或审计管理员账户(三权分立:这三个角色只能在此分配)。"

    def add_arguments(self, parser):
        parser.add_argument("--role", required=True, choices=sorted(r.value for r in ADMIN_ROLES))
        parser.add_argument("--username", required=True)
        parser.add_argument("--full-name", required=True)
        parser.add_argument("--organisation", required=True, help="所在机构名称")
        parser.add_argument("--password", help="不给出则交互输入")

    @transaction.atomic
    def handle(self, *args, **options):
        if User.objects.filter(username=options["username"]).exists():
            raise CommandError(f"用户名“{options['username']}”已存在。")
        organisation = Organisation.objects.filter(name=options["organisation"]).first()
        if organisation is None:
            raise CommandError(f"机构“{options['organisation']}”不存在。")
        password = options["password"] or getpass.getpass("密码:")
        user = User(username=options["username"], is_staff=True)
        try:
            validate_password(password, user)
        except ValidationError as exc:
            raise CommandError("密码不符合要求:" + ";".join(exc.messages)) from exc
        user.set_password(password)
        user.save()
        StaffProfile.objects.create(
            user=user, full_name=options["full_name"], organisation=organisation
        )
        services.staff_set_roles(actor=None, user=user, roles={options["role"]}, installing=True)
        self.stdout.write(
            self.style.SUCCESS(f"已创建{Role(options['role']).label}账户 {user.username}。")
        )
