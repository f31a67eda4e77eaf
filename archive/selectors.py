"""Which signed documents a user may see, already scoped (accounts.permissions)."""

from __future__ import annotations

from django.db.models import QuerySet

from accounts.models import Role
from accounts.permissions import CASE_ROLES, get_visible_or_404, has_role, scope
from billing.selectors import cases_for_attendance

from .models import Attachment, AttachmentKind


def attachments_for(user) -> QuerySet[Attachment]:
    """KOV staff: every document of their municipality's case files. Provider specialists:
    the attendance sheets their provider uploaded. Nobody else (SKA reads the bundles)."""
    qs = Attachment.objects.select_related("case__person", "case__municipality", "uploaded_by")
    if has_role(user, Role.PROVIDER):
        return qs.filter(
            provider_id=user.provider_id,
            kind=AttachmentKind.ATTENDANCE_SHEET,
            case__in=cases_for_attendance(user),
        )
    return scope(qs, user, field="case__municipality", roles=CASE_ROLES)


def attachment_for(user, pk) -> Attachment:
    """One document the user may see, or 404."""
    return get_visible_or_404(attachments_for(user), pk=pk)


def may_change(user, attachment: Attachment) -> bool:
    """KOV staff replace and remove their case files' documents; a provider specialist only
    the attendance sheets of their own provider."""
    if has_role(user, *CASE_ROLES):
        return True
    return has_role(user, Role.PROVIDER) and attachment.provider_id == user.provider_id


def of_case(case) -> QuerySet[Attachment]:
    return case.attachments.select_related("uploaded_by", "provider").order_by(
        "kind", "-document_date", "-pk"
    )


def signed_copies(cases, kinds) -> dict[int, list[Attachment]]:
    """The newest signed document of each kind for each case: {case_id: [attachments]}."""
    found: dict[int, list[Attachment]] = {}
    seen = set()
    rows = Attachment.objects.filter(case__in=cases, kind__in=kinds).order_by(
        "case_id", "kind", "-document_date", "-pk"
    )
    for attachment in rows:
        key = (attachment.case_id, attachment.kind)
        if key in seen:
            continue
        seen.add(key)
        found.setdefault(attachment.case_id, []).append(attachment)
    return found
