"""The Celery application of the platform.

Configuration comes from Django settings (CELERY_* names): JSON only, time limits, late acks, eager
execution when no broker is configured. Tasks are declared with @shared_task in each app.
"""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ptce.settings")

# "celery.contrib.django.task:DjangoTask" adds delay_on_commit()/apply_async_on_commit(), so that a task
# enqueued inside a transaction only leaves once the data it reads is committed.
app = Celery("ptce", task_cls="celery.contrib.django.task:DjangoTask")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
