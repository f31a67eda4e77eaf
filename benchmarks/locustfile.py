"""The load test: the roles as they work in a morning at month end, against gunicorn.

Run by ``benchmarks/bench_load.py`` (``make bench-load``), which builds the national data,
starts gunicorn on 127.0.0.1 and passes the users in TUGI_LOAD_USERS (a JSON file: usernames
per role, and each case manager's case ids). By hand:

    TUGI_LOAD_USERS=var/load-users.json locust -f benchmarks/locustfile.py --host http://127.0.0.1:8000

Each simulated user logs in once (the login rush is the first seconds of a run), then works
with 1–3 s between pages. Requests are named by page kind, so each kind gets its own p95."""

from __future__ import annotations

import datetime
import itertools
import json
import os
import random
import re

from locust import HttpUser, between, task

USERS = json.loads(open(os.environ["TUGI_LOAD_USERS"]).read()) if os.environ.get("TUGI_LOAD_USERS") else {}  # noqa: SIM115
PASSWORD = USERS.get("password", "")
_next = {role: itertools.cycle(USERS.get(role) or [None]) for role in ("case_manager", "provider", "coordinator", "ska")}
CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
GRID_CELL = re.compile(r'name="(c-\d+-(\d{4}-\d\d-\d\d))"')
INVOICE = re.compile(r'href="/billing/invoices/(\d+)/"')


class Role(HttpUser):
    abstract = True
    wait_time = between(1, 3)
    role = ""

    def on_start(self) -> None:
        self.account = next(_next[self.role])
        if self.account is None:
            raise RuntimeError(f"no {self.role} in TUGI_LOAD_USERS")
        username = self.account if isinstance(self.account, str) else self.account["username"]
        page = self.client.get("/accounts/login/", name="login page")
        token = CSRF.search(page.text).group(1)
        with self.client.post(
            "/accounts/login/", {"username": username, "password": PASSWORD, "csrfmiddlewaretoken": token},
            name="login", allow_redirects=False, catch_response=True,
        ) as response:
            if response.status_code != 302:
                response.failure(f"login of {username} gave {response.status_code}")

    def post_form(self, url: str, data: dict, name: str) -> None:
        page = self.client.get(url, name=f"{name} (form)")
        data = {**data, "csrfmiddlewaretoken": CSRF.search(page.text).group(1)}
        with self.client.post(url, data, name=name, catch_response=True, allow_redirects=False) as response:
            if response.status_code >= 400:
                response.failure(f"{name}: {response.status_code}")


class CaseManager(Role):
    """Browses their persons and deadlines, opens case files, writes down what was done."""

    weight = 5
    role = "case_manager"

    @task(3)
    def start_page(self):
        self.client.get("/cases/", name="case manager: start page")

    @task(2)
    def persons(self):
        self.client.get("/cases/persons/", name="case manager: persons list")
        self.client.get("/cases/persons/?q=Tamm", name="case manager: persons search")

    @task(1)
    def deadlines(self):
        self.client.get("/cases/deadlines/?scope=kov", name="case manager: deadlines")

    @task(4)
    def case_file(self):
        case = random.choice(self.account["cases"])
        self.client.get(f"/cases/{case}/", name="case manager: case file")

    @task(1)
    def write_activity(self):
        case = random.choice(self.account["cases"])
        today = datetime.date.today().strftime("%d.%m.%Y")  # noqa: DTZ011 (the server's date is the same)
        self.post_form(
            f"/cases/{case}/activities/add/",
            {"on": today, "activity": "Telefonikõne", "responsible": "Juhtumikorraldaja", "comment": "Koormustest"},
            "case manager: add activity",
        )


class Specialist(Role):
    """Opens the week grid of their persons and saves a session."""

    weight = 3
    role = "provider"

    @task(3)
    def week(self):
        self.client.get("/billing/attendance/", name="specialist: week grid")

    @task(2)
    def save_week(self):
        page = self.client.get("/billing/attendance/", name="specialist: week grid")
        today = datetime.date.today().isoformat()  # noqa: DTZ011
        cells = [name for name, day in GRID_CELL.findall(page.text) if day <= today]
        token = CSRF.search(page.text)
        if not cells or not token:
            return
        data = {random.choice(cells): random.choice(["45", "60", "75"]), "csrfmiddlewaretoken": token.group(1)}
        with self.client.post("/billing/attendance/", data, name="specialist: save week", catch_response=True,
                              allow_redirects=False) as response:
            if response.status_code >= 400:
                response.failure(f"save week: {response.status_code}")


class Coordinator(Role):
    """Month end: the month's page (their start page), the invoices, the deliveries."""

    weight = 2
    role = "coordinator"

    @task(4)
    def month_end(self):
        self.client.get(f"/billing/month-end/?month={USERS.get('month', '')}", name="coordinator: month end")

    @task(2)
    def month_dashboard(self):
        self.client.get(f"/billing/month-end/dashboard/?month={USERS.get('month', '')}",
                        name="coordinator: month dashboard")

    @task(1)
    def invoices(self):
        page = self.client.get("/billing/invoices/", name="coordinator: invoices")
        found = INVOICE.findall(page.text)
        if found:
            self.client.get(f"/billing/invoices/{random.choice(found)}/", name="coordinator: invoice")

    @task(1)
    def deliveries(self):
        self.client.get("/billing/deliveries/", name="coordinator: deliveries")


class Ska(Role):
    """Reviews: the months of every municipality, the invoices, one invoice."""

    weight = 1
    role = "ska"

    @task(2)
    def start_page(self):
        self.client.get("/reports/", name="SKA: start page")

    @task(2)
    def months(self):
        self.client.get(f"/reports/months/?month={USERS.get('month', '')}", name="SKA: month table")

    @task(2)
    def invoices(self):
        page = self.client.get("/billing/invoices/", name="SKA: invoices")
        found = INVOICE.findall(page.text)
        if found:
            self.client.get(f"/billing/invoices/{random.choice(found)}/", name="SKA: invoice")
