"""The first install on an empty database: `ecogov install_bureau`, then `ecogov createadmin`
names the bureau (docs/deploy.md, "Install")."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from ecogov.core.demo import data
from ecogov.core.models import Division, Organisation

ECOGOV = Path(sys.executable).with_name("ecogov")
NANJING = {
    "city_code": "320100",
    "city_name": "南京市",
    "bureau": "南京市生态环境局",
    "province_code": "320000",
    "province_name": "江苏省",
}


def _run(env, *args) -> subprocess.CompletedProcess:
    return subprocess.run(
        [str(ECOGOV), *args], env=env, capture_output=True, text=True, timeout=600
    )


def test_an_empty_database_gets_its_bureau_and_then_its_administrators(tmp_path):
    """As on a new server: a database of its own, migrated, then the two commands."""
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "ecogov.settings.dev",
        "ECOGOV_VAR_DIR": str(tmp_path),
        "DATABASE_URL": f"sqlite:///{tmp_path / 'new.sqlite3'}",
    }
    assert _run(env, "migrate", "-v0").returncode == 0
    # before the bureau exists, createadmin has no organisation to name
    admin = ["createadmin", "--role", "system_admin", "--username", "admin1"]
    admin += ["--full-name", "赵系统", "--organisation", "南京市生态环境局"]
    admin += ["--password", "System-Pass-2026x"]
    assert "机构“南京市生态环境局”不存在" in _run(env, *admin).stderr
    flags = [f"--{k.replace('_', '-')}={v}" for k, v in NANJING.items()]
    first = _run(env, "install_bureau", *flags)
    assert first.returncode == 0, first.stderr
    assert "已建立 南京市(320100)和 南京市生态环境局" in first.stdout
    assert "已存在,未作改动" in _run(env, "install_bureau", *flags).stdout
    made = _run(env, *admin)
    assert made.returncode == 0, made.stderr
    check = _run(
        env,
        "shell",
        "-v0",
        "-c",
        "from django.contrib.auth.models import User;"
        "u = User.objects.get(username='admin1');"
        "print(u.check_password('System-Pass-2026x'), u.is_active,"
        " u.staff.organisation.name, u.staff.organisation.division.path)",
    )
    last = check.stdout.strip().splitlines()[-1]
    assert last.split() == ["True", "True", "南京市生态环境局", "320000/320100/"], check.stderr


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("changed", "named"),
    [
        ({"city_code": "32010"}, "--city-code:行政区划代码应为6位数字"),
        ({"bureau": "  "}, "--bureau:请填写生态环境局名称"),
        ({"province_code": "320100"}, "--province-code:省级区划代码不能与地市代码相同"),
        ({"province_code": ""}, "--province-code:行政区划代码应为6位数字"),
        ({}, f"已有生态环境局“{data.BUREAU}”"),  # the demo's: one bureau per installation
    ],
)
def test_a_wrong_value_or_a_second_bureau_is_named_in_chinese_and_nothing_is_written(
    world, changed, named
):
    before = (Organisation.objects.count(), Division.objects.count())
    with pytest.raises(CommandError) as refused:
        call_command("install_bureau", **{**NANJING, **changed})
    assert named in str(refused.value)
    assert (Organisation.objects.count(), Division.objects.count()) == before


@pytest.mark.django_db
def test_the_installed_bureau_again_changes_nothing(world, capsys):
    bureau = Organisation.objects.get(name=data.BUREAU)
    city = bureau.division
    call_command("install_bureau", city_code=city.code, city_name=city.name, bureau=bureau.name)
    assert "已存在,未作改动" in capsys.readouterr().out
