"""The month's participants for SKA: who entered and who left, with the monitoring fields of
their entry / exit questionnaires (XLSX), and the questionnaires themselves as PDF copies.

Only what the monitoring export needs: no case narratives (noticing, notes, activities)."""

from __future__ import annotations

from datetime import date

from django.db.models import QuerySet
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.models import Role
from cases.models import Case, Person
from reporting.registry import report_kind
from tugi import workdays
from tugi.documents import render_pdf
from tugi.exports import text as safe_text
from tugi.exports import xlsx_workbook

PARTICIPANT_ROLES = frozenset({Role.COORDINATOR, Role.SKA})


def entered_in(municipality, month) -> QuerySet[Case]:
    """Case files of ``municipality`` whose entry date falls in ``month``."""
    return (
        Case.objects.filter(
            municipality=municipality,
            entry_date__gte=month,
            entry_date__lte=workdays.month_end(month),
        )
        .select_related("person", "entry_questionnaire", "case_manager")
        .order_by("entry_date", "person__last_name", "person__first_name", "pk")
    )


def exited_in(municipality, month) -> QuerySet[Case]:
    """Case files of ``municipality`` whose exit date falls in ``month``."""
    return (
        Case.objects.filter(
            municipality=municipality,
            exit_date__gte=month,
            exit_date__lte=workdays.month_end(month),
        )
        .select_related("person", "exit_questionnaire", "case_manager")
        .order_by("exit_date", "person__last_name", "person__first_name", "pk")
    )


def listed_in_month(job) -> QuerySet[Person]:
    """Everyone the month's participants files list: who entered and who left."""
    cases = entered_in(job.municipality, job.month) | exited_in(job.municipality, job.month)
    return Person.objects.filter(pk__in=cases.values("person_id"))


def _yes_no(value) -> str:
    if value is None:
        return ""
    return _("yes") if value else _("no")


def _entry_columns():
    return [
        (_("Personal identification code"), 16, lambda c, e: c.person.isikukood or ""),
        (_("Last name"), 18, lambda c, e: c.person.last_name),
        (_("First name"), 16, lambda c, e: c.person.first_name),
        (_("Date of birth"), 12, lambda c, e: c.person.birth_date),
        (_("Sex"), 8, lambda c, e: c.person.get_sex_display()),
        (_("Age at entry"), 8, lambda c, e: c.person.age_on(c.entry_date)),
        (_("Case number"), 16, lambda c, e: c.number),
        (_("Entry date"), 12, lambda c, e: c.entry_date),
        (_("Questionnaire filled in on"), 12, lambda c, e: e and e.filled_on),
        (_("Employment status"), 20, lambda c, e: e and e.get_employment_status_display()),
        (_("Education level"), 20, lambda c, e: e and e.get_education_level_display()),
        (_("Household situation"), 20, lambda c, e: e and e.get_household_situation_display()),
        (_("Degree of disability"), 14, lambda c, e: e and e.get_disability_degree_display()),
        (_("Work ability"), 20, lambda c, e: e and e.get_work_ability_display()),
        (_("Health insurance"), 10, lambda c, e: _yes_no(e and e.has_health_insurance)),
        (_("Consent given on"), 12, lambda c, e: e and e.consent_given_on),
    ]


def _exit_columns():
    return [
        (_("Personal identification code"), 16, lambda c, x: c.person.isikukood or ""),
        (_("Last name"), 18, lambda c, x: c.person.last_name),
        (_("First name"), 16, lambda c, x: c.person.first_name),
        (_("Date of birth"), 12, lambda c, x: c.person.birth_date),
        (_("Sex"), 8, lambda c, x: c.person.get_sex_display()),
        (_("Case number"), 16, lambda c, x: c.number),
        (_("Entry date"), 12, lambda c, x: c.entry_date),
        (_("Exit date"), 12, lambda c, x: c.exit_date),
        (_("Reason for exit"), 22, lambda c, x: x and x.get_reason_display()),
        (_("Situation at exit"), 22, lambda c, x: x and x.get_situation_display()),
        (_("Quality-of-life survey at exit: the person"), 14, lambda c, x: c.qol_exit_person_on),
        (
            _("Quality-of-life survey at exit: base-support specialist"),
            14,
            lambda c, x: c.qol_exit_specialist_on,
        ),
    ]


def _write_sheet(workbook, formats, name, columns, rows, questionnaire) -> int:
    sheet = workbook.add_worksheet(name)
    sheet.write_row(0, 0, [_("No."), *[title for title, _width, _get in columns]], formats["head"])
    sheet.set_column(0, 0, 5)
    for index, (_title, width, _get) in enumerate(columns, start=1):
        sheet.set_column(index, index, width)
    sheet.freeze_panes(1, 0)
    count = 0
    for count, case in enumerate(rows.iterator(chunk_size=2000), start=1):
        answers = getattr(case, questionnaire, None)
        sheet.write_number(count, 0, count)
        for index, (_title, _width, get) in enumerate(columns, start=1):
            value = get(case, answers)
            if value in (None, ""):
                sheet.write_blank(count, index, None)
            elif isinstance(value, date):
                sheet.write_datetime(count, index, value, formats["date"])
            elif isinstance(value, int):
                sheet.write_number(count, index, value)
            else:
                sheet.write_string(count, index, safe_text(value))
    return count


@report_kind(
    "participants",
    label=gettext_lazy("Participants of the month"),
    extension="xlsx",
    roles=PARTICIPANT_ROLES,
    scope="municipality_month",
    listed_people=listed_in_month,
)
def participants(job, *, out, progress) -> str:
    with translation.override("et"):
        municipality, month = job.municipality, job.month
        # constant_memory: each row goes to a temporary file as soon as the next one starts.
        workbook = xlsx_workbook(out)
        formats = {
            "head": workbook.add_format({"bold": True, "text_wrap": True, "valign": "top"}),
            "date": workbook.add_format({"num_format": "dd.mm.yyyy"}),
        }
        summary = workbook.add_worksheet(_("Summary"))
        progress(10, _("People who entered"))
        entered = _write_sheet(
            workbook,
            formats,
            _("Entered"),
            _entry_columns(),
            entered_in(municipality, month),
            "entry_questionnaire",
        )
        progress(50, _("People who left"))
        exited = _write_sheet(
            workbook,
            formats,
            _("Left"),
            _exit_columns(),
            exited_in(municipality, month),
            "exit_questionnaire",
        )
        progress(90, _("Writing the file"))
        summary.set_column(0, 0, 28)
        summary.set_column(1, 1, 24)
        for row, (label, value) in enumerate(
            [
                (_("Municipality"), municipality.name),
                (_("Municipality code"), municipality.code),
                (_("Month"), f"{month:%m.%Y}"),
                (_("Entered"), entered),
                (_("Left"), exited),
                (_("Generated"), f"{timezone.localtime():%d.%m.%Y %H:%M}"),
            ]
        ):
            summary.write_string(row, 0, label, formats["head"])
            summary.write(row, 1, safe_text(value) if isinstance(value, str) else value)
        workbook.close()
    return f"osalejad-{municipality.code}-{month:%Y-%m}.xlsx"


@report_kind(
    "questionnaire_copies",
    label=gettext_lazy("Questionnaires of the month (copies)"),
    extension="pdf",
    roles=PARTICIPANT_ROLES,
    scope="municipality_month",
    listed_people=listed_in_month,
)
def questionnaire_copies(job, *, out, progress) -> str:
    with translation.override("et"):
        municipality, month = job.municipality, job.month
        progress(10, _("Reading the questionnaires"))
        entries = list(entered_in(municipality, month).filter(entry_questionnaire__isnull=False))
        exits = list(exited_in(municipality, month).filter(exit_questionnaire__isnull=False))
        progress(50, _("Writing the PDF"))
        out.write(
            render_pdf(
                "documents/questionnaire_copies.html",
                {
                    "title": _("Entry and exit questionnaires %(month)s (copies)")
                    % {"month": f"{month:%m.%Y}"},
                    "municipality": municipality.name,
                    "month": month,
                    "entries": entries,
                    "exits": exits,
                },
            )
        )
    return f"ankeedid-{municipality.code}-{month:%Y-%m}.pdf"
