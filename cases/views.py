"""Views of the case file: parse input, call a selector or a service, render."""

from __future__ import annotations

from datetime import date

from django.contrib import messages
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from accounts.models import Role
from accounts.permissions import get_visible_or_404, role_required
from accounts.services import log_access, log_cases
from tugi import sections
from tugi.errors import DomainError

from . import deadlines, selectors, services
from .forms import (
    ActionPlanItemForm,
    ActivityForm,
    AgendaItemForm,
    CaseDetailsForm,
    CaseFilterForm,
    CloseForm,
    DecisionForm,
    EligibilityForm,
    EntryForm,
    ExitForm,
    InitialActionForm,
    InitialAssessmentForm,
    MeetingForm,
    MinutesForm,
    NetworkMemberForm,
    NoticePersonForm,
    NoticingEditForm,
    NoticingForm,
    NotificationForm,
    PersonForm,
    PreparationTaskForm,
    RelativeForm,
)
from .models import (
    INITIAL_ASSESSMENT_FIELDS,
    ActionPlanItem,
    Decision,
    EntryQuestionnaire,
    ExitQuestionnaire,
    InitialAction,
    InitialInformation,
    NetworkMeeting,
    NetworkMember,
    Noticing,
    Relative,
)
from .services import CaseError, OpenCaseError

staff_only = role_required(Role.CASE_MANAGER, Role.COORDINATOR)
PAGE_SIZE = 25


def _today():
    return timezone.localdate()


def _case(request, pk):
    """The case the user may see (404 otherwise); every look at it is written to the access log."""
    case = selectors.case_for(request.user, pk)
    log_access(request=request, subject=case.person, municipality=case.municipality)
    return case


def _fail(form, error: CaseError) -> None:
    field = error.field if error.field in form.fields else None
    form.add_error(field, error.message)


def _deadline_scope(request):
    mine = request.GET.get("scope", "mine") != "kov"
    cases = selectors.cases_for(request.user)
    if mine:
        cases = cases.filter(case_manager=request.user)
    return mine, cases


@staff_only
def home(request):
    """The case manager's start page: the persons needing her next step (overdue first, then
    noticed persons awaiting the decision, then what is due within 14 days), each a link to
    the page where the step is done; paged, with a search by name or personal code."""
    mine, cases = _deadline_scope(request)
    q = request.GET.get("q", "").strip()
    if q:
        cases = selectors.search_cases(cases, q)
    today = _today()
    page = Paginator(deadlines.tasks_for(cases, today), DEADLINES_PAGE).get_page(request.GET.get("page"))
    deadlines.with_people(page)
    log_cases(request=request, cases=[d.case for d in page])
    return render(
        request,
        "cases/home.html",
        {
            "tasks": deadlines.with_notes(list(page)),
            "page": page,
            "mine": mine,
            "q": q,
            "today": today,
            "query": _query_without(request, "page"),
        },
    )


#: Deadlines on one page of a list: a whole municipality has thousands (6 930 cases: 4.9 MB).
DEADLINES_PAGE = 50


def _query_without(request, param: str) -> str:
    query = request.GET.copy()
    query.pop(param, None)
    return query.urlencode()


@staff_only
def deadline_list(request):
    mine, cases = _deadline_scope(request)
    today = _today()
    every = deadlines.deadlines_for(cases, today, people=False)
    horizon = today.toordinal() + deadlines.SOON_DAYS
    lists = {
        "overdue": (_("Overdue"), [d for d in every if d.overdue]),
        "soon": (
            _("Due within 14 days"),
            [d for d in every if not d.overdue and d.due.toordinal() <= horizon],
        ),
        "later": (_("Later"), [d for d in every if d.due.toordinal() > horizon]),
    }
    groups = [
        {
            "title": title,
            "param": param,
            "page": Paginator(items, DEADLINES_PAGE).get_page(request.GET.get(param)),
            "query": _query_without(request, param),
        }
        for param, (title, items) in lists.items()
    ]
    deadlines.with_people([d for group in groups for d in group["page"]])
    log_cases(request=request, cases=[d.case for group in groups for d in group["page"]])
    return render(request, "cases/deadlines.html", {"groups": groups, "mine": mine, "today": today})


@staff_only
def person_list(request):
    form = CaseFilterForm(request.GET or None, municipality=request.user.municipality)
    cases = selectors.cases_for(request.user)
    if form.is_valid():
        data = form.cleaned_data
        cases = selectors.search_cases(cases, data["q"])
        if data["state"]:
            cases = cases.filter(state=data["state"])
        if data["case_manager"]:
            cases = cases.filter(case_manager=data["case_manager"])
        if data["overdue"]:
            cases = cases.filter(deadlines.overdue_q(_today()))
    cases = cases.order_by("person__last_name", "person__first_name", "pk")
    page = Paginator(cases, PAGE_SIZE).get_page(request.GET.get("page"))
    today = _today()
    rows = [(case, deadlines.next_deadline(case, today)) for case in page]
    log_cases(request=request, cases=page)
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "cases/person_list.html",
        {"form": form, "page": page, "rows": rows, "query": query.urlencode()},
    )


@staff_only
def notice(request):
    municipality = request.user.municipality
    person_form = NoticePersonForm(request.POST or None, prefix="person")
    details_form = CaseDetailsForm(request.POST or None, prefix="person")
    noticing_form = NoticingForm(
        request.POST or None,
        municipality=municipality,
        prefix="noticing",
        initial={
            "case_manager": request.user if request.user.is_case_manager else None,
            "noticed_on": _today(),
        },
    )
    open_case = None
    valid = [form.is_valid() for form in (person_form, details_form, noticing_form)]
    if request.method == "POST" and all(valid):
        try:
            case = services.notice(
                person=person_form.instance,
                noticing=noticing_form.instance,
                municipality=municipality,
                case_manager=noticing_form.cleaned_data["case_manager"],
                details={name: details_form.cleaned_data[name] for name in details_form.fields},
            )
        except CaseError as error:
            target = noticing_form
            for form in (person_form, details_form):
                if error.field in form.fields:
                    target = form
            _fail(target, error)
            if isinstance(error, OpenCaseError):
                open_case = error.case
        else:
            messages.success(request, _("Case file %(number)s opened.") % {"number": case.number})
            return redirect("cases:case_detail", pk=case.pk)
    return render(
        request,
        "cases/notice.html",
        {
            "person_form": person_form,
            "details_form": details_form,
            "noticing_form": noticing_form,
            "open_case": open_case,
        },
    )


@staff_only
def case_detail(request, pk):
    case = _case(request, pk)
    today = _today()
    person = case.person
    case_deadlines = deadlines.case_deadlines(case, today)
    step = deadlines.next_step(case, case_deadlines)
    return render(
        request,
        "cases/case_detail.html",
        {
            "case": case,
            "person": person,
            "today": today,
            "deadlines": case_deadlines,
            "next_deadline": case_deadlines[0] if case_deadlines else None,
            "next_step": step,
            "next_action": step.action if step else None,
            "noticing": getattr(case, "noticing", None),
            "checks": case.eligibility_checks.select_related("checked_by"),
            "entry": getattr(case, "entry_questionnaire", None),
            "exit": getattr(case, "exit_questionnaire", None),
            "relatives": case.relatives.all(),
            "network": case.network.all(),
            "activities": case.activities.all(),
            "initial_information": case.initial_information.all(),
            "initial_actions": case.initial_actions.all(),
            "action_plan": case.action_plan.all(),
            "meetings": case.meetings.prefetch_related("decisions"),
            "other_cases": selectors.cases_for(request.user)
            .filter(person=person)
            .exclude(pk=case.pk),
            "history": _history(case),
            # The other apps' sections of the case file (plan, budget, documents; tugi.sections).
            "sections": sections.for_page("cases:case_detail", request, case=case),
        },
    )


HISTORY_TYPES = {
    "+": gettext_lazy("created"),
    "~": gettext_lazy("changed"),
    "-": gettext_lazy("deleted"),
}


def _shown(field, value):
    """A history value as the page shows it: the choice's label, dates as dd.mm.yyyy."""
    if value in (None, ""):
        return "—"
    if field.choices:
        return dict(field.flatchoices).get(value, value)
    if isinstance(value, date):
        return date_format(value, "SHORT_DATE_FORMAT")
    return value


def _history(case) -> list[dict]:
    """Every change of the case file and, while it is the person's current one, of the
    person: who, when, which fields from what to what.

    One query per kind of record, however long the history: each record is compared with the
    record before it of the same object, found in the same ordered rows (not with
    ``prev_record``, a query per row). The person's own record is read from its start, so the
    first change inside the window still shows what it changed."""
    window = selectors.person_history_window(case)
    since = window.pop("history_date__gt", None)
    personal = [case.person.history.filter(**window)]  # only the changes inside the window are shown
    sources = [
        *personal,
        case.history.all(),
        Relative.history.filter(case_id=case.pk),
        Noticing.history.filter(case_id=case.pk),
        EntryQuestionnaire.history.filter(case_id=case.pk),
        ExitQuestionnaire.history.filter(case_id=case.pk),
        NetworkMember.history.filter(case_id=case.pk),
        NetworkMeeting.history.filter(case_id=case.pk),
        Decision.history.filter(meeting__case_id=case.pk),
        InitialInformation.history.filter(case_id=case.pk),
        InitialAction.history.filter(case_id=case.pk),
        ActionPlanItem.history.filter(case_id=case.pk),
    ]
    person = case.person
    rows = []
    for n, records in enumerate(sources):
        shown_since = since if n < len(personal) else None
        latest = {}
        for record in records.select_related("history_user").order_by("history_date", "history_id"):
            meta = record.instance._meta
            key = getattr(record, meta.pk.attname)
            older, latest[key] = latest.get(key), record
            if shown_since is not None and record.history_date <= shown_since:
                continue
            changes = []
            if older is not None:
                for change in record.diff_against(older).changes:
                    field = meta.get_field(change.field)
                    changes.append(
                        (field.verbose_name, _shown(field, change.old), _shown(field, change.new))
                    )
            instance = record.instance
            if getattr(instance, "person_id", None) == person.pk:
                instance.person = person  # a case file's name is its person's: not a query per row
            rows.append(
                {
                    "at": record.history_date,
                    "who": record.history_user,
                    "what": meta.verbose_name,
                    "label": str(instance),
                    "type": HISTORY_TYPES.get(record.history_type, record.history_type),
                    "changes": changes,
                }
            )
    rows.sort(key=lambda r: r["at"], reverse=True)
    return rows


def _form_page(request, case, form, title, template="cases/form.html", **extra):
    return render(request, template, {"case": case, "form": form, "title": title, **extra})


@staff_only
def person_edit(request, pk):
    case = _case(request, pk)
    form = PersonForm(request.POST or None, instance=case.person)
    details = CaseDetailsForm(request.POST or None, instance=case)
    if request.method == "POST" and all([form.is_valid(), details.is_valid()]):
        try:
            services.update_person(case=case, person=form.instance)
        except CaseError as error:
            _fail(details if error.field in details.fields else form, error)
        else:
            messages.success(request, _("Personal data saved."))
            return redirect("cases:case_detail", pk=case.pk)
    return _form_page(
        request,
        case,
        form,
        _("Personal data"),
        extra_form=details,
        extra_title=_("Recorded in this case file"),
    )


@staff_only
def noticing_edit(request, pk):
    case = _case(request, pk)
    form = NoticingEditForm(request.POST or None, instance=case.noticing)
    if request.method == "POST" and form.is_valid():
        try:
            services.update_noticing(noticing=form.instance)
        except CaseError as error:
            _fail(form, error)
        else:
            messages.success(request, _("Noticing saved."))
            return redirect("cases:case_detail", pk=case.pk)
    return _form_page(request, case, form, _("Noticing"))


def _add_record(request, pk, form_class, title, done, anchor):
    case = _case(request, pk)
    form = form_class(
        request.POST or None,
        **({"initial": {"on": _today()}} if form_class is ActivityForm else {}),
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.add_record(case=case, record=form.instance)
        except CaseError as error:
            _fail(form, error)
        else:
            messages.success(request, done)
            return redirect(reverse("cases:case_detail", kwargs={"pk": case.pk}) + anchor)
    return _form_page(request, case, form, title)


@staff_only
def relative_add(request, pk):
    return _add_record(
        request,
        pk,
        RelativeForm,
        _("Add a representative or household member"),
        _("Saved."),
        "#personal",
    )


@staff_only
def network_add(request, pk):
    return _add_record(
        request,
        pk,
        NetworkMemberForm,
        _("Add a network member"),
        _("Network member added."),
        "#network",
    )


@staff_only
def activity_add(request, pk):
    return _add_record(
        request, pk, ActivityForm, _("Add an activity"), _("Activity added."), "#activities"
    )


@staff_only
def initial_assessment(request, pk):
    """Handbook form A, 3 and 6 with A1: initial information per domain and the decision."""
    case = _case(request, pk)
    form = InitialAssessmentForm(request.POST or None, instance=case)
    if request.method == "POST" and form.is_valid():
        try:
            services.save_initial_assessment(
                case=case,
                fields={name: form.cleaned_data[name] for name in INITIAL_ASSESSMENT_FIELDS},
                domains=form.domains(),
            )
        except CaseError as error:
            _fail(form, error)
        else:
            messages.success(request, _("Initial assessment saved."))
            return redirect(reverse("cases:case_detail", kwargs={"pk": case.pk}) + "#initial")
    return _form_page(request, case, form, _("Initial information and assessment decision"))


@staff_only
def initial_action_add(request, pk):
    return _add_record(
        request,
        pk,
        InitialActionForm,
        _("Add an activity or decision (A1)"),
        _("Saved."),
        "#initial",
    )


@staff_only
def action_plan_add(request, pk):
    return _add_record(
        request,
        pk,
        ActionPlanItemForm,
        _("Add to the case manager's action plan (C)"),
        _("Saved."),
        "#activities",
    )


@staff_only
def eligibility(request, pk):
    case = _case(request, pk)
    form = EligibilityForm(request.POST or None, initial={"entry_date": _today()})
    check = None
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            check = services.check_eligibility(
                case=case,
                entry_date=data["entry_date"],
                primary_diagnosis=data["primary_diagnosis"],
                condition=data["condition"],
                concurrent_state_service=data["concurrent_state_service"],
                override_justification=data["override_justification"],
                by=request.user,
            )
        except CaseError as error:
            _fail(form, error)
        else:
            if check.admits:
                messages.success(
                    request, _("The person may enter. Fill in the entry questionnaire.")
                )
                return redirect("cases:entry", pk=case.pk)
    return _form_page(
        request, case, form, _("Eligibility check"), "cases/eligibility.html", check=check
    )


@staff_only
def entry(request, pk):
    case = _case(request, pk)
    check = case.eligibility_checks.order_by("-checked_at", "-pk").first()
    initial = {
        "entry_date": check.entry_date if check else _today(),
        "filled_on": _today(),
        "consent_given_on": _today(),
        "cooperation_agreement_signed_on": _today(),
        "disability_degree": case.disability_degree,
        "work_ability": case.work_ability,
        "signer_name": case.person.full_name,
    }
    form = EntryForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.enter(
                case=case, questionnaire=form.instance, entry_date=form.cleaned_data["entry_date"]
            )
        except CaseError as error:
            _fail(form, error)
        else:
            messages.success(request, _("The person has entered the programme."))
            return redirect("cases:case_detail", pk=case.pk)
    return _form_page(request, case, form, _("Entry questionnaire"), check=check)


@staff_only
def exit_view(request, pk):
    case = _case(request, pk)
    if case.is_open and case.entry_date is None:
        return redirect("cases:close", pk=case.pk)
    form = ExitForm(request.POST or None, initial={"exit_date": _today()})
    if request.method == "POST" and form.is_valid():
        try:
            services.exit_case(case=case, questionnaire=form.instance)
        except DomainError as error:  # the plan's refusal (assessments) as well as ours
            _fail(form, error)
        else:
            messages.success(
                request, _("The person has exited the programme; open deadlines are closed.")
            )
            return redirect("cases:case_detail", pk=case.pk)
    return _form_page(request, case, form, _("Exit questionnaire"), "cases/exit.html")


@staff_only
def close_view(request, pk):
    """Closing the case file of a noticed person who did not enter (not an exit)."""
    case = _case(request, pk)
    form = CloseForm(request.POST or None, initial={"on": _today()})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.close_without_entry(
                case=case, on=data["on"], reason=data["reason"], note=data["note"]
            )
        except CaseError as error:
            _fail(form, error)
        else:
            messages.success(request, _("The case file is closed: the person did not enter."))
            return redirect("cases:case_detail", pk=case.pk)
    return _form_page(
        request, case, form, _("Close: the person did not enter"), "cases/close.html"
    )


@staff_only
def meeting_add(request, pk):
    case = _case(request, pk)
    form = MeetingForm(request.POST or None, case=case)
    if request.method == "POST" and form.is_valid():
        try:
            meeting = services.plan_meeting(
                case=case,
                meeting=form.instance,
                members=form.cleaned_data["members"],
                other_invitees=form.cleaned_data["other_invitees"].splitlines(),
            )
        except CaseError as error:
            _fail(form, error)
        else:
            messages.success(request, _("Network meeting planned."))
            return redirect("cases:meeting_detail", pk=case.pk, meeting_pk=meeting.pk)
    return _form_page(request, case, form, _("Plan a network meeting"))


@staff_only
def meeting_detail(request, pk, meeting_pk):
    case = _case(request, pk)
    meeting = selectors.meeting_for(request.user, case, meeting_pk)
    invitees = list(meeting.invitees.all())
    minutes_form = MinutesForm(
        meeting=meeting,
        prefix="minutes",
        initial={
            "written_on": meeting.minutes_written_on or _today(),
            "confirmed": [str(i.pk) for i in invitees if i.confirmed],
            "attended": [str(i.pk) for i in invitees if i.attended],
            "notes": meeting.minutes_notes,
        },
    )
    forms = {
        "minutes": minutes_form,
        "decision": DecisionForm(prefix="decision"),
        "agenda": AgendaItemForm(prefix="agenda"),
        "notify": NotificationForm(
            prefix="notify", meeting=meeting, initial={"notified_on": _today(), "notified_by": request.user}
        ),
        "task": PreparationTaskForm(prefix="task"),
    }
    # One form per POST: the field that names it, how it is bound, what it does, what it says.
    actions = [
        ("minutes-written_on", "minutes", lambda: MinutesForm(request.POST, meeting=meeting, prefix="minutes"),
         lambda form: services.record_minutes(
             meeting=meeting,
             written_on=form.cleaned_data["written_on"],
             confirmed=[int(x) for x in form.cleaned_data["confirmed"]],
             attended=[int(x) for x in form.cleaned_data["attended"]],
             notes=form.cleaned_data["notes"],
         ), _("Minutes saved.")),
        ("agenda-title", "agenda", lambda: AgendaItemForm(request.POST, prefix="agenda"),
         lambda form: services.add_agenda_item(meeting=meeting, item=form.instance), _("Agenda item added.")),
        ("notify-invitee", "notify", lambda: NotificationForm(request.POST, prefix="notify", meeting=meeting),
         lambda form: services.record_notification(
             invitee=form.cleaned_data["invitee"],
             notified_on=form.cleaned_data["notified_on"],
             notified_by=form.cleaned_data["notified_by"],
             confirmed=form.cleaned_data["confirmed"],
         ), _("Notification recorded.")),
        ("task-task", "task", lambda: PreparationTaskForm(request.POST, prefix="task"),
         lambda form: services.add_preparation_task(meeting=meeting, task=form.instance), _("Preparation task added.")),
        # Anything else posted here is a decision.
        (None, "decision", lambda: DecisionForm(request.POST, prefix="decision"),
         lambda form: services.add_decision(meeting=meeting, decision=form.instance), _("Decision added.")),
    ]
    done = None
    if request.method == "POST":
        trigger, name, bind, act, message = next(a for a in actions if a[0] is None or a[0] in request.POST)
        form = forms[name] = bind()
        if form.is_valid():
            try:
                act(form)
            except CaseError as error:
                _fail(form, error)
            else:
                done = message
    if done:
        messages.success(request, done)
        return redirect("cases:meeting_detail", pk=case.pk, meeting_pk=meeting.pk)
    return render(
        request,
        "cases/meeting_detail.html",
        {
            "case": case,
            "meeting": meeting,
            "invitees": invitees,
            "decisions": meeting.decisions.all(),
            "tasks": meeting.preparation_tasks.all(),
            **{f"{name}_form": form for name, form in forms.items()},
        },
    )


@staff_only
@require_POST
def decision_done(request, pk, decision_pk):
    case = _case(request, pk)
    decision = get_visible_or_404(Decision.objects.filter(meeting__case=case), pk=decision_pk)
    try:
        services.complete_decision(decision=decision, on=_today())
    except CaseError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("Decision marked as done."))
    return redirect("cases:meeting_detail", pk=case.pk, meeting_pk=decision.meeting_id)
