"""Reading report jobs for a user: which jobs and kinds this user may see or request."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet

from accounts.models import Municipality, Role
from accounts.permissions import can_see_municipality, get_visible_or_404, has_role, scope

from .models import ReportJob
from .registry import ReportKind, get_kind, kinds_for_role

#: Roles that have the report pages at all; each kind narrows this further.
REPORT_PAGE_ROLES = frozenset({Role.CASE_MANAGER, Role.COORDINATOR, Role.SKA, Role.ADMIN})


def kinds_for(user) -> list[ReportKind]:
    """The report kinds this user may request and download."""
    if not (user and user.is_authenticated and user.is_active):
        return []
    return kinds_for_role(user.role)


def may_use_kind(user, kind: ReportKind, municipality: Municipality | None = None) -> bool:
    """May ``user`` request (and download) ``kind`` for ``municipality``?"""
    if not has_role(user, *kind.roles):
        return False
    return municipality is None or can_see_municipality(user, municipality)


def _jobs_in_scope(user) -> QuerySet[ReportJob]:
    """Jobs of the municipalities the user sees, plus the jobs bound to no municipality."""
    jobs = ReportJob.objects.select_related("municipality", "requested_by")
    if not has_role(user, *REPORT_PAGE_ROLES):
        return jobs.none()
    return scope(jobs.filter(municipality__isnull=False), user) | jobs.filter(
        municipality__isnull=True
    )


def jobs_for(user) -> QuerySet[ReportJob]:
    """Every job ``user`` may see: a municipality they see and a kind their role may use."""
    codes = [kind.code for kind in kinds_for(user)]
    return _jobs_in_scope(user).filter(kind__in=codes)


def get_job_for(user, pk) -> ReportJob:
    """One job: 404 when it belongs to a municipality the user does not see (or does not
    exist), 403 when the user sees the municipality but their role may not use the kind."""
    job = get_visible_or_404(_jobs_in_scope(user), pk=pk)
    try:
        kind = get_kind(job.kind)
    except KeyError as exc:
        raise PermissionDenied from exc
    if not has_role(user, *kind.roles):
        raise PermissionDenied
    return job


def history_of(job: ReportJob) -> QuerySet[ReportJob]:
    """The other files of the same report (kind, municipality, month, subject), newest first."""
    return (
        ReportJob.objects.filter(
            kind=job.kind,
            municipality_id=job.municipality_id,
            month=job.month,
            subject_type_id=job.subject_type_id,
            subject_id=job.subject_id,
        )
        .exclude(pk=job.pk)
        .select_related("requested_by")
    )
