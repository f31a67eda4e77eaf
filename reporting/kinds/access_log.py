"""A municipality's access log for one month (CSV): who viewed or downloaded whose data."""

from __future__ import annotations

import io

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.models import AccessLog, Role
from reporting.registry import report_kind
from tugi import workdays
from tugi.exports import csv_writer


def listed(job):
    """Everyone the month's access log names."""
    from cases.models import Person

    entries = AccessLog.objects.filter(
        municipality=job.municipality,
        at__date__gte=job.month,
        at__date__lte=workdays.month_end(job.month),
    )
    return Person.objects.filter(pk__in=entries.values("person_id"))


@report_kind(
    "access_log",
    label=gettext_lazy("Access log of the month"),
    extension="csv",
    roles=frozenset({Role.COORDINATOR, Role.ADMIN}),
    scope="municipality_month",
    listed_people=listed,
)
def generate(job, *, out, progress) -> str:
    progress(10, _("Reading the access log"))
    entries = (
        AccessLog.objects.filter(
            municipality=job.municipality,
            at__date__gte=job.month,
            at__date__lte=workdays.month_end(job.month),
        )
        .select_related("user")
        .order_by("at", "pk")
    )
    # Excel opens a UTF-8 CSV with a byte-order mark and semicolons the Estonian way.
    text = io.TextIOWrapper(out, encoding="utf-8-sig", newline="")
    writer = csv_writer(text)
    writer.writerow([_("Time"), _("User"), _("Role"), _("Action"), _("Whom"), _("Address")])
    for entry in entries.iterator(chunk_size=2000):
        writer.writerow(
            [
                timezone.localtime(entry.at).strftime("%d.%m.%Y %H:%M:%S"),
                str(entry.user),
                entry.get_role_display(),
                entry.get_action_display(),
                entry.subject_label,
                entry.path,
            ]
        )
    text.flush()
    text.detach()
    progress(90, _("Writing the file"))
    return f"ligipaasud-{job.municipality.code}-{job.month:%Y-%m}.csv"
