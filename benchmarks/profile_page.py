"""Where a page's server time goes: one page through Django's test client, its SQL timed apart,
then the same request under cProfile. A tool for finding per-request overhead, not a benchmark
(nothing here is written to docs/benchmarks.md).

    python -m benchmarks.profile_page koord_<code> /billing/month-end/?month=2026-10 [--database tugi_national]
        [--runs 5] [--top 40] [--sort cumulative|tottime]

The data is what ``python -m benchmarks.national --scale 0.1`` built into ``tugi_national``."""

from __future__ import annotations

import argparse
import cProfile
import pstats
import statistics


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("username")
    parser.add_argument("url")
    parser.add_argument("--database", default="tugi_national")
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--top", type=int, default=40)
    parser.add_argument("--sort", default="cumulative")
    parser.add_argument("--queries", action="store_true", help="print each query with its time")
    args = parser.parse_args()

    from benchmarks.harness import setup_django, timed_request

    setup_django(fresh=False, database=args.database)
    from django.test import Client

    from accounts.models import User

    client = Client(HTTP_HOST="localhost")
    client.force_login(User.objects.get(username=args.username))
    assert client.get(args.url).status_code == 200  # warm-up
    server, sql, queries = [], [], []
    for _ in range(args.runs):
        seconds, queries, response = timed_request(client, args.url)
        server.append(seconds)
        sql.append(sum(s for s, _ in queries))
    s, q = statistics.median(server) * 1000, statistics.median(sql) * 1000
    print(f"{args.url}: server {s:.1f} ms, SQL {q:.1f} ms, {len(queries)} queries, "
          f"{len(response.content) / 1000:.0f} kB, ratio {s / q if q else float('inf'):.2f}×, "
          f"outside SQL {s - q:.1f} ms")
    if args.queries:
        for elapsed, query in sorted(queries, key=lambda x: -x[0]):
            print(f"  {elapsed * 1000:7.2f} ms  {query[:220]}")
    profile = cProfile.Profile()
    profile.enable()
    for _ in range(args.runs):
        client.get(args.url)
    profile.disable()
    pstats.Stats(profile).sort_stats(args.sort).print_stats(args.top)


if __name__ == "__main__":
    main()
