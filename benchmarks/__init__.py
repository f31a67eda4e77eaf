"""Benchmarks: ``make bench`` runs every ``benchmarks/bench_*.py`` and writes docs/benchmarks.md.

Each benchmark module defines ``TITLE`` and ``run() -> dict`` and is run in a
process of its own (so peak memory is its own) against a database ``tugi_bench``
on the same PostgreSQL as the app. ``run`` returns a dict with a ``rows`` list of
(measure, value) pairs and an optional ``notes`` text, which go into the report."""
