"""Factories of the cases app."""

from datetime import UTC, date, datetime

import factory

from cases.isikukood import make_isikukood
from cases.models import Case, CaseState, Decision, NetworkMeeting, NetworkMember, Noticing, Person
from tests.factories import MunicipalityFactory, UserFactory


class PersonFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Person

    birth_date = date(1990, 5, 17)
    isikukood = factory.Sequence(lambda n: make_isikukood(date(1990, 5, 17), "F", n))
    sex = "F"
    first_name = "Mari"
    last_name = factory.Sequence(lambda n: f"Test{n}")


class CaseFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Case

    municipality = factory.SubFactory(MunicipalityFactory)
    person = factory.SubFactory(PersonFactory)
    case_manager = factory.LazyAttribute(lambda c: UserFactory(municipality=c.municipality))
    number = factory.Sequence(lambda n: f"T-{n:05d}")
    state = CaseState.NOTICED
    noticed_on = date(2026, 1, 5)


class EnteredCaseFactory(CaseFactory):
    state = CaseState.ENTERED
    entry_date = date(2026, 1, 10)


class NoticingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Noticing

    case = factory.SubFactory(CaseFactory)
    noticer_kind = Noticing.NoticerKind.HOSPITAL
    noticer_name = "Testhaigla"
    noticed_on = factory.LazyAttribute(lambda n: n.case.noticed_on)
    channel = Noticing.Channel.PHONE
    reason = "Vajab tuge"


class NetworkMemberFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = NetworkMember

    case = factory.SubFactory(EnteredCaseFactory)
    kind = NetworkMember.Kind.INFORMAL
    name = "Ema Test"
    relation = "ema"


class MeetingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = NetworkMeeting

    case = factory.SubFactory(EnteredCaseFactory)
    number = factory.Sequence(lambda n: n + 1)
    chair = "Anu Juhataja"
    goal = "Tegevuste kokkulepe"
    starts_at = datetime(2026, 1, 15, 10, 0, tzinfo=UTC)
    place = "Vallamaja"


class DecisionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Decision

    meeting = factory.SubFactory(MeetingFactory)
    text = "Helistada töötukassasse"
    responsible = "Juhtumikorraldaja"
    deadline = date(2026, 2, 1)
