"""The Celery application. Broker and result backend come from REDIS_URL; without
it tasks run eagerly in-process (see CELERY_TASK_ALWAYS_EAGER in settings)."""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

app = Celery("tugi")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
