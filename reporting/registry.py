"""Report kinds: each generated file type registers itself here.

A kind is a generator function decorated with :func:`report_kind`::

    @report_kind("cost_report", label=_("Monthly cost report"), extension="xlsx",
                 roles=frozenset({Role.COORDINATOR, Role.SKA}), scope="municipality_month")
    def generate(job, *, out, progress) -> str:
        progress(10, _("Reading the month"))
        ...write the file's bytes to ``out``...
        return "kulu-2026-10.xlsx"   # the download's file name

Kinds live in ``reporting/kinds/*.py``; ``ReportingConfig.ready()`` imports them.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Literal

from django.utils.functional import Promise

Scope = Literal["municipality_month", "month", "subject", "global"]
#: ``progress(percent, message)``, handed to every generator.
ProgressCallback = Callable[[int, str], None]
#: ``generate(job, *, out: BinaryIO, progress: ProgressCallback) -> file name``.
Generator = Callable[..., str]

CONTENT_TYPES = {
    "pdf": "application/pdf",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "csv": "text/csv; charset=utf-8",
    "zip": "application/zip",
}


@dataclass(frozen=True)
class ReportKind:
    code: str
    label: str | Promise
    extension: str
    roles: frozenset
    scope: Scope
    generate: Generator
    #: For ``scope="subject"``: the subject's model as ``"app_label.ModelName"``.
    subject_model: str = ""
    #: Does the file hold personal data? Each download of such a file that is not about one
    #: record (a month's list of people) is access-logged: one row per person it lists
    #: (``listed_people``), else one row about the job itself.
    personal_data: bool = True
    #: ``listed_people(job) -> QuerySet[Person]``: whom a file of this kind lists, read with
    #: the same selector the generator uses.
    listed_people: Callable | None = None

    @property
    def content_type(self) -> str:
        return CONTENT_TYPES[self.extension]


_KINDS: dict[str, ReportKind] = {}


def report_kind(
    code: str,
    *,
    label: str | Promise,
    extension: str,
    roles: frozenset,
    scope: Scope,
    subject_model: str = "",
    personal_data: bool = True,
    listed_people: Callable | None = None,
) -> Callable[[Generator], Generator]:
    """Register the decorated ``generate(job, *, out: BinaryIO, progress) -> filename``.

    Every kind is taken to hold personal data (its downloads are logged) unless it says
    ``personal_data=False``: only aggregates, no person in it."""
    if extension not in CONTENT_TYPES:
        raise ValueError(f"Unknown report extension {extension!r}")
    if scope not in ("municipality_month", "month", "subject", "global"):
        raise ValueError(f"Unknown report scope {scope!r}")

    def decorator(generate: Generator) -> Generator:
        if code in _KINDS and _KINDS[code].generate is not generate:
            raise ValueError(f"Report kind {code!r} is registered twice")
        _KINDS[code] = ReportKind(
            code,
            label,
            extension,
            frozenset(roles),
            scope,
            generate,
            subject_model,
            personal_data,
            listed_people,
        )
        return generate

    return decorator


def unregister(code: str) -> None:
    """Remove a kind (tests register throw-away kinds)."""
    _KINDS.pop(code, None)


def get_kind(code: str) -> ReportKind:
    """The registered kind ``code``; KeyError when there is none."""
    return _KINDS[code]


def all_kinds() -> list[ReportKind]:
    return sorted(_KINDS.values(), key=lambda kind: kind.code)


def kinds_for_role(role: str) -> list[ReportKind]:
    return [kind for kind in all_kinds() if role in kind.roles]


def kind_choices() -> list[tuple[str, str | Promise]]:
    """Choices of ``ReportJob.kind`` (a callable, so new kinds need no migration)."""
    return [(kind.code, kind.label) for kind in all_kinds()]
