from django.db import connection


def test_the_suite_runs_on_postgresql(db):
    assert connection.vendor == "postgresql"
    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version_num")
        assert int(cursor.fetchone()[0]) >= 150000


def test_btree_gist_and_pg_trgm_are_installed_by_migration(db):
    with connection.cursor() as cursor:
        cursor.execute("SELECT extname FROM pg_extension")
        extensions = {row[0] for row in cursor.fetchall()}
    assert {"btree_gist", "pg_trgm"} <= extensions
    with connection.cursor() as cursor:
        cursor.execute("SELECT similarity('Mänd', 'Mänd Maarika')")
        assert cursor.fetchone()[0] > 0
