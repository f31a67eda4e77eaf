"""Sections that one app adds to another app's page, with the data the page's view gathers.

A page belongs to one app, but other apps show their part of it: the case file shows the
assessments app's plan and the billing app's budget; the month pages show the reporting app's
documents. The app that owns a section registers it from its own ``navigation.py`` (found at
start-up by :func:`tugi.navigation.autodiscover`), so the page's app imports none of them::

    from tugi import sections

    sections.add("cases:case_detail", "plan", template="assessments/_case_section.html",
                 context=lambda request, case: {"ps": selectors.plan_summary(case)}, order=10)

The page's view asks for its sections, which calls each section's ``context`` (the section's
app's selectors run there, in the view, never in a template tag)::

    context["sections"] = sections.for_page("cases:case_detail", request, case=case)

and its template includes them where each ``slot`` goes::

    {% for s in sections.summary %}{% include s.template with section=s.data %}{% endfor %}

A ``context`` that returns ``None`` leaves its section out of the page (nothing to show).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class Section:
    page: str
    name: str
    template: str
    context: Callable
    slot: str = "main"
    order: int = 100


@dataclass(frozen=True)
class Shown:
    """A section on one page view: its template and the data its context gathered."""

    name: str
    template: str
    data: dict


_sections: dict[str, dict[str, Section]] = {}


def add(
    page: str, name: str, *, template: str, context: Callable, slot: str = "main", order: int = 100
) -> Section:
    """Show ``template`` on ``page`` (the page's URL name) at ``slot``, with the data
    ``context(request, **objects)`` returns (``objects`` are what the page's view passes:
    the case file passes ``case``). Sections of one slot run by ``order``."""
    section = Section(page, name, template, context, slot, order)
    _sections.setdefault(page, {})[name] = section
    return section


def for_page(page: str, request, **objects) -> dict[str, list[Shown]]:
    """Every section registered for ``page``, by slot, each with its data gathered now."""
    shown: dict[str, list[Shown]] = {}
    for section in sorted(_sections.get(page, {}).values(), key=lambda s: s.order):
        data = section.context(request, **objects)
        if data is None:
            continue
        shown.setdefault(section.slot, []).append(Shown(section.name, section.template, data))
    return shown


def registered(page: str) -> list[Section]:
    return sorted(_sections.get(page, {}).values(), key=lambda s: s.order)
