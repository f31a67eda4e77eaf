"""Pages of the archive: a case file's signed documents, their downloads, and the provider
specialist's attendance sheets (print for signature, upload the signed copy)."""

from __future__ import annotations

from django.contrib import messages
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.models import KOV_ROLES, AccessLog, Role
from accounts.permissions import role_required
from accounts.services import log_access, log_cases
from billing.selectors import cases_for_attendance, deliveries_for
from cases.selectors import case_for
from tugi.documents import render_pdf
from tugi.workdays import month_end

from . import selectors, services
from .forms import AttachmentForm, AttendanceSheetForm, ReplaceForm
from .models import Attachment, AttachmentKind
from .services import ArchiveError

staff_only = role_required(*KOV_ROLES)
readers = role_required(*KOV_ROLES, Role.PROVIDER)


def _case(request, pk):
    case = case_for(request.user, pk)
    log_access(request=request, subject=case.person, municipality=case.municipality)
    return case


def _fail(form, error: ArchiveError) -> None:
    form.add_error(error.field if error.field in form.fields else None, error.message)


def _history(case) -> list:
    return list(
        Attachment.history.filter(case_id=case.pk)
        .select_related("history_user")
        .order_by("-history_date", "-history_id")
    )


@staff_only
def case_documents(request, pk):
    """The case file's signed documents: the list, the upload form and their history."""
    case = _case(request, pk)
    form = AttachmentForm(
        request.POST or None,
        request.FILES or None,
        initial={"document_date": timezone.localdate()},
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.add_attachment(
                case=case,
                kind=data["kind"],
                document_date=data["document_date"],
                month=data["month"],
                upload=data["file"],
                by=request.user,
            )
        except ArchiveError as error:
            _fail(form, error)
        else:
            messages.success(request, _("The document is kept in the case file."))
            return redirect("archive:case_documents", pk=case.pk)
    return render(
        request,
        "archive/case_documents.html",
        {
            "case": case,
            "person": case.person,
            "attachments": selectors.of_case(case),
            "form": form,
            "history": _history(case),
            "max_size": services.max_upload_bytes(),
        },
        status=400 if form.errors else 200,
    )


@readers
def download(request, pk):
    """The file itself, after the permission check; every download is access-logged."""
    attachment = selectors.attachment_for(request.user, pk)
    try:
        handle = attachment.file.open("rb")
    except FileNotFoundError as exc:
        raise Http404 from exc
    case = attachment.case
    log_access(
        request=request,
        subject=attachment,
        municipality=case.municipality,
        action=AccessLog.Action.DOWNLOAD,
        person=case.person,
    )
    extension = attachment.file.name.rsplit(".", 1)[-1]
    return FileResponse(
        handle,
        as_attachment=True,
        filename=f"{case.number}-{attachment.kind}-{attachment.document_date:%Y-%m-%d}.{extension}",
        content_type=attachment.content_type,
    )


def _back(request, attachment):
    if request.user.role == Role.PROVIDER:
        return redirect("archive:attendance")
    return redirect("archive:case_documents", pk=attachment.case_id)


@readers
def replace(request, pk):
    attachment = selectors.attachment_for(request.user, pk)
    if not selectors.may_change(request.user, attachment):
        raise Http404
    form = ReplaceForm(
        request.POST or None,
        request.FILES or None,
        initial={"document_date": attachment.document_date},
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.replace_attachment(
                attachment=attachment,
                upload=form.cleaned_data["file"],
                document_date=form.cleaned_data["document_date"],
                by=request.user,
            )
        except ArchiveError as error:
            _fail(form, error)
        else:
            messages.success(request, _("The document is replaced."))
            return _back(request, attachment)
    return render(
        request,
        "archive/replace.html",
        {"attachment": attachment, "case": attachment.case, "form": form},
        status=400 if form.errors else 200,
    )


@require_POST
@readers
def remove(request, pk):
    attachment = selectors.attachment_for(request.user, pk)
    if not selectors.may_change(request.user, attachment):
        raise Http404
    services.remove_attachment(attachment=attachment, by=request.user)
    messages.success(request, _("The document is removed from the case file."))
    return _back(request, attachment)


# --- Attendance sheets (osalemise leht)


def _sheet_form(request, data=None, files=None, **kwargs):
    return AttendanceSheetForm(
        data,
        files,
        cases=cases_for_attendance(request.user).order_by("person__last_name"),
        **kwargs,
    )


@role_required(Role.PROVIDER)
def attendance(request):
    """A provider specialist prints a person's attendance sheet of a month for signature and
    uploads the signed copy."""
    upload_form = _sheet_form(request, request.POST or None, request.FILES or None)
    if request.method == "POST" and upload_form.is_valid():
        data = upload_form.cleaned_data
        if not data["file"]:
            upload_form.add_error("file", _("Choose the signed copy to upload."))
        else:
            try:
                services.add_attachment(
                    case=data["case"],
                    kind=AttachmentKind.ATTENDANCE_SHEET,
                    document_date=data["document_date"] or timezone.localdate(),
                    month=data["month"],
                    provider=request.user.provider,
                    upload=data["file"],
                    by=request.user,
                )
            except ArchiveError as error:
                _fail(upload_form, error)
            else:
                messages.success(request, _("The signed attendance sheet is uploaded."))
                return redirect("archive:attendance")
    sheets = list(
        selectors.attachments_for(request.user).order_by("-month", "case__person__last_name")[:50]
    )
    # Both forms on one page: the print form's fields get ids of their own.
    print_form = _sheet_form(request, auto_id="print_%s")
    # The person pickers and the list show names: each person shown is logged.
    log_cases(request=request, cases=[*print_form.fields["case"].queryset, *(a.case for a in sheets)])
    return render(
        request,
        "archive/attendance.html",
        {
            "print_form": print_form,
            "upload_form": upload_form,
            "sheets": sheets,
        },
        status=400 if upload_form.errors else 200,
    )


@readers
def attendance_sheet(request):
    """One person's attendance sheet of one month as PDF, with the signature lines."""
    form = _sheet_form(request, request.GET or None)
    if not form.is_valid():
        raise Http404
    case, month = form.cleaned_data["case"], form.cleaned_data["month"]
    rows = list(
        deliveries_for(request.user)
        .filter(case=case, date__gte=month, date__lte=month_end(month))
        .order_by("date", "start_time", "pk")
    )
    specialists = sorted({(d.specialist.name, d.provider.name) for d in rows})
    with translation.override("et"):
        sheet = {
            "case": case,
            "rows": rows,
            "minutes": sum(d.minutes for d in rows),
            "signatures": [{"role": _("Person or representative"), "name": str(case.person)}]
            + [
                {"role": _("Specialist (%(provider)s)") % {"provider": provider}, "name": name}
                for name, provider in specialists
            ],
        }
        pdf = render_pdf(
            "documents/attendance_sheets.html",
            {
                "title": _("Attendance sheet %(month)s") % {"month": f"{month:%m.%Y}"},
                "municipality": case.municipality.name,
                "document_date": timezone.localdate(),
                "month": month,
                "sheets": [sheet],
            },
        )
    log_access(
        request=request,
        subject=case.person,
        municipality=case.municipality,
        action=AccessLog.Action.DOWNLOAD,
    )
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = (
        f'attachment; filename="osalemise-leht-{case.number}-{month:%Y-%m}.pdf"'
    )
    return response
