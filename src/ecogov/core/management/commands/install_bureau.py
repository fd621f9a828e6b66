"""`ecogov install_bureau --city-code 320100 --city-name 南京市 --bureau 南京市生态环境局
[--province-code 320000 --province-name 江苏省]`: the first step on an empty database, before
`ecogov createadmin` (docs/deploy.md, "Install")."""

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from ecogov.core.installation import bureau_install

LABELS = {
    "city_code": "--city-code",
    "city_name": "--city-name",
    "bureau_name": "--bureau",
    "province_code": "--province-code",
    "province_name": "--province-name",
}


class Command(BaseCommand):
    help = "安装第一步:在空数据库中建立本市行政区划和生态环境局(之后用 createadmin 创建管理员)。"

    def add_arguments(self, parser):
        parser.add_argument("--city-code", required=True, help="地市行政区划代码(6位,GB/T 2260)")
        parser.add_argument("--city-name", required=True, help="地市名称,如 南京市")
        parser.add_argument("--bureau", required=True, help="生态环境局全称")
        parser.add_argument("--province-code", default="", help="省级行政区划代码(可选)")
        parser.add_argument("--province-name", default="", help="省级行政区划名称(可选)")

    def handle(self, *args, **options):
        try:
            done = bureau_install(
                city_code=options["city_code"],
                city_name=options["city_name"],
                bureau_name=options["bureau"],
                province_code=options["province_code"],
                province_name=options["province_name"],
            )
        except ValidationError as exc:
            problems = [
                f"{LABELS.get(field, field)}:{message}"
                for field, messages in exc.message_dict.items()
                for message in messages
            ]
            raise CommandError("未安装:" + ";".join(problems)) from None
        if done.created:
            self.stdout.write(
                f"已建立 {done.city.name}({done.city.code})和 {done.bureau.name};"
                "下一步:ecogov createadmin 创建三名管理员。"
            )
        else:
            self.stdout.write(f"{done.bureau.name} 已存在,未作改动。")
