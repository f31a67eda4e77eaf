"""Report tests write their files into a fresh private media directory, and may register
throw-away report kinds whose behaviour the test controls."""

from dataclasses import dataclass, field

import pytest
from django.utils.translation import gettext_lazy as _

from accounts.models import Role
from reporting import registry


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    location = tmp_path / "media"
    settings.MEDIA_ROOT = location
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": location, "base_url": None},
        },
    }
    return location


@dataclass
class Script:
    """What the test kind does on each run: raise the next queued error, else write text."""

    errors: list = field(default_factory=list)
    text: str = "Õie; Ärni; Šarlota; Žanna\n"
    runs: int = 0


@pytest.fixture
def scripted_kind():
    """A municipality-month CSV kind for coordinators and SKA whose runs the test scripts."""
    script = Script()

    @registry.report_kind(
        "test_scripted",
        label=_("Scripted test report"),
        extension="csv",
        roles=frozenset({Role.COORDINATOR, Role.SKA, Role.ADMIN}),
        scope="municipality_month",
    )
    def generate(job, *, out, progress):
        script.runs += 1
        progress(50, "pool")
        if script.errors:
            raise script.errors.pop(0)
        out.write(script.text.encode())
        return f"test-{job.month:%Y-%m}.csv"

    yield script
    registry.unregister("test_scripted")


@pytest.fixture
def subject_kind():
    """A document about one record (here a user stands in for a person), for KOV staff."""

    @registry.report_kind(
        "test_subject",
        label=_("Scripted test document"),
        extension="pdf",
        roles=frozenset({Role.CASE_MANAGER, Role.COORDINATOR}),
        scope="subject",
    )
    def generate(job, *, out, progress):
        out.write(b"%PDF-1.4 test")
        return "dokument.pdf"

    yield "test_subject"
    registry.unregister("test_subject")
