"""Gunicorn's settings: one home for production (Dockerfile, docker-compose.yml) and the load
test (benchmarks/bench_load.py). ``gunicorn -c config/gunicorn.py config.wsgi:application``.

A page costs a worker tens of milliseconds of CPU and a few milliseconds waiting for
PostgreSQL, so the server is CPU-bound: gunicorn's rule of thumb, two processes per core and
one more, keeps the cores busy while some workers wait for the database. Threads do not add
CPU (Python runs one thread of a process at a time); under the load test on the shared 2-core
machine, 3 processes × 4 threads (``gthread``) served no more requests than 4 single-threaded
workers and let a short page wait behind a long one in the same process, so the workers are
single-threaded (``sync``). The application is loaded once before the fork (``preload_app``):
the workers share its memory and start at once. Each worker keeps one database connection
(``CONN_MAX_AGE``), so the connections are at most the workers.

GUNICORN_WORKERS, GUNICORN_THREADS (more than 1: ``gthread`` workers), GUNICORN_BIND and
GUNICORN_ACCESS_LOG override the defaults."""

import multiprocessing
import os

bind = os.environ.get("GUNICORN_BIND", "0.0.0.0:8000")
workers = int(os.environ.get("GUNICORN_WORKERS", 2 * multiprocessing.cpu_count() + 1))
threads = int(os.environ.get("GUNICORN_THREADS", "1"))
worker_class = "gthread" if threads > 1 else "sync"
preload_app = True
timeout = 60
graceful_timeout = 30
# A worker is replaced after this many requests (with jitter, so they do not all restart at
# once): a slow leak in a library cannot grow without bound.
max_requests = 5000
max_requests_jitter = 500
accesslog = os.environ.get("GUNICORN_ACCESS_LOG", "-") or None  # empty: no access log
