"""Wiring: security events into the audit log, client address into history rows, roles after migrate."""

from axes.signals import user_locked_out
from django.contrib.auth.models import User
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.db import DEFAULT_DB_ALIAS
from django.db.models.signals import post_migrate, post_save
from django.dispatch import receiver
from simple_history.signals import pre_create_historical_record

from ecogov.core import audit
from ecogov.core.context import client_ip, current_ip
from ecogov.core.models import SecurityEvent, StaffProfile


def _ip(request):
    return client_ip(request) if request is not None else None


@receiver(user_logged_in)
def _logged_in(sender, request, user, **kwargs):
    audit.record(SecurityEvent.LOGIN, username=user.get_username(), ip_address=_ip(request))


@receiver(user_logged_in)
def _must_change_password(sender, request, user, **kwargs):
    """A password someone else set (a new account, a reset) is changed before anything else."""
    from ecogov.core import accounts

    if request is not None and hasattr(request, "session") and accounts.must_change_password(user):
        request.session[accounts.MUST_CHANGE_SESSION_KEY] = True


@receiver(post_save, sender=User)
def _password_set_outside_the_services(sender, instance, created, **kwargs):
    """Every password change is audited: one set outside ecogov.core.accounts (the console's
    `changepassword`, a script) is recorded here; the account services record their own."""
    if created or instance._password is None:
        return
    if getattr(instance, "_ecogov_password_recorded", False):
        return
    audit.record(
        SecurityEvent.PASSWORD_RESET,
        detail={"user": instance.get_username(), "outside": True},
    )


@receiver(user_logged_out)
def _logged_out(sender, request, user, **kwargs):
    if user is not None:
        audit.record(SecurityEvent.LOGOUT, username=user.get_username(), ip_address=_ip(request))


@receiver(user_login_failed)
def _login_failed(sender, credentials, request=None, **kwargs):
    audit.record(
        SecurityEvent.LOGIN_FAILED,
        username=credentials.get("username", ""),
        ip_address=_ip(request),
    )


@receiver(user_locked_out)
def _locked_out(sender, request, username, ip_address, **kwargs):
    audit.record(SecurityEvent.LOCKOUT, username=username or "", ip_address=ip_address)


@receiver(pre_create_historical_record)
def _history_ip(sender, history_instance, **kwargs):
    if hasattr(history_instance, "ip_address"):
        history_instance.ip_address = current_ip()


@receiver(post_migrate)
def _sync_roles(sender, using=DEFAULT_DB_ALIAS, **kwargs):
    """After a migrate, every role's group carries its permissions — those of models added by
    this very migrate too. Django creates a model's permissions in its own post_migrate handler,
    per app and after this one (core comes before auth and the areas), so they are made here
    first: on a new database one migrate gave every role no permission at all."""
    if sender.label != "core":
        return
    from django.apps import apps as global_apps
    from django.contrib.auth.management import create_permissions

    from ecogov.core.roles import sync_roles

    for app_config in global_apps.get_app_configs():
        create_permissions(app_config, verbosity=0, using=using, apps=global_apps)
    sync_roles()


@receiver(post_save, sender=StaffProfile)
def _staff_name_on_user(sender, instance, **kwargs):
    """People are shown by their names, not their logins (User.__str__ reads first_name)."""
    if instance.user_id and instance.user.first_name != instance.full_name:
        type(instance.user).objects.filter(pk=instance.user_id).update(
            first_name=instance.full_name, last_name=""
        )
        instance.user.first_name, instance.user.last_name = instance.full_name, ""


def user_display(user) -> str:
    """How a person is named on every screen, export and history: the staff name."""
    return user.get_full_name() or user.get_username()
