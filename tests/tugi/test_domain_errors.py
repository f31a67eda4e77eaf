"""Every app's refusal is a DomainError: one type to catch, ``message`` always set."""

import pytest

from archive.services import ArchiveError
from assessments.services import AssessmentError
from billing.services import BillingError
from cases.services import CaseError
from providers.services import ProviderError
from reporting.services import ReportingError
from tugi.errors import DomainError


@pytest.mark.parametrize(
    "error",
    [
        CaseError("Juhtum on suletud.", field="state"),
        AssessmentError("Hindamine puudub."),
        ProviderError("Hinnad kattuvad.", errors={"valid_from": ["Hinnad kattuvad."]}),
        BillingError(["Kuu on suletud.", "Hinda pole."], rows=[(1, ["viga"])]),
        ReportingError("Sellist aruannet ei ole."),
        ArchiveError("Seda failitüüpi ei võeta vastu.", field="file"),
    ],
    ids=lambda e: type(e).__name__,
)
def test_each_apps_error_is_a_domain_error_with_its_message(error):
    assert isinstance(error, DomainError)
    assert error.message and str(error.message) in str(error)


def test_a_billing_error_joins_its_messages_and_keeps_them_apart_too():
    error = BillingError(["Kuu on suletud.", "Hinda pole."])
    assert error.message == "Kuu on suletud. Hinda pole."
    assert error.messages == ["Kuu on suletud.", "Hinda pole."]
