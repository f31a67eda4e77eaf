"""System checks that tell an operator what is missing."""

import shutil

from django.conf import settings
from django.core.checks import Warning, register


@register()
def redis_reachable(app_configs, **kwargs):
    if not settings.REDIS_URL:
        return []
    import redis

    try:
        redis.Redis.from_url(settings.REDIS_URL, socket_connect_timeout=1).ping()
    except redis.RedisError as exc:
        return [
            Warning(
                f"REDIS_URL is set but Redis does not answer: {exc}",
                hint="Start Redis or unset REDIS_URL to run tasks in-process.",
                id="tugi.W001",
            )
        ]
    return []


@register()
def pdf_fonts_present(app_configs, **kwargs):
    if shutil.which("fc-list") is None:
        return [
            Warning(
                "fontconfig (fc-list) is not installed: PDF documents may render without fonts.",
                hint="Install the Pango and DejaVu font packages (see README).",
                id="tugi.W002",
            )
        ]
    return []
