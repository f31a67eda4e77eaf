import os

from celery import shared_task

from .models import Municipality


@shared_task
def municipality_codes() -> dict:
    """A small real task for checking the worker end to end: it reads the database
    and says which process ran it."""
    return {
        "codes": list(Municipality.objects.order_by("code").values_list("code", flat=True)),
        "pid": os.getpid(),
    }
