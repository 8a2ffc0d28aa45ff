"""The admin without discovery at start-up.

Django's default `AdminConfig` imports every app's `admin` module in `django.setup()`, and ours
import the services behind their actions (re-rating, factor sets): a third of a fresh command's
start-up, for commands that never show a page. With `SimpleAdminConfig` the URL configuration
discovers them (`zerocarbon.urls`), so every process that serves the admin has it; and the
admin's system check discovers them first, so `manage.py check` checks every `ModelAdmin`
whatever order it runs its checks in. Both discover through `discover_admin`, which first lets
the admin classes be subscripted as the stubs type them.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.apps import AppConfig
from django.contrib import admin
from django.contrib.admin.apps import SimpleAdminConfig
from django.contrib.admin.checks import check_admin_app, check_dependencies
from django.core import checks


def discover_admin() -> None:
    """Every app's admin module imported, the generic admin and form classes made subscriptable
    first: the admin modules write `admin.ModelAdmin[Model]` as the stubs type it, which Django's
    classes do not allow at run time. Only a process that uses the admin pays for
    django_stubs_ext's patch, which imports the generic views, syndication and sitemaps to patch
    them too: done in the settings, it cost every command-line process (issue 11, start-up)."""
    import django_stubs_ext

    django_stubs_ext.monkeypatch()
    admin.autodiscover()


def check_discovered_admin(
    app_configs: Sequence[AppConfig] | None, **kwargs: Any
) -> list[checks.CheckMessage]:
    """Django's check of every admin site, after the apps' admin modules are imported."""
    discover_admin()
    return check_admin_app(app_configs, **kwargs)


class AdminConfig(SimpleAdminConfig):
    def ready(self) -> None:
        checks.register(check_dependencies, checks.Tags.admin)
        checks.register(check_discovered_admin, checks.Tags.admin)
