"""Retention of closed case files: how long a case file is kept after it ends, and what
happens then.

A case file ends on its exit date (or, for a noticed person who never entered, the day it
was closed). ``RETENTION_MONTHS`` after that it is *due*. The monthly job
(:func:`run`) first lists the due case files without changing anything (a dry run the
administrator reads in the admin, *Säilitustähtaja käivitused*); a later run removes those
that an earlier dry run listed at least ``RETENTION_NOTICE_DAYS`` before:

- the case file's own records are deleted: noticing, eligibility checks, questionnaires,
  relatives, network, activities, meetings with their invitees, agenda and decisions, and
  the signed documents with their files;
- the case file's free text (contacts, addresses, notes) is emptied, and so is the
  optional free text of what stays with it (assessments' background and summary, plans'
  resources, obstacles and reasons, reviews' recommendations, survey notes);
- the person is pseudonymised once none of their case files is open or still kept: name
  replaced, code and contacts removed, birth date reduced to its year;
- the history (simple-history) of all of the above is deleted, and the access log's
  name of the person replaced by the pseudonym;
- what money and statistics need stays, attached to the pseudonym: the case number and
  dates, assessments, plans, deliveries and invoices.

A case file with a delivery in a month whose invoice SKA has not accepted is left alone
(``skipped``) until it has been. Every removal is written as a :class:`RemovalRecord`
naming the case file by id, number and municipality only.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from django.conf import settings
from django.db import models, transaction
from django.db.models import Exists, OuterRef, Q
from django.db.models.functions import Coalesce, TruncMonth
from django.utils import timezone

from accounts.models import AccessLog
from billing.models import BillingMonth, Delivery, MonthState
from cases.models import ENDED_STATES, Case, Person
from tugi.workdays import add_months

from .models import Attachment, RemovalRecord, RetentionRun, evidence_storage

PSEUDONYM = "Pseudonüüm"


def cutoff(today: date) -> date:
    """Case files that ended on or before this day are past the retention period."""
    return add_months(today, -settings.RETENTION_MONTHS)


def _ended_cases():
    return Case.objects.filter(state__in=ENDED_STATES).annotate(
        ended_on=Coalesce("exit_date", "closed_on")
    )


def _awaiting_invoice(case_ref="pk"):
    """A delivery of the case in a month that SKA has not accepted (open, closed, submitted
    or returned): the invoice still needs the case file."""
    accepted = BillingMonth.objects.filter(
        municipality_id=OuterRef("municipality_id"),
        month=OuterRef("month"),
        state=MonthState.ACCEPTED,
    )
    deliveries = (
        Delivery.objects.filter(case_id=OuterRef(case_ref))
        .annotate(month=TruncMonth("date", output_field=models.DateField()))
        .annotate(accepted=Exists(accepted))
        .filter(accepted=False)
    )
    return Exists(deliveries)


def due_cases(today: date):
    """Case files past the retention period and not removed yet, with ``waits`` telling
    those an open invoice still needs."""
    removed = RemovalRecord.objects.values("case_id")
    return (
        _ended_cases()
        .filter(ended_on__lte=cutoff(today))
        .exclude(pk__in=removed)
        .annotate(waits=_awaiting_invoice())
        .select_related("municipality")
        .order_by("ended_on", "pk")
    )


def _row(case) -> dict:
    return {
        "case_id": case.pk,
        "number": case.number,
        "municipality": case.municipality.name,
        "ended_on": case.ended_on.isoformat(),
        "waits_for_invoice": case.waits,
    }


@dataclass
class Outcome:
    run: RetentionRun
    removed: list[int]


def dry_run(*, today: date) -> RetentionRun:
    """List what is due, change nothing."""
    rows = [_row(case) for case in due_cases(today)]
    return RetentionRun.objects.create(
        dry_run=True,
        cutoff=cutoff(today),
        case_count=sum(1 for r in rows if not r["waits_for_invoice"]),
        skipped_count=sum(1 for r in rows if r["waits_for_invoice"]),
        report=rows,
    )


def _listed_before(today: date) -> set[int]:
    """Case files a dry run listed at least RETENTION_NOTICE_DAYS before ``today``."""
    latest = timezone.make_aware(
        timezone.datetime.combine(
            today - timedelta(days=settings.RETENTION_NOTICE_DAYS), timezone.datetime.max.time()
        )
    )
    listed = set()
    for report in RetentionRun.objects.filter(dry_run=True, started_at__lte=latest).values_list(
        "report", flat=True
    ):
        listed |= {row["case_id"] for row in report if not row["waits_for_invoice"]}
    return listed


def remove_due(*, today: date) -> Outcome:
    """Remove the due case files that an earlier dry run listed; leave the rest."""
    listed = _listed_before(today)
    run = RetentionRun.objects.create(dry_run=False, cutoff=cutoff(today))
    removed, skipped, rows = [], 0, []
    for case in due_cases(today):
        if case.waits:
            skipped += 1
            rows.append(_row(case))
            continue
        if case.pk not in listed:
            continue
        with transaction.atomic():
            locked = Case.objects.select_for_update().get(pk=case.pk)
            counts = _remove_case(locked, today=today)
            RemovalRecord.objects.create(
                run=run,
                case_id=case.pk,
                case_number=case.number,
                municipality=case.municipality,
                ended_on=case.ended_on,
                counts=counts,
            )
        removed.append(case.pk)
        rows.append({**_row(case), "removed": counts})
    run.case_count, run.skipped_count, run.report = len(removed), skipped, rows
    run.save(update_fields=["case_count", "skipped_count", "report"])
    return Outcome(run, removed)


def run(*, today: date | None = None) -> tuple[Outcome, RetentionRun]:
    """The monthly job: remove what an earlier dry run listed, then list what is due now."""
    today = today or timezone.localdate()
    outcome = remove_due(today=today)
    return outcome, dry_run(today=today)


# --- Removing one case file -----------------------------------------------------------------


def _text_fields(model, keep=()):
    return [
        f.name
        for f in model._meta.concrete_fields
        if isinstance(f, models.CharField | models.TextField)
        and f.blank
        and not f.choices
        and f.name not in keep
    ]


def _cascaded(parent: models.Model) -> list[tuple[type[models.Model], str, models.QuerySet]]:
    """The parent's own records: every model deleted with it, with the field that points
    to it."""
    found = []
    for relation in type(parent)._meta.related_objects:
        if relation.on_delete is models.CASCADE:
            model, field = relation.related_model, relation.field.name
            found.append((model, field, model._base_manager.filter(**{field: parent})))
    return found


def _delete_own_records(parent: models.Model, counts: dict) -> None:
    """Delete the parent's cascaded records, their own children's history and theirs."""
    for model, field, rows in _cascaded(parent):
        ids = list(rows.values_list("pk", flat=True))
        for relation in model._meta.related_objects:
            if relation.on_delete is models.CASCADE:
                _purge_history(relation.related_model, **{f"{relation.field.name}_id__in": ids})
        rows.delete()
        _purge_history(model, **{f"{field}_id": parent.pk})
        if ids:
            counts[model._meta.model_name] = counts.get(model._meta.model_name, 0) + len(ids)


#: Apps whose records referring to a case file are money: their rows are locked with the month
#: (a database trigger refuses changes) and stay as they are.
MONEY_APPS = frozenset({"billing", "archive"})


#: What removed free text becomes where a record keeps its place: constraints such as "a
#: finished assessment has a summary" still hold, and a reader sees something was there.
REMOVED_TEXT = "—"


def _empty(model, rows) -> int:
    fields = _text_fields(model)
    if not fields:
        return 0
    values = {
        name: "" if isinstance(model._meta.get_field(name), models.EmailField) else REMOVED_TEXT
        for name in fields
    }
    filled = Q()
    for name in fields:
        filled |= ~Q(**{name: ""}) & ~Q(**{name: REMOVED_TEXT})
    return rows.filter(filled).update(**values)


def _empty_free_text(case: Case, counts: dict) -> None:
    """The records kept with the case file (assessments, plans, surveys, the base-support
    link) and their own records lose their optional free text (notes, summaries,
    background, resources and obstacles, recommendations); levels, dates and amounts stay.
    Their history goes."""
    for relation in Case._meta.related_objects:
        model = relation.related_model
        if relation.on_delete is models.CASCADE or model._meta.app_label in MONEY_APPS:
            continue
        rows = model._base_manager.filter(**{relation.field.name: case})
        ids = list(rows.values_list("pk", flat=True))
        emptied = _empty(model, rows)
        _purge_history(model, **{f"{relation.field.name}_id": case.pk})
        for child_relation in model._meta.related_objects:
            child = child_relation.related_model
            if child._meta.app_label in MONEY_APPS:
                continue
            lookup = {f"{child_relation.field.name}__in": ids}
            emptied += _empty(child, child._base_manager.filter(**lookup))
            _purge_history(child, **{f"{child_relation.field.name}_id__in": ids})
        if emptied:
            key = f"{model._meta.model_name}_text"
            counts[key] = counts.get(key, 0) + emptied


def _purge_history(model, **lookup) -> int:
    history = getattr(model, "history", None)
    if history is None:
        return 0
    return history.filter(**lookup).delete()[0]


def _remove_case(case: Case, *, today: date) -> dict:
    """Delete and empty what the case file recorded about the person (see the module)."""
    counts: dict[str, int] = {}
    attachments = list(Attachment.objects.filter(case=case))
    for attachment in attachments:
        transaction.on_commit(lambda name=attachment.file.name: evidence_storage.delete(name))
    Attachment.objects.filter(case=case).delete()
    counts["attachments"] = len(attachments)
    _purge_history(Attachment, case_id=case.pk)

    _delete_own_records(case, counts)
    _empty_free_text(case, counts)

    blank = _text_fields(Case, keep=("number",))
    Case.objects.filter(pk=case.pk).update(**dict.fromkeys(blank, ""))
    _purge_history(Case, id=case.pk)

    person = case.person
    others = _ended_cases().filter(person=person).exclude(pk=case.pk)
    still_kept = Case.objects.filter(person=person).exclude(pk=case.pk).filter(
        ~Q(state__in=ENDED_STATES) | Q(pk__in=others.filter(ended_on__gt=cutoff(today)).values("pk"))
    )
    if not still_kept.exists():
        _pseudonymise(person, counts)
        counts["person"] = 1
    return counts


def _pseudonymise(person: Person, counts: dict) -> None:
    _delete_own_records(person, counts)
    blank = _text_fields(Person, keep=("isikukood", "no_code_reason"))
    Person.objects.filter(pk=person.pk).update(
        **dict.fromkeys(blank, ""),
        first_name=PSEUDONYM,
        last_name=str(person.pk),
        isikukood=None,
        no_code_reason=PSEUDONYM,
        birth_date=date(person.birth_date.year, 1, 1) if person.birth_date else None,
    )
    _purge_history(Person, id=person.pk)
    AccessLog.objects.filter(person_id=person.pk).update(
        subject_label=f"{PSEUDONYM} {person.pk}"
    )

