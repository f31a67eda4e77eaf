"""Monthly reports from the assessments app:

- the quality-of-life summary (*Elukvaliteedi hinnang_koond*, XLSX): per person, the mean
  answer of the person's and of the specialist's survey at entry, after 12 months and at exit;
- the STAR export (CSV and XLSX): per person, the latest finished support-needs assessment
  (level per life domain) and the plan lines in force in the month (unit price, provider,
  hours a month and the monthly cost), for entering into the state register.

Both stream the municipality's participants from the database in chunks."""

from __future__ import annotations

import io
from collections import defaultdict
from collections.abc import Iterator
from decimal import Decimal

from django.db.models import Avg
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.models import Role
from reporting.month_data import number, participating_cases, xlsx_formats
from reporting.registry import report_kind
from tugi import workdays
from tugi.exports import csv_writer, xlsx_workbook
from tugi.exports import text as safe_text

CHUNK = 500
SCORE = Decimal("0.01")


def _persons_of(cases):
    from cases.models import Person

    return Person.objects.filter(pk__in=cases.values("person_id"))


def qol_listed(job):
    """Everyone the quality-of-life summary lists."""
    return _persons_of(participating_cases(job.municipality, job.month, including_past=True))


def star_listed(job):
    """Everyone the STAR export lists."""
    return _persons_of(participating_cases(job.municipality, job.month))


def _chunks(queryset) -> Iterator[list]:
    chunk = []
    for item in queryset.iterator(chunk_size=2000):
        chunk.append(item)
        if len(chunk) == CHUNK:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def _write_rows(sheet, rows, formats, start=1) -> int:
    row = start
    for values in rows:
        for col, value in enumerate(values):
            if value is None or value == "":
                sheet.write_blank(row, col, None)
            elif hasattr(value, "year"):
                sheet.write_datetime(row, col, value, formats["date"])
            elif isinstance(value, Decimal):
                sheet.write_number(row, col, number(value), formats["decimal"])
            elif isinstance(value, int):
                sheet.write_number(row, col, value)
            else:
                sheet.write_string(row, col, safe_text(value))
        row += 1
    return row - start


# --- Quality-of-life summary -----------------------------------------------------------------


def qol_columns() -> list[tuple[str, str]]:
    """(occasion, respondent) in the order of the report."""
    from assessments.models import QolOccasion, QolRespondent

    return [
        (occasion, respondent)
        for occasion in (QolOccasion.ENTRY, QolOccasion.YEAR, QolOccasion.EXIT)
        for respondent in (QolRespondent.PERSON, QolRespondent.SPECIALIST)
    ]


def qol_rows(municipality, month) -> Iterator[list]:
    from assessments.models import QolSurvey

    cases = participating_cases(municipality, month, including_past=True)
    columns = qol_columns()
    for chunk in _chunks(cases):
        surveys = (
            QolSurvey.objects.filter(
                case__in=[c.pk for c in chunk], answered_on__lte=workdays.month_end(month)
            )
            .annotate(score=Avg("answers__level__value"))
            .values("case_id", "occasion", "respondent", "answered_on", "score")
        )
        found = defaultdict(dict)
        for survey in surveys:
            found[survey["case_id"]][(survey["occasion"], survey["respondent"])] = survey
        for case in chunk:
            values = [
                case.person.isikukood or "",
                case.person.last_name,
                case.person.first_name,
                case.number,
                case.entry_date,
                case.exit_date,
            ]
            for key in columns:
                survey = found[case.pk].get(key)
                score = survey and survey["score"]
                values += [
                    survey["answered_on"] if survey else None,
                    Decimal(score).quantize(SCORE) if score is not None else None,
                ]
            yield values


@report_kind(
    "qol_summary",
    label=gettext_lazy("Quality-of-life summary (XLSX)"),
    extension="xlsx",
    roles=frozenset({Role.COORDINATOR, Role.SKA}),
    scope="municipality_month",
    listed_people=qol_listed,
)
def qol_summary(job, *, out, progress) -> str:
    from assessments.models import QolOccasion, QolRespondent

    with translation.override("et"):
        municipality, month = job.municipality, job.month
        workbook = xlsx_workbook(out)
        f = xlsx_formats(workbook)
        sheet = workbook.add_worksheet(_("Quality of life"))
        occasions, respondents = dict(QolOccasion.choices), dict(QolRespondent.choices)
        head = [
            _("Personal identification code"),
            _("Last name"),
            _("First name"),
            _("Case number"),
            _("Entry date"),
            _("Exit date"),
        ]
        date_label, score_label = _("date"), _("mean answer")
        for occasion, respondent in qol_columns():
            label = f"{occasions[occasion]}, {respondents[respondent]}"
            head += [f"{label}: {date_label}", f"{label}: {score_label}"]
        sheet.write_row(0, 0, head, f["head"])
        sheet.set_row(0, 60)
        sheet.set_column(0, 3, 16)
        sheet.set_column(4, len(head), 12)
        sheet.freeze_panes(1, 3)
        progress(10, _("Reading the surveys"))
        count = _write_rows(sheet, qol_rows(municipality, month), f)
        sheet.write_string(
            count + 2, 0, _("Mean answer: the mean of the survey's answers on its scale.")
        )
        workbook.close()
    return f"Elukvaliteedi_hinnang_koond-{municipality.code}-{month:%Y-%m}.xlsx"


# --- STAR export -----------------------------------------------------------------------------


def star_domains():
    """The life domains of the current support-needs instrument (code, name)."""
    from assessments.models import InstrumentKind
    from assessments.selectors import current_instrument

    instrument = current_instrument(InstrumentKind.NEEDS)
    if instrument is None:
        return []
    return list(instrument.items.order_by("order", "code").values_list("code", "name"))


def star_header(domains) -> list[str]:
    return [
        _("Personal identification code"),
        _("Last name"),
        _("First name"),
        _("Case number"),
        _("Date of assessment"),
        *[name for _code, name in domains],
        _("Component code"),
        _("Component"),
        _("Provider"),
        _("Provider registry code"),
        _("Form"),
        _("Unit price"),
        _("Hours a month"),
        _("Monthly cost"),
        _("From"),
        _("Until"),
    ]


def star_rows(municipality, month, domains) -> Iterator[list]:
    from assessments.models import (
        Assessment,
        AssessmentAnswer,
        AssessmentStatus,
        PlanLine,
    )
    from assessments.selectors import line_monthly_cost

    first, last = month, workdays.month_end(month)
    for chunk in _chunks(participating_cases(municipality, month)):
        ids = [c.pk for c in chunk]
        latest = {}
        for assessment in (
            Assessment.objects.filter(
                case__in=ids, status=AssessmentStatus.FINISHED, assessed_on__lte=last
            )
            .order_by("case_id", "-assessed_on", "-pk")
            .values("pk", "case_id", "assessed_on")
        ):
            latest.setdefault(assessment["case_id"], assessment)
        levels = defaultdict(dict)
        for answer in AssessmentAnswer.objects.filter(
            assessment__in=[a["pk"] for a in latest.values()], level__isnull=False
        ).values("assessment_id", "item__code", "level__value"):
            levels[answer["assessment_id"]][answer["item__code"]] = answer["level__value"]
        lines = defaultdict(list)
        for line in (
            PlanLine.objects.filter(plan__case__in=ids).in_force_between(first, last)
            .select_related("component", "provider", "plan")
            .order_by("component__order", "component__code", "valid_from", "pk")
        ):
            lines[line.plan.case_id].append(line)
        for case in chunk:
            assessment = latest.get(case.pk)
            person = [
                case.person.isikukood or "",
                case.person.last_name,
                case.person.first_name,
                case.number,
                assessment and assessment["assessed_on"],
            ]
            answers = levels.get(assessment["pk"], {}) if assessment else {}
            person += [answers.get(code) for code, _name in domains]
            if not lines[case.pk]:
                yield person + [None] * 11
            for line in lines[case.pk]:
                yield person + [
                    line.component.code,
                    line.component.name,
                    line.provider.name,
                    line.provider.registry_code,
                    line.get_form_display(),
                    line.unit_price,
                    line.monthly_quantity,
                    line_monthly_cost(line),
                    line.valid_from,
                    line.valid_to,
                ]


STAR_ROLES = frozenset({Role.CASE_MANAGER, Role.COORDINATOR})


@report_kind(
    "star_export_xlsx",
    label=gettext_lazy("STAR export (XLSX)"),
    extension="xlsx",
    roles=STAR_ROLES,
    scope="municipality_month",
    listed_people=star_listed,
)
def star_export_xlsx(job, *, out, progress) -> str:
    with translation.override("et"):
        municipality, month = job.municipality, job.month
        domains = star_domains()
        workbook = xlsx_workbook(out)
        f = xlsx_formats(workbook)
        sheet = workbook.add_worksheet("STAR")
        head = star_header(domains)
        sheet.write_row(0, 0, head, f["head"])
        sheet.set_column(0, len(head), 14)
        sheet.freeze_panes(1, 3)
        progress(10, _("Reading assessments and plans"))
        _write_rows(sheet, star_rows(municipality, month, domains), f)
        workbook.close()
    return f"STAR-{municipality.code}-{month:%Y-%m}.xlsx"


def _csv_value(value) -> str:
    if value is None:
        return ""
    if hasattr(value, "year"):
        return f"{value:%d.%m.%Y}"
    if isinstance(value, Decimal):
        return f"{value}".replace(".", ",")
    return str(value)


@report_kind(
    "star_export_csv",
    label=gettext_lazy("STAR export (CSV)"),
    extension="csv",
    roles=STAR_ROLES,
    scope="municipality_month",
    listed_people=star_listed,
)
def star_export_csv(job, *, out, progress) -> str:
    with translation.override("et"):
        municipality, month = job.municipality, job.month
        domains = star_domains()
        # Excel opens a UTF-8 CSV with a byte-order mark and semicolons the Estonian way.
        text = io.TextIOWrapper(out, encoding="utf-8-sig", newline="")
        writer = csv_writer(text)
        writer.writerow(star_header(domains))
        progress(10, _("Reading assessments and plans"))
        for row in star_rows(municipality, month, domains):
            writer.writerow([_csv_value(v) for v in row])
        text.flush()
        text.detach()
    return f"STAR-{municipality.code}-{month:%Y-%m}.csv"
