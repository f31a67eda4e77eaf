"""The import end to end: one verdict per rule and line, who may import for whom, re-imports,
the page and the background job, the command in Estonian."""

import time
from datetime import date

import pytest
from celery import Celery
from django.core.management import CommandError, call_command
from django.test import override_settings
from django.urls import reverse
from django.utils import translation

from billing import imports
from billing.models import BillingMonth, Delivery, ImportJob, MonthState
from billing.tasks import run_import
from cases.models import Person
from components.models import Component
from tests.billing.factories import build_world, plan_line
from tests.cases.factories import EnteredCaseFactory
from tests.workers import REDIS_URL, flush_redis, require_redis, start_worker, stop_worker

pytestmark = pytest.mark.django_db

HEADER = "isikukood;kuupaev;komponent;teenuseosutaja;minutid;vorm;spetsialist;saaja;algusaeg"
ROW = "{code};06.04.2026;L23;{reg};60;I;Pille Pakkuja;;"


@pytest.fixture
def world(kov_a):
    return build_world(kov_a)


def csv_of(world, *lines, code=None) -> bytes:
    values = {"code": code or world.case.person.isikukood, "other": world.other_case.person.isikukood,
              "reg": world.provider.registry_code}
    return "\n".join([HEADER] + [line.format(**values) for line in lines]).encode()


def test_a_file_with_one_bad_row_per_rule_is_refused_whole_naming_exactly_those_lines_and_rules(
    world, coordinator_a, kov_b
):
    outsider = EnteredCaseFactory(municipality=kov_b)  # exists, but in another municipality
    BillingMonth.objects.create(municipality=world.kov, month=date(2026, 3, 1), state=MonthState.CLOSED)
    Component.objects.filter(code="B1").update(required_qualification="Tegevusterapeut")
    content = csv_of(
        world,
        ROW,                                                               # 2 valid
        "{code};6.4.26;L23;{reg};60;I;Pille Pakkuja;;",                    # 3
        "{code};31.04.2026;L23;{reg};60;I;Pille Pakkuja;;",                # 4
        "{code};07.04.2026;L23;{reg};60;I;Pille Pakkuja;;25:99",           # 5
        "{code};07.04.2026;L23;{reg};2147483648;I;Pille Pakkuja;;",        # 6
        "{code};07.04.2026;L23;{reg};60;I;Pille Pakkuja;Ema\x00;",         # 7
        "{code};07.04.2026;L23;{reg};60;I;Pille Pakkuja;" + "N" * 201 + ";",  # 8
        "49005170013;07.04.2026;L23;{reg};60;I;Pille Pakkuja;;",           # 9 wrong check digit
        f"{outsider.person.isikukood};07.04.2026;L23;{{reg}};60;I;Pille Pakkuja;;",  # 10
        "{code};07.04.2026;L99;{reg};60;I;Pille Pakkuja;;",                # 11
        "{code};07.04.2026;L23;99999999;60;I;Pille Pakkuja;;",             # 12
        "{code};07.04.2026;L23;{reg};60;I;Keegi Teine;;",                  # 13
        "{code};07.04.2026;L23;{reg};60;X;Pille Pakkuja;;",                # 14
        ROW,                                                               # 15 = line 2
        "{code};05.01.2026;L23;{reg};60;I;Pille Pakkuja;;",                # 16 before the entry
        "{code};08.04.2026;B2;{reg};60;I;Pille Pakkuja;;",                 # 17 not in the contract
        "{code};09.04.2026;L23;{reg};60;I;Pille Pakkuja;;10:00",           # 18 valid
        "{other};09.04.2026;L23;{reg};60;I;Pille Pakkuja;;10:30",          # 19 overlaps line 18
        "{code};16.03.2026;L23;{reg};60;I;Pille Pakkuja;;",                # 20 closed month
        "{code};10.04.2026;B1;{reg};60;I;Pille Pakkuja;;",                 # 21 B1 needs a qualification
    )
    with pytest.raises(imports.ImportRefused) as refused:
        imports.import_attendance(content=content, filename="a.csv", municipality=world.kov, by=coordinator_a)
    assert refused.value.codes == {
        3: ["date_invalid"], 4: ["date_impossible"], 5: ["time_invalid"], 6: ["minutes_invalid"],
        7: ["text_nul"], 8: ["text_too_long"], 9: ["isikukood_invalid"], 10: ["person_not_reachable"],
        11: ["component_unknown"], 12: ["provider_unknown"], 13: ["specialist_unknown"], 14: ["form_invalid"],
        15: ["duplicate_in_file"], 16: ["not_participant"], 17: ["no_price"], 19: ["overlap"], 20: ["locked"],
        21: ["not_qualified"],
    }
    reasons = dict(refused.value.lines)
    assert "line 2" in reasons[15]
    assert "03.2026" in reasons[20]
    assert not Delivery.objects.exists()


def test_a_reimport_names_every_line_already_recorded_and_adds_nothing(world, coordinator_a):
    content = csv_of(world, ROW, "{other};07.04.2026;L23;{reg};45;I;Pille Pakkuja;Ema Test;")
    assert imports.import_attendance(content=content, filename="a.csv", municipality=world.kov,
                                     by=coordinator_a).created == 2
    history = Delivery.history.all()
    assert sorted(h.history_type for h in history) == ["+", "+"]
    assert {h.history_user_id for h in history} == {coordinator_a.pk}
    again = imports.import_attendance(content=content, filename="a.csv", municipality=world.kov, by=coordinator_a)
    assert again.created == 0
    assert [line for line, _message in again.already] == [2, 3]
    assert "already been recorded" in again.already[0][1]
    assert Delivery.objects.count() == 2


def test_a_later_file_with_a_repeated_session_reports_it_and_a_start_time_records_the_second(
    world, coordinator_a
):
    imports.import_attendance(content=csv_of(world, ROW), filename="a.csv", municipality=world.kov,
                              by=coordinator_a)
    later = csv_of(world, "{code};07.04.2026;L23;{reg};30;I;Pille Pakkuja;;", ROW)
    result = imports.import_attendance(content=later, filename="b.csv", municipality=world.kov, by=coordinator_a)
    assert (result.created, [line for line, _m in result.already]) == (1, [3])
    timed = csv_of(world, "{code};06.04.2026;L23;{reg};60;I;Pille Pakkuja;;14:00")
    assert imports.import_attendance(content=timed, filename="c.csv", municipality=world.kov,
                                     by=coordinator_a).created == 1
    assert Delivery.objects.filter(date=date(2026, 4, 6)).count() == 2


def test_full_width_digits_find_the_existing_person(world, coordinator_a):
    code = world.case.person.isikukood
    wide = "".join(chr(0xFF10 + int(d)) for d in code)
    people = Person.objects.count()
    result = imports.import_attendance(content=csv_of(world, ROW, code=wide), filename="a.csv",
                                       municipality=world.kov, by=coordinator_a)
    assert result.created == 1
    assert Delivery.objects.get().case == world.case
    assert Person.objects.count() == people


def test_a_specialist_importing_a_person_their_provider_does_not_serve_gets_the_neutral_message(
    kov_a, provider_user
):
    world = build_world(kov_a, provider_user=provider_user)
    unserved = EnteredCaseFactory(municipality=kov_a)  # a participant, with no line at this provider
    nobody = "37605030299"  # a valid code nobody in the register has
    content = csv_of(
        world,
        ROW,
        f"{unserved.person.isikukood};06.04.2026;L23;{{reg}};60;I;Pille Pakkuja;;",
        f"{nobody};06.04.2026;L23;{{reg}};60;I;Pille Pakkuja;;",
    )
    with pytest.raises(imports.ImportRefused) as refused:
        imports.import_attendance(content=content, filename="a.csv", municipality=kov_a, by=provider_user)
    assert refused.value.codes == {3: ["person_not_reachable"], 4: ["person_not_reachable"]}
    reasons = dict(refused.value.lines)
    assert reasons[3].replace(unserved.person.isikukood, "X") == reasons[4].replace(nobody, "X")
    assert not Delivery.objects.exists()
    plan_line(unserved, world.provider, "L23")  # once the provider serves the person, it may
    assert imports.import_attendance(content=content.rsplit(b"\n", 1)[0], filename="a.csv", municipality=kov_a,
                                     by=provider_user).created == 2


def test_a_specialist_may_import_only_their_own_providers_sessions(kov_a, provider_user, coordinator_a):
    world = build_world(kov_a, provider_user=provider_user)
    other = build_world(kov_a)  # another provider of the same municipality
    content = csv_of(world, f"{{code}};06.04.2026;L23;{other.provider.registry_code};60;I;Pille Pakkuja;;")
    with pytest.raises(imports.ImportRefused) as refused:
        imports.import_attendance(content=content, filename="a.csv", municipality=kov_a, by=provider_user)
    assert refused.value.codes == {2: ["provider_not_own"]}
    assert not Delivery.objects.exists()


# --- The page and the background job


def test_a_small_file_is_imported_in_the_request_and_lands_on_its_month(world, coordinator_a, client):
    client.force_login(coordinator_a)
    page = client.get(reverse("billing:import"))
    assert "5 MB" in page.content.decode() and "20\xa0000" in page.content.decode()
    upload = _upload(csv_of(world, ROW))
    response = client.post(reverse("billing:import"), {"municipality": world.kov.pk, "file": upload})
    assert response.status_code == 302
    assert response.url == reverse("billing:delivery_list") + "?month=2026-04"
    assert Delivery.objects.count() == 1
    again = client.post(reverse("billing:import"), {"municipality": world.kov.pk, "file": _upload(csv_of(world, ROW))},
                        follow=True)
    with translation.override("et"):
        already = translation.ngettext(
            "%(n)s line was already recorded and was not added again (line %(lines)s). A session that "
            "really took place twice needs its start time (column algusaeg).",
            "%(n)s lines were already recorded and were not added again (lines %(lines)s). A session that "
            "really took place twice needs its start time (column algusaeg).", 1,
        ) % {"n": 1, "lines": "2"}
    assert already in again.content.decode()
    assert Delivery.objects.count() == 1
    # Nothing new, and still the file's month, not the current one.
    assert again.redirect_chain[-1][0] == reverse("billing:delivery_list") + "?month=2026-04"


def test_a_large_file_runs_as_a_job_with_progress_and_lands_on_its_month(
    world, coordinator_a, client, django_capture_on_commit_callbacks
):
    client.force_login(coordinator_a)
    lines = [f"{{code}};{day:02d}.04.2026;L23;{{reg}};30;I;Pille Pakkuja;;" for day in range(1, 30)]
    with override_settings(IMPORT_BACKGROUND_BYTES=100), django_capture_on_commit_callbacks() as callbacks:
        response = client.post(reverse("billing:import"), {"municipality": world.kov.pk,
                                                            "file": _upload(csv_of(world, *lines))})
    job = ImportJob.objects.get()
    assert response.url == reverse("billing:import_job", args=[job.pk])
    waiting = client.get(response.url)
    assert b"<progress" in waiting.content and b"hx-get" in waiting.content
    assert not Delivery.objects.exists()
    for callback in callbacks:  # the task, in-process (no broker in tests)
        callback()
    job.refresh_from_db()
    assert (job.status, job.progress, job.content) == (ImportJob.Status.DONE, 100, b"")
    assert Delivery.objects.count() == 29
    polled = client.get(reverse("billing:import_job", args=[job.pk]), headers={"HX-Request": "true"})
    assert polled["HX-Redirect"] == reverse("billing:delivery_list") + "?month=2026-04"


def test_a_refused_background_import_shows_its_lines_and_only_to_its_sender(
    world, coordinator_a, client, kov_a
):
    from tests.factories import UserFactory

    job = ImportJob.objects.create(
        municipality=world.kov, requested_by=coordinator_a, filename="a.csv", size=10, language="en",
        content=csv_of(world, "{code};31.04.2026;L23;{reg};60;I;Pille Pakkuja;;"),
    )
    assert run_import(job.pk) == ImportJob.Status.REFUSED
    assert run_import(job.pk) == ImportJob.Status.REFUSED  # run twice: left alone
    client.force_login(coordinator_a)
    page = client.get(reverse("billing:import_job", args=[job.pk])).content.decode()
    assert "31.04.2026 is not a day of the calendar" in page
    stranger = UserFactory(username="teine", role=coordinator_a.role, municipality=kov_a)
    client.force_login(stranger)
    assert client.get(reverse("billing:import_job", args=[job.pk])).status_code == 404


def _upload(content: bytes, name: str = "osalemine.csv"):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile(name, content, content_type="text/csv")


# --- The command


def test_the_command_speaks_estonian_by_default_and_english_on_request(world, coordinator_a, tmp_path, capsys):
    path = tmp_path / "a.csv"
    path.write_bytes(csv_of(world, ROW))
    call_command("import_attendance", str(path), "--user", "koord_a", "--kov", world.kov.code)
    with translation.override("et"):
        expected = translation.ngettext("%(n)s session imported.", "%(n)s sessions imported.", 1) % {"n": 1}
    assert expected != "1 session imported."
    assert expected in capsys.readouterr().out
    call_command("import_attendance", str(path), "--user", "koord_a", "--kov", world.kov.code)
    with translation.override("et"):
        already = translation.gettext("This session has already been recorded.")
    assert already in capsys.readouterr().out
    call_command("import_attendance", str(path), "--user", "koord_a", "--kov", world.kov.code, "--lang", "en")
    assert "This session has already been recorded." in capsys.readouterr().out
    path.write_bytes(csv_of(world, "{code};31.04.2026;L23;{reg};60;I;Pille Pakkuja;;"))
    with pytest.raises(CommandError) as refused:
        call_command("import_attendance", str(path), "--user", "koord_a", "--kov", world.kov.code)
    with translation.override("et"):
        heading = translation.gettext("The file was refused; nothing was imported.")
        impossible = translation.gettext("%(value)s is not a day of the calendar.") % {"value": "31.04.2026"}
    assert heading != "The file was refused; nothing was imported."
    assert heading in str(refused.value)
    assert impossible in str(refused.value)  # the catalogue's message, in Estonian


# --- A real worker


@pytest.mark.worker
@pytest.mark.django_db(transaction=True)
def test_a_real_worker_imports_a_queued_file(kov_a, coordinator_a, tmp_path):
    require_redis()
    flush_redis()
    world = build_world(kov_a)
    job = ImportJob.objects.create(
        municipality=world.kov, requested_by=coordinator_a, filename="a.csv", size=100, language="et",
        content=csv_of(world, ROW, "{other};07.04.2026;L23;{reg};45;I;Pille Pakkuja;;"),
    )
    log = tmp_path / "worker.log"
    worker = start_worker(log_path=log)
    try:
        Celery("tugi-test-client", broker=REDIS_URL, backend=REDIS_URL, set_as_current=False).send_task(run_import.name, args=[job.pk])
        deadline = time.monotonic() + 90
        while time.monotonic() < deadline and ImportJob.objects.get(pk=job.pk).is_active:
            time.sleep(0.2)
    finally:
        stop_worker(worker)
    job.refresh_from_db()
    assert job.status == ImportJob.Status.DONE, (job.result, log.read_text(errors="replace")[-2000:])
    assert job.result["created"] == 2 and job.result["months"] == ["2026-04-01"]
    assert Delivery.objects.filter(source=Delivery.Source.IMPORT).count() == 2


def test_the_already_recorded_count_takes_the_estonian_partitive():
    with translation.override("et"):
        message = translation.ngettext(
            "%(n)s line was already recorded and was not added again (line %(lines)s). A session that "
            "really took place twice needs its start time (column algusaeg).",
            "%(n)s lines were already recorded and were not added again (lines %(lines)s). A session that "
            "really took place twice needs its start time (column algusaeg).", 3,
        ) % {"n": 3, "lines": "2, 5, 9"}
    assert message.startswith("3 rida oli juba salvestatud ja neid uuesti ei lisatud (read 2, 5, 9).")


def test_an_import_adding_hours_to_an_accepted_beyond_plan_month_reopens_its_warning(world, coordinator_a):
    from billing import services
    from billing.models import Status

    # 10 h a month planned: 11 × 60 min goes past it on the 11th session.
    drafts = [world.draft(date=date(2026, 4, day)) for day in range(1, 12)]
    recorded = services.record_deliveries(drafts=drafts, by=coordinator_a)
    warned = [d for d in recorded if d.status == Status.WARNING]
    assert len(warned) == 1
    services.accept_warning(delivery=warned[0], reason="Kriisiperiood", by=coordinator_a)
    imports.import_attendance(content=csv_of(world, "{code};20.04.2026;L23;{reg};60;I;Pille Pakkuja;;"),
                              filename="a.csv", municipality=world.kov, by=coordinator_a)
    warned[0].refresh_from_db()
    assert warned[0].status == Status.WARNING
    assert "12,00" in warned[0].problems[0]["message"]


def test_a_specialist_reaches_a_person_only_in_the_months_their_provider_serves_them(kov_a, provider_user):
    world = build_world(kov_a, provider_user=provider_user)
    later = EnteredCaseFactory(municipality=kov_a)
    plan_line(later, world.provider, "L23", start=date(2026, 5, 1))  # served from May
    code = later.person.isikukood
    both = csv_of(world, f"{code};06.04.2026;L23;{{reg}};60;I;Pille Pakkuja;;",
                  f"{code};06.05.2026;L23;{{reg}};60;I;Pille Pakkuja;;")
    with pytest.raises(imports.ImportRefused) as refused:
        imports.import_attendance(content=both, filename="a.csv", municipality=kov_a, by=provider_user)
    assert refused.value.codes == {2: ["person_not_reachable"]}
    may = csv_of(world, f"{code};06.05.2026;L23;{{reg}};60;I;Pille Pakkuja;;")
    assert imports.import_attendance(content=may, filename="a.csv", municipality=kov_a,
                                     by=provider_user).created == 1


def test_the_command_imports_as_its_user_only_for_persons_they_reach(kov_a, provider_user_2, tmp_path):
    """A specialist of another provider (under contract with the same KOV) names a person their
    provider does not serve: the neutral message, nothing written; the same as the page."""
    world = build_world(kov_a)
    path = tmp_path / "a.csv"
    path.write_bytes(csv_of(world, "{code};06.04.2026;L23;" + provider_user_2.provider.registry_code
                            + ";60;I;Tiit Teine;;"))
    with translation.override("et"):
        neutral = translation.gettext("You cannot record deliveries for the person with the code %(value)s.") % {
            "value": world.case.person.isikukood}
    with pytest.raises(CommandError) as refused:
        call_command("import_attendance", str(path), "--user", "spets_2", "--kov", kov_a.code)
    assert neutral in str(refused.value)
    assert not Delivery.objects.exists()
    # A code that exists nowhere gets word for word the same message (nothing to tell apart).
    path.write_bytes(csv_of(world, "{code};06.04.2026;L23;" + provider_user_2.provider.registry_code
                            + ";60;I;Tiit Teine;;", code="37605030299"))
    with pytest.raises(CommandError) as unknown:
        call_command("import_attendance", str(path), "--user", "spets_2", "--kov", kov_a.code)
    assert str(unknown.value).replace("37605030299", world.case.person.isikukood) == str(refused.value)
    assert not Delivery.objects.exists()


@pytest.mark.parametrize("args", [
    [],  # no user at all: argparse refuses
    ["--user", "nobody"],  # no such user
    ["--user", "kj_a"],  # a case manager does not import
    ["--user", "koord_b", "--kov", "9101"],  # a coordinator of another KOV
    ["--user", "spets_b", "--kov", "9101"],  # a provider with no contract with the KOV
])
def test_the_command_refuses_a_user_who_may_not_import_for_the_municipality(
    world, case_manager_a, coordinator_b, provider_user_b, tmp_path, args
):
    path = tmp_path / "a.csv"
    path.write_bytes(csv_of(world, ROW))
    with pytest.raises(CommandError):
        call_command("import_attendance", str(path), *args)
    assert not Delivery.objects.exists()
