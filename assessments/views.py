"""Views of assessments and plans: parse input, call a selector or a service, render."""

from __future__ import annotations

from datetime import timedelta
from urllib.parse import urlencode

from django.contrib import messages
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.models import Role
from accounts.permissions import role_required
from accounts.services import log_access, log_cases
from cases.selectors import search_cases
from providers.models import Contract, Provider
from tugi import sections
from tugi.workdays import add_months, month_end, month_start

from . import selectors, services
from .forms import (
    ActivityForm,
    AgreeForm,
    AssessmentForm,
    GoalForm,
    LineForm,
    LinkForm,
    NewVersionForm,
    PlanStartForm,
    PlanTextsForm,
    ReviewForm,
    SubGoalForm,
    SurveyForm,
)
from .models import Goal, PlanKind, PlanLine
from .services import AssessmentError

kov_staff = role_required(Role.CASE_MANAGER, Role.COORDINATOR)
plan_readers = role_required(Role.CASE_MANAGER, Role.COORDINATOR, Role.PROVIDER)
specialists = role_required(Role.PROVIDER)
PAGE_SIZE = 25


def _logged(request, case):
    log_access(request=request, subject=case.person, municipality=case.municipality)
    return case


def _case(request, pk):
    return _logged(request, selectors.case_for(request.user, pk))


def _plan(request, pk):
    plan = selectors.plan_for(request.user, pk)
    _logged(request, plan.case)
    return plan


def _fail(form, error: AssessmentError) -> None:
    field = error.field if error.field in form.fields else None
    form.add_error(field, error.message)


def _page(request, template, **context):
    return render(request, f"assessments/{template}", context)


def _form_page(request, form, *, title, back, case, intro="", submit=None):
    return _page(
        request, "form.html", form=form, title=title, back=back, case=case, intro=intro,
        submit=submit or _("Save"),
    )


# ---------------------------------------------------------------- the case's plan side


def _budget_end(start, months: int):
    """The last day of a budget table of ``months`` months from the month of ``start``."""
    return month_end(add_months(month_start(start), months - 1))


@plan_readers
def case_overview(request, pk):
    case = _case(request, pk)
    today = timezone.localdate()
    plans = list(case.plans.select_related("made_by").order_by("-version"))
    return _page(
        request, "case_overview.html",
        case=case,
        assessments=case.assessments.select_related("assessor", "instrument").order_by("-assessed_on", "-pk"),
        links=case.base_provider_links.select_related("provider", "linked_by"),
        base_link=selectors.base_link_on(case, today),
        plans=plans,
        current_plan=selectors.current_plan(case),
        budget=selectors.budget_months(case=case, start=today, months=6),
        price_warnings=selectors.budget_price_warnings(
            case=case, start=month_start(today), until=_budget_end(today, 6)
        ),
        reviews=selectors.reviews_of(case),
        surveys=case.qol_surveys.select_related("recorded_by").order_by("-answered_on"),
        may_assess=selectors.may_assess(request.user),
        is_base=selectors.is_base_specialist(request.user, case),
        today=today,
    )


# ---------------------------------------------------------------- assessment


@kov_staff
@require_POST
def assessment_start(request, pk):
    case = _case(request, pk)
    try:
        assessment = services.start_assessment(case=case, on=timezone.localdate(), by=request.user)
    except AssessmentError as error:
        messages.error(request, error.message)
        return redirect("assessments:case", pk=case.pk)
    return redirect("assessments:assessment_edit", pk=assessment.pk)


@kov_staff
def assessment_edit(request, pk):
    assessment = selectors.assessment_for(request.user, pk)
    case = _logged(request, assessment.case)
    if assessment.is_finished:
        return redirect("assessments:assessment_detail", pk=assessment.pk)
    form = AssessmentForm(request.POST or None, assessment=assessment)
    if request.method == "POST" and form.is_valid():
        try:
            services.save_assessment(
                assessment=assessment,
                assessed_on=form.cleaned_data["assessed_on"],
                background=form.cleaned_data["background"],
                summary=form.cleaned_data["summary"],
                ready_to_cooperate=form.cleaned_data["ready_to_cooperate"],
                answers=form.answer_inputs(),
            )
            if "finish" in request.POST:
                services.finish_assessment(assessment=assessment)
                messages.success(request, _("The assessment is finished: the plan is due within 30 days."))
                return redirect("assessments:assessment_detail", pk=assessment.pk)
            messages.success(request, _("The assessment is saved."))
            return redirect("assessments:assessment_edit", pk=assessment.pk)
        except services.IncompleteAssessment as error:
            form.mark_missing(error.item_ids)
        except AssessmentError as error:
            _fail(form, error)
    return _page(request, "assessment_form.html", form=form, assessment=assessment, case=case)


@plan_readers
def assessment_detail(request, pk):
    assessment = selectors.assessment_for(request.user, pk)
    case = _logged(request, assessment.case)
    return _page(
        request, "assessment_detail.html", assessment=assessment, case=case,
        rows=selectors.assessment_rows(assessment),
        may_edit=not assessment.is_finished and selectors.may_assess(request.user),
        sections=sections.for_page("assessments:assessment_detail", request, record=assessment),
    )


# ---------------------------------------------------------------- base-support provider


@kov_staff
def link_provider(request, pk):
    case = _case(request, pk)
    on = timezone.localdate()
    providers = selectors.contracted_base_providers(municipality=case.municipality, on=on)
    form = LinkForm(request.POST or None, providers=providers)
    current = case.base_provider_links.filter(valid_to__isnull=True).select_related("provider").first()
    if request.method == "POST" and form.is_valid():
        try:
            link = services.link_base_provider(
                case=case, provider=form.cleaned_data["provider"], on=form.cleaned_data["valid_from"],
                choice_explained=form.cleaned_data["choice_explained"], notes=form.cleaned_data["notes"],
                by=request.user,
            )
        except AssessmentError as error:
            _fail(form, error)
        else:
            messages.success(request, _("The person is linked to the base-support provider."))
            if current:
                messages.info(
                    request,
                    _("The link to %(provider)s ended on %(date)s; its specialists no longer see the person.")
                    % {"provider": current.provider, "date": date_format(link.valid_from - timedelta(days=1), "SHORT_DATE_FORMAT")},
                )
            return redirect("assessments:case", pk=case.pk)
    intro = _("Present the area's base-support providers to the person and choose one together.")
    if current:
        intro += " " + _(
            "The person's base-support provider is now %(provider)s (from %(date)s). The new link ends "
            "that one the day before it starts, and %(provider)s's specialists then lose access to the person."
        ) % {"provider": current.provider, "date": date_format(current.valid_from, "SHORT_DATE_FORMAT")}
    return _form_page(
        request, form, title=_("Link to a base-support provider"), case=case,
        back=("assessments:case", case.pk), intro=intro,
    )


# ---------------------------------------------------------------- plans


@specialists
def plan_start(request, pk):
    case = _case(request, pk)
    latest = selectors.latest_assessment(case)
    initial = {"kind": PlanKind.ACTION if (latest is None or latest.ready_to_cooperate) else PlanKind.SUPPORT}
    form = PlanStartForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            plan = services.start_plan(
                case=case, kind=form.cleaned_data["kind"], valid_from=form.cleaned_data["valid_from"],
                by=request.user,
            )
        except AssessmentError as error:
            _fail(form, error)
        else:
            return redirect("assessments:plan_detail", pk=plan.pk)
    return _form_page(request, form, title=_("New plan"), case=case, back=("assessments:case", case.pk))


def _plan_lines(plan):
    return [
        (line, selectors.line_monthly_cost(line))
        for line in plan.lines.select_related("component", "provider").order_by("component__code", "valid_from")
    ]


@plan_readers
def plan_detail(request, pk):
    plan = _plan(request, pk)
    goals = plan.goals.select_related("domain").prefetch_related("subgoals", "activities")
    return _page(
        request, "plan_detail.html",
        plan=plan, case=plan.case, goals=goals, lines=_plan_lines(plan),
        budget=selectors.budget_months(case=plan.case, start=plan.valid_from, months=12, plan=plan),
        price_warnings=selectors.version_price_warnings(plan=plan, until=_budget_end(plan.valid_from, 12)),
        versions=plan.case.plans.order_by("-version"),
        reviews=plan.reviews.select_related("reviewed_by").prefetch_related("progress__goal"),
        may_edit=selectors.is_base_specialist(request.user, plan.case),
        is_latest=not plan.case.plans.filter(version__gt=plan.version).exists(),
        sections=sections.for_page("assessments:plan_detail", request, record=plan),
    )


def _providers_for_lines(plan):
    """Providers with a contract with the municipality in force some time during the plan."""
    contracts = Contract.objects.filter(municipality=plan.case.municipality).in_force_between(
        plan.valid_from, plan.valid_to)
    return Provider.objects.filter(contracts__in=contracts).distinct().order_by("name")


@specialists
def plan_texts(request, pk):
    """Handbook form B: the person's resources and the obstacles, on a draft version."""
    plan = _plan(request, pk)
    form = PlanTextsForm(request.POST or None, initial={"resources": plan.resources, "obstacles": plan.obstacles})
    if request.method == "POST" and form.is_valid():
        try:
            services.set_plan_texts(plan=plan, **form.cleaned_data)
        except AssessmentError as error:
            _fail(form, error)
        else:
            return redirect("assessments:plan_detail", pk=plan.pk)
    return _form_page(
        request, form, title=_("Resources and obstacles"), case=plan.case, back=("assessments:plan_detail", plan.pk)
    )


@specialists
def goal_add(request, pk):
    plan = _plan(request, pk)
    form = GoalForm(request.POST or None, plan=plan)
    if request.method == "POST" and form.is_valid():
        try:
            services.add_goal(plan=plan, domain=form.cleaned_data["domain"], text=form.cleaned_data["text"])
        except AssessmentError as error:
            _fail(form, error)
        else:
            return redirect("assessments:plan_detail", pk=plan.pk)
    return _form_page(request, form, title=_("Add a goal"), case=plan.case, back=("assessments:plan_detail", plan.pk))


def _goal(plan, goal_pk) -> Goal:
    return get_object_or_404(Goal, plan=plan, pk=goal_pk)


@specialists
def subgoal_add(request, pk, goal_pk):
    plan = _plan(request, pk)
    goal = _goal(plan, goal_pk)
    form = SubGoalForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.add_subgoal(goal=goal, **form.cleaned_data)
        except AssessmentError as error:
            _fail(form, error)
        else:
            return redirect("assessments:plan_detail", pk=plan.pk)
    return _form_page(
        request, form, title=_("Add a measurable sub-goal"), case=plan.case,
        back=("assessments:plan_detail", plan.pk), intro=goal.text,
    )


@specialists
def activity_add(request, pk, goal_pk):
    plan = _plan(request, pk)
    goal = _goal(plan, goal_pk)
    form = ActivityForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.add_activity(goal=goal, **form.cleaned_data)
        except AssessmentError as error:
            _fail(form, error)
        else:
            return redirect("assessments:plan_detail", pk=plan.pk)
    return _form_page(
        request, form, title=_("Add an activity"), case=plan.case,
        back=("assessments:plan_detail", plan.pk), intro=goal.text,
    )


@specialists
@require_POST
def goal_delete(request, pk, goal_pk):
    plan = _plan(request, pk)
    try:
        services.remove_goal(goal=_goal(plan, goal_pk))
    except AssessmentError as error:
        messages.error(request, error.message)
    return redirect("assessments:plan_detail", pk=plan.pk)


@specialists
def line_add(request, pk):
    plan = _plan(request, pk)
    form = LineForm(request.POST or None, plan=plan, providers=_providers_for_lines(plan))
    if request.method == "POST" and form.is_valid():
        try:
            services.add_line(plan=plan, **form.cleaned_data)
        except AssessmentError as error:
            _fail(form, error)
        else:
            messages.success(request, _("The component is added to the plan."))
            return redirect("assessments:plan_detail", pk=plan.pk)
    return _form_page(
        request, form, title=_("Add a component"), case=plan.case, back=("assessments:plan_detail", plan.pk),
        intro=_("The unit price is taken from the provider's contract valid on the start date."),
    )


def _line(plan, line_pk) -> PlanLine:
    return get_object_or_404(PlanLine.objects.select_related("component", "provider"), plan=plan, pk=line_pk)


@specialists
def line_edit(request, pk, line_pk):
    plan = _plan(request, pk)
    line = _line(plan, line_pk)
    form = LineForm(request.POST or None, plan=plan, providers=Provider.objects.none(), line=line)
    if request.method == "POST" and form.is_valid():
        try:
            services.change_line(line=line, **form.cleaned_data)
        except AssessmentError as error:
            _fail(form, error)
        else:
            messages.success(request, _("The component is changed."))
            return redirect("assessments:plan_detail", pk=plan.pk)
    return _form_page(
        request, form, title=_("Change a component"), case=plan.case, back=("assessments:plan_detail", plan.pk),
        intro=f"{line.component} · {line.provider}",
    )


@specialists
@require_POST
def line_delete(request, pk, line_pk):
    plan = _plan(request, pk)
    try:
        services.remove_line(line=_line(plan, line_pk))
    except AssessmentError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("The component is removed from the plan."))
    return redirect("assessments:plan_detail", pk=plan.pk)


@specialists
def plan_agree(request, pk):
    plan = _plan(request, pk)
    form = AgreeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.agree_plan(plan=plan, agreed_on=form.cleaned_data["agreed_on"])
        except AssessmentError as error:
            _fail(form, error)
        else:
            messages.success(request, _("The plan is agreed with the person."))
            return redirect("assessments:plan_detail", pk=plan.pk)
    return _form_page(
        request, form, title=_("Agree the plan with the person"), case=plan.case,
        back=("assessments:plan_detail", plan.pk), submit=_("Agree the plan"),
        intro=_("After agreement the version no longer changes; a change is made as a new version from a date."),
    )


@specialists
def plan_new_version(request, pk):
    plan = _plan(request, pk)
    form = NewVersionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            new = services.new_version(
                plan=plan, valid_from=form.cleaned_data["valid_from"], reason=form.cleaned_data["reason"],
                by=request.user,
            )
        except AssessmentError as error:
            _fail(form, error)
        else:
            messages.success(request, _("A new version is made; change it and agree it with the person."))
            if new.lines_left_out:
                messages.warning(request, _(
                    "These components have no valid contract price on %(date)s and were left out of the new "
                    "version: %(lines)s. Add them again from a provider with a contract in force."
                ) % {
                    "date": date_format(new.valid_from, "SHORT_DATE_FORMAT"),
                    "lines": ", ".join(f"{line.component.code} ({line.provider})" for line in new.lines_left_out),
                })
            return redirect("assessments:plan_detail", pk=new.pk)
    return _form_page(
        request, form, title=_("Change the plan from a date"), case=plan.case,
        back=("assessments:plan_detail", plan.pk), submit=_("Make a new version"),
    )


@specialists
@require_POST
def plan_discard(request, pk):
    plan = _plan(request, pk)
    case = plan.case
    try:
        services.discard_draft(plan=plan)
    except AssessmentError as error:
        messages.error(request, error.message)
        return redirect("assessments:plan_detail", pk=plan.pk)
    messages.success(request, _("The draft is deleted."))
    return redirect("assessments:case", pk=case.pk)


@specialists
def review_add(request, pk):
    plan = _plan(request, pk)
    form = ReviewForm(request.POST or None, plan=plan, initial={"period_start": plan.valid_from})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.add_review(
                plan=plan, kind=data["kind"], period_start=data["period_start"], period_end=data["period_end"],
                overall=data["overall"], recommendations=data["recommendations"],
                reviewed_on=data["reviewed_on"], progress=form.progress(), by=request.user,
            )
        except AssessmentError as error:
            _fail(form, error)
        else:
            messages.success(request, _("The review is saved; the yearly reassessment is due a year from now."))
            return redirect("assessments:plan_detail", pk=plan.pk)
    return _page(request, "review_form.html", form=form, plan=plan, case=plan.case)


# ---------------------------------------------------------------- quality of life


@plan_readers
def survey_add(request, pk):
    case = _case(request, pk)
    instrument = selectors.qol_instrument()
    if instrument is None:
        messages.error(request, _("No version of the quality-of-life questionnaire is published yet."))
        return redirect("assessments:case", pk=case.pk)
    # A start page's task names the occasion and the respondent (?occasion=entry&respondent=person).
    initial = {key: request.GET[key] for key in ("occasion", "respondent") if key in request.GET}
    form = SurveyForm(request.POST or None, instrument=instrument, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            survey = services.record_survey(
                case=case, occasion=data["occasion"], respondent=data["respondent"],
                answered_on=data["answered_on"], answers=form.answers(), notes=data["notes"], by=request.user,
            )
        except AssessmentError as error:
            _fail(form, error)
        else:
            messages.success(request, _("The survey is saved."))
            return redirect("assessments:survey_detail", pk=survey.pk)
    return _page(request, "survey_form.html", form=form, case=case, instrument=instrument)


@plan_readers
def survey_detail(request, pk):
    survey = selectors.survey_for(request.user, pk)
    case = _logged(request, survey.case)
    before, rows = selectors.survey_rows(survey)
    return _page(request, "survey_detail.html", survey=survey, case=case, before=before, rows=rows)


# ---------------------------------------------------------------- provider specialists


@specialists
def my_persons(request):
    search = request.GET.get("q", "")
    base = search_cases(selectors.base_cases_for(request.user), search).order_by("person__last_name")
    additional = search_cases(selectors.additional_cases_for(request.user), search).exclude(
        pk__in=base.values("pk")
    ).order_by("person__last_name")
    page = Paginator(base, PAGE_SIZE).get_page(request.GET.get("page"))
    additional_page = Paginator(additional, PAGE_SIZE).get_page(request.GET.get("apage"))
    log_cases(request=request, cases=[*page, *additional_page])
    # Each list keeps the other's page and the search when it turns its own page.
    return _page(
        request, "my_persons.html", page=page, additional=additional_page, search=search,
        base_query=urlencode({"q": search, "apage": additional_page.number}),
        additional_query=urlencode({"q": search, "page": page.number}),
    )


@specialists
def provider_person(request, pk):
    """What an additional-support provider sees: the name and code and its own plan lines."""
    case = selectors.additional_case_for(request.user, pk)
    _logged(request, case)
    lines = selectors.lines_of_provider(case=case, provider_id=request.user.provider_id)
    return _page(request, "provider_person.html", case=case, person=case.person, lines=lines)

