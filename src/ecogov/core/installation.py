"""The first step of an installation on an empty database: the bureau's city and the bureau
itself, so that `ecogov createadmin` has an organisation to name (docs/deploy.md, "Install").
Everything after it (counties, sections, sub-bureaus, staff) is entered in the back office by the
system administrator."""

from __future__ import annotations

from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from ecogov.core.models import Division, DivisionLevel, Organisation, OrganisationKind
from ecogov.core.models.divisions import validate_division_code


@dataclass(frozen=True)
class Installed:
    bureau: Organisation
    city: Division
    created: bool  # False: the same bureau was already there (running it twice changes nothing)


def _code(value: str, field: str) -> str:
    value = (value or "").strip()
    try:
        validate_division_code(value)
    except ValidationError as exc:
        raise ValidationError({field: exc.messages}) from None
    return value


def _name(value: str, field: str, label: str) -> str:
    value = (value or "").strip()
    if not value:
        raise ValidationError({field: _("请填写%(label)s。") % {"label": label}})
    return value


@transaction.atomic
def bureau_install(
    *,
    city_code: str,
    city_name: str,
    bureau_name: str,
    province_code: str = "",
    province_name: str = "",
) -> Installed:
    """Create the city division (under its province when given) and the bureau; the same call
    again returns what is there. Refused, nothing written, when the database already holds
    another bureau or the codes clash."""
    city_code = _code(city_code, "city_code")
    city_name = _name(city_name, "city_name", _("地市名称"))
    bureau_name = _name(bureau_name, "bureau_name", _("生态环境局名称"))
    if province_code or province_name:
        province_code = _code(province_code, "province_code")
        province_name = _name(province_name, "province_name", _("省级区划名称"))
        if province_code == city_code:
            raise ValidationError({"province_code": _("省级区划代码不能与地市代码相同。")})

    existing = Organisation.objects.filter(kind=OrganisationKind.BUREAU).first()
    if existing is not None:
        if existing.name == bureau_name and existing.division.code == city_code:
            return Installed(existing, existing.division, created=False)
        raise ValidationError(
            {
                "bureau_name": _(
                    "数据库中已有生态环境局“%(name)s”(区划 %(code)s),不能再安装另一个。"
                )
                % {"name": existing.name, "code": existing.division.code}
            }
        )
    if Division.objects.filter(code=city_code).exclude(level=DivisionLevel.CITY).exists():
        raise ValidationError(
            {"city_code": _("区划代码 %(code)s 已用于非地市级区划。") % {"code": city_code}}
        )

    parent = None
    if province_code:
        parent, _made = Division.objects.get_or_create(
            code=province_code, defaults={"name": province_name, "level": DivisionLevel.PROVINCE}
        )
    city, _made = Division.objects.get_or_create(
        code=city_code, defaults={"name": city_name, "level": DivisionLevel.CITY, "parent": parent}
    )
    bureau = Organisation(name=bureau_name, kind=OrganisationKind.BUREAU, division=city)
    bureau.full_clean()
    bureau.save()
    return Installed(bureau, city, created=True)
