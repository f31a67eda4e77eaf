"""Factories of the reporting app."""

from datetime import date

import factory

from reporting import services
from reporting.models import ReportJob
from tests.factories import MunicipalityFactory


class ReportJobFactory(factory.django.DjangoModelFactory):
    """A queued job for a municipality's month (the access-log kind needs nothing else)."""

    class Meta:
        model = ReportJob

    kind = "access_log"
    municipality = factory.SubFactory(MunicipalityFactory)
    month = date(2026, 10, 1)
    status = ReportJob.Status.QUEUED


def done_job(**kwargs) -> ReportJob:
    """A job generated for real (through the service the task calls), with its file."""
    job = ReportJobFactory(**kwargs)
    return services.run_job(job_id=job.pk)
