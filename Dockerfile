# Production image: gunicorn serves the web app, the same image runs the Celery worker and beat.
FROM python:3.11-slim-bookworm

ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 PIP_NO_CACHE_DIR=1
RUN apt-get update \
 && apt-get install -y --no-install-recommends gettext fontconfig fonts-dejavu-core \
      libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 \
 && rm -rf /var/lib/apt/lists/*

WORKDIR /app
COPY pyproject.toml constraints.txt README.md ./
RUN pip install -c constraints.txt . && useradd --system --home /app tugi
COPY . .
RUN DJANGO_SECRET_KEY=build DATABASE_URL=postgres://build@localhost/build \
      python manage.py collectstatic --no-input -v 0 \
 && DJANGO_SECRET_KEY=build DATABASE_URL=postgres://build@localhost/build \
      python manage.py compilemessages --ignore 'var/*' -v 0 \
 && mkdir -p /app/var/media && chown -R tugi /app/var
USER tugi
EXPOSE 8000
CMD ["gunicorn", "config.wsgi:application", "--bind", "0.0.0.0:8000", "-c", "config/gunicorn.py"]
