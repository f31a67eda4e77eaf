"""The diagnostics report (PDF) for administrators: is this installation healthy?"""

from __future__ import annotations

import time
from importlib import metadata

import redis
from django.conf import settings
from django.db import connection
from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.models import Municipality, Role, User
from reporting.registry import report_kind
from tugi.documents import installed_fonts, render_pdf


def _pause() -> None:
    """REPORTING_STEP_DELAY_SECONDS: lets a test kill the worker in the middle of the job."""
    if settings.REPORTING_STEP_DELAY_SECONDS > 0:
        time.sleep(settings.REPORTING_STEP_DELAY_SECONDS)


def _app_version() -> str:
    try:
        return metadata.version("tugi")
    except metadata.PackageNotFoundError:
        return _("unknown")


def _database() -> tuple[str, list[tuple[str, str]]]:
    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version")
        version = cursor.fetchone()[0]
        cursor.execute("SELECT extname, extversion FROM pg_extension ORDER BY extname")
        extensions = cursor.fetchall()
    return version, extensions


def _redis() -> str:
    if not settings.REDIS_URL:
        return _("not configured: tasks run in the web process")
    try:
        redis.Redis.from_url(settings.REDIS_URL, socket_connect_timeout=2).ping()
    except redis.RedisError as exc:
        return _("does not answer (%(error)s)") % {"error": type(exc).__name__}
    return _("answers")


def _users_per_role() -> list[tuple[str, int, int]]:
    """(role, users, of whom active) for every role."""
    rows = User.objects.values_list("role").annotate(
        total=Count("pk"), active=Count("pk", filter=Q(is_active=True))
    )
    counts = {role: (total, active) for role, total, active in rows}
    return [(role.label, *counts.get(role.value, (0, 0))) for role in Role]


@report_kind(
    "diagnostics",
    label=gettext_lazy("Installation diagnostics"),
    extension="pdf",
    roles=frozenset({Role.ADMIN}),
    scope="global",
    personal_data=False,
)
def generate(job, *, out, progress) -> str:
    progress(5, _("Application version"))
    version = _app_version()
    _pause()
    progress(20, _("Database"))
    database_version, extensions = _database()
    _pause()
    progress(40, _("Redis"))
    redis_status = _redis()
    _pause()
    progress(55, _("Fonts"))
    fonts = installed_fonts()
    _pause()
    progress(70, _("Municipalities and users"))
    municipalities = Municipality.objects.count()
    users = _users_per_role()
    _pause()
    progress(85, _("Writing the PDF"))
    now = timezone.localtime()
    out.write(
        render_pdf(
            "documents/diagnostics.html",
            {
                "title": _("Installation diagnostics"),
                "document_date": now.date(),
                "generated_at": now,
                "version": version,
                "database_version": database_version,
                "extensions": extensions,
                "redis_status": redis_status,
                "fonts": sorted(fonts.items()),
                "municipalities": municipalities,
                "users": users,
                "requested_by": job.requested_by,
                "signatures": [{"role": _("Administrator"), "name": job.requested_by or ""}],
            },
        )
    )
    return f"diagnostika-{now:%Y-%m-%d-%H%M}.pdf"
