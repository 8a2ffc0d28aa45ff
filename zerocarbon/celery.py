"""The Celery app. Configuration comes from Django settings (CELERY_* names): JSON only,
acks_late with reject-on-worker-lost, time limits, and eager execution when no broker is set
(quickstart only)."""

from __future__ import annotations

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "zerocarbon.settings.local")

app = Celery("zerocarbon")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
