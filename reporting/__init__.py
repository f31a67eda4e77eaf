"""Generated reports and documents (XLSX, PDF) as Celery jobs, schedules and SKA downloads."""
