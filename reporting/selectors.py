"""Reading report jobs for a user: which jobs and kinds this user may see or request."""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.utils import formats, timezone
from django.utils.translation import gettext as _

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


@dataclass
class DocumentRow:
    """One document of a record's page: its kind, the current file and a job still under way
    (or failed) that is newer than that file."""

    kind: ReportKind
    subject_id: int
    detail: str = ""
    available: bool = True
    unavailable_reason: str = ""
    current: ReportJob | None = None
    pending: ReportJob | None = None


def _rows_with_jobs(rows: list[DocumentRow], subject_types: dict[str, ContentType]) -> None:
    """Fill each row's current and pending job (one query)."""
    if not rows:
        return
    wanted = Q()
    for model, content_type in subject_types.items():
        ids = {row.subject_id for row in rows if row.kind.subject_model == model}
        wanted |= Q(subject_type=content_type, subject_id__in=ids)
    jobs = (
        ReportJob.objects.filter(wanted, kind__in={row.kind.code for row in rows})
        .filter(Q(is_current=True) | ~Q(status=ReportJob.Status.DONE))
        .order_by("-created_at", "-pk")
    )
    by_key = {(row.kind.code, row.subject_id): row for row in rows}
    for job in jobs:
        row = by_key.get((job.kind, job.subject_id))
        if row is None:
            continue
        if job.is_current and row.current is None:
            row.current = job
        elif not job.is_current and row.pending is None and row.current is None:
            # Newer than the current file (jobs come newest first).
            row.pending = job


def case_documents(user, case) -> list[DocumentRow]:
    """The documents about ``case`` and its network meetings that ``user`` may generate."""
    from cases.models import EntryQuestionnaire, ExitQuestionnaire, NetworkMeeting

    kinds = [
        kind
        for kind in kinds_for(user)
        if kind.scope == "subject" and may_use_kind(user, kind, case.municipality)
    ]
    if not kinds:
        return []
    has_entry = EntryQuestionnaire.objects.filter(case=case).exists()
    has_exit = ExitQuestionnaire.objects.filter(case=case).exists()
    rows = []
    for kind in kinds:
        if kind.subject_model != "cases.Case":
            continue
        row = DocumentRow(kind=kind, subject_id=case.pk)
        if kind.code == "entry_questionnaire" and not has_entry:
            row.available = False
            row.unavailable_reason = _("Once the entry questionnaire is filled in.")
        if kind.code == "exit_questionnaire" and not has_exit:
            row.available = False
            row.unavailable_reason = _("Once the person has exited.")
        rows.append(row)
    meeting_kinds = [kind for kind in kinds if kind.subject_model == "cases.NetworkMeeting"]
    for meeting in case.meetings.order_by("starts_at", "pk"):
        for kind in meeting_kinds:
            when = formats.date_format(timezone.localtime(meeting.starts_at), "SHORT_DATE_FORMAT")
            rows.append(
                DocumentRow(kind=kind, subject_id=meeting.pk, detail=f"{when} — {meeting.goal}")
            )
    _rows_with_jobs(
        rows,
        {
            "cases.Case": ContentType.objects.get_for_model(case),
            "cases.NetworkMeeting": ContentType.objects.get_for_model(NetworkMeeting),
        },
    )
    return rows
