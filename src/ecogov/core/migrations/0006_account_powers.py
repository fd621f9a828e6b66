"""三权分立 on accounts (issue 15): the must-change flag, the two-person reset requests, the
account events of the audit log; staff accounts created in the back office before this change
could not sign in (is_staff was left off): every account with a staff profile gets it."""

import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models


def staff_can_sign_in(apps, schema_editor):
    User = apps.get_model("auth", "User")
    User.objects.filter(staff__isnull=False, is_staff=False).update(is_staff=True)


class Migration(migrations.Migration):

    dependencies = [
        ('auth', '0012_alter_user_first_name_max_length'),
        ('core', '0005_chain_anchors'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name='PasswordState',
            fields=[
                ('user', models.OneToOneField(on_delete=django.db.models.deletion.CASCADE, primary_key=True, related_name='password_state', serialize=False, to=settings.AUTH_USER_MODEL, verbose_name='用户')),
                ('must_change', models.BooleanField(default=False, verbose_name='下次登录须修改密码')),
                ('changed_at', models.DateTimeField(blank=True, null=True, verbose_name='最近一次设置密码')),
            ],
            options={
                'verbose_name': '密码状态',
                'verbose_name_plural': '密码状态',
            },
        ),
        migrations.AlterField(
            model_name='auditlogentry',
            name='event',
            field=models.CharField(choices=[('login', '登录'), ('login_failed', '登录失败'), ('lockout', '账户锁定'), ('logout', '退出'), ('permission_denied', '越权访问被拒绝'), ('export', '数据导出'), ('roles_changed', '角色变更'), ('policy_changed', '安全策略变更'), ('chain_anchored', '哈希链锚定'), ('account_created', '创建账户'), ('account_changed', '账户信息变更'), ('account_activated', '启用账户'), ('account_deactivated', '停用账户'), ('password_changed', '本人修改密码'), ('password_reset', '重置密码'), ('reset_requested', '申请重置管理员密码'), ('reset_rejected', '驳回密码重置申请')], max_length=32, verbose_name='事件'),
        ),
        migrations.CreateModel(
            name='CredentialResetRequest',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('reason', models.TextField(verbose_name='申请理由')),
                ('requested_at', models.DateTimeField(default=django.utils.timezone.now, verbose_name='申请时间')),
                ('state', models.CharField(choices=[('pending', '待批准'), ('approved', '已批准'), ('rejected', '已驳回')], default='pending', max_length=16, verbose_name='状态')),
                ('decided_at', models.DateTimeField(blank=True, null=True, verbose_name='处理时间')),
                ('decision_note', models.TextField(blank=True, verbose_name='处理意见')),
                ('account', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='被重置的账户')),
                ('decided_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='处理人')),
                ('requested_by', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='申请人')),
            ],
            options={
                'verbose_name': '管理员密码重置申请',
                'verbose_name_plural': '管理员密码重置申请',
                'ordering': ['-requested_at'],
                'constraints': [models.UniqueConstraint(condition=models.Q(('state', 'pending')), fields=('account',), name='core_one_pending_reset_per_account')],
            },
        ),
        migrations.RunPython(staff_can_sign_in, migrations.RunPython.noop),
    ]
