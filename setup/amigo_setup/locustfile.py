"""A day's traffic on the Amigo suite, for Locust (run by `setup/load`).

The people of the seeds, each doing what the seeds say they do, with think times:

- sales managers open their pipeline kanban, save needs whose products overlap those of
  other managers' needs (so duplicate detection runs under contention), move deals;
- the head of sales opens the tier, KPI and claims dashboards;
- the production head opens the line load pivot and drags orders between stages;
- dealers on the portal list and update their leads and file claims on their orders;
- scripts over XML-RPC import the catalog and read the line loads.

Every request is named "<role>: <action>" in the statistics. A request fails on a
transport error, an HTTP status >= 400 or a JSON-RPC/XML-RPC error in the answer.
The users, their passwords and the data come from the load database that
`setup/amigo_setup/load_data.py` prepared (logins `load_<role>_<n>`, password = login).
"""

import base64
import itertools
import json
import os
import random
import re
import threading
import xmlrpc.client
from datetime import date, timedelta

import gevent
from locust import HttpUser, between, events, task

DB = os.environ.get("AMIGO_LOAD_DB", "amigo_load")
MANAGERS = int(os.environ.get("AMIGO_LOAD_MANAGERS", "30"))
DEALERS = int(os.environ.get("AMIGO_LOAD_DEALERS", "20"))
THINK = float(os.environ.get("AMIGO_LOAD_THINK", "1.0"))  # scale of the think times
HOT_PRODUCTS = "AMIGO_LOAD_HOT_PRODUCTS"  # JSON list of product ids all managers use
CSRF = re.compile(r"""csrf_token["']?\s*(?:value=|:)\s*["']([0-9a-f]+o[0-9]+)["']""")
LOGIN_ATTEMPTS = 5
_counters = {name: itertools.count(1) for name in ("manager", "dealer", "script")}
_lock = threading.Lock()


def _next(role, size):
    with _lock:
        return (next(_counters[role]) - 1) % size + 1


def think(low, high):
    return between(low * THINK, high * THINK)


class RpcError(Exception):
    pass


class OdooUser(HttpUser):
    """A web-client user: a session from /web/session/authenticate, then call_kw."""

    abstract = True
    role = "?"
    login = None

    def on_start(self):
        """Log in and read what the tasks need; a person whose login failed (a failed
        request, counted as such) tries again a little later, as people do."""
        for _attempt in range(LOGIN_ATTEMPTS):
            try:
                return self.begin()
            except RpcError:
                gevent.sleep(5)
        raise RpcError(f"{self.role}: could not log in {LOGIN_ATTEMPTS} times")

    def begin(self):
        raise NotImplementedError

    def authenticate(self, login):
        self.login = login
        result = self.jsonrpc(
            "/web/session/authenticate",
            {"db": DB, "login": login, "password": login},
            name=f"{self.role}: log in",
        )
        self.uid = result["uid"]
        self.user_context = result.get("user_context", {})
        return result

    def jsonrpc(self, path, params, name):
        payload = {"jsonrpc": "2.0", "method": "call", "id": random.randint(1, 10**9),  # noqa: S311
                   "params": params}  # fmt: skip
        with self.client.post(path, json=payload, name=name, catch_response=True) as response:
            if response.status_code >= 400:
                response.failure(f"HTTP {response.status_code}")
                raise RpcError(f"{name}: HTTP {response.status_code}")
            try:
                body = response.json()
            except ValueError:
                response.failure("not JSON")
                raise RpcError(f"{name}: not JSON") from None
            if body.get("error"):
                data = body["error"].get("data", {})
                message = data.get("message") or body["error"].get("message")
                response.failure(f"{data.get('name', 'error')}: {message}")
                raise RpcError(f"{name}: {message}")
            return body.get("result")

    def call(self, model, method, args, kwargs=None, name=None):
        kwargs = dict(kwargs or {})
        kwargs.setdefault("context", self.user_context)
        return self.jsonrpc(
            f"/web/dataset/call_kw/{model}/{method}",
            {"model": model, "method": method, "args": args, "kwargs": kwargs},
            name=name or f"{self.role}: {model}.{method}",
        )


class SalesManager(OdooUser):
    """Seeds 002/004: the pipeline kanban, needs with overlapping products, moving deals."""

    weight = 60
    role = "manager"
    wait_time = think(5, 15)

    def begin(self):
        self.number = _next("manager", MANAGERS)
        self.authenticate(f"load_manager_{self.number}")
        self.hot = json.loads(os.environ.get(HOT_PRODUCTS) or "[]")
        if not self.hot:
            self.hot = self.call(
                "product.product", "search",
                [[("external_code", "like", "LOAD-HOT-%")]], {"limit": 40},
                name="manager: catalog",
            )  # fmt: skip
        self.partners = self.call(
            "res.partner", "search", [[("name", "like", "Load customer %")]], {"limit": 50},
            name="manager: customers",
        )  # fmt: skip
        stages = self.call(
            "crm.stage", "search_read", [[("is_won", "=", False)]],
            {"fields": ["id", "sequence"], "order": "sequence, id"},
            name="manager: stages",
        )  # fmt: skip
        self.stages = [stage["id"] for stage in stages]

    @task(5)
    def pipeline_kanban(self):
        domain = [("type", "=", "opportunity"), ("user_id", "=", self.uid)]
        groups = self.call(
            "crm.lead", "web_read_group", [],
            {"domain": domain, "fields": ["expected_revenue:sum", "stage_id"],
             "groupby": ["stage_id"], "lazy": True},
            name="manager: pipeline kanban (columns)",
        )  # fmt: skip
        spec = {
            "name": {}, "partner_id": {"fields": {"display_name": {}}},
            "expected_revenue": {}, "stage_id": {"fields": {"display_name": {}}},
            "priority": {}, "activity_state": {}, "user_id": {"fields": {"display_name": {}}},
            "tag_ids": {"fields": {"display_name": {}}},
        }  # fmt: skip
        for group in groups["groups"][:6]:
            stage = group.get("stage_id")
            self.call(
                "crm.lead", "web_search_read", [],
                {"domain": [*domain, ("stage_id", "=", stage[0] if stage else False)],
                 "specification": spec, "limit": 40},
                name="manager: pipeline kanban (cards)",
            )  # fmt: skip

    @task(3)
    def save_need(self):
        """A need of 3 to 6 products of the hot list that every manager sells: the same
        compositions are saved by other managers at the same moment."""
        products = random.sample(self.hot, random.randint(3, 6))  # noqa: S311
        today = date.today()
        need_id = self.call(
            "customer.need", "create",
            [{"partner_id": random.choice(self.partners),  # noqa: S311
              "user_id": self.uid,
              "date_start": today.isoformat(),
              "date_end": (today + timedelta(days=60)).isoformat(),
              "line_ids": [(0, 0, {"product_id": p, "product_uom_qty": random.randint(1, 50)})  # noqa: S311
                           for p in products]}],
            name="manager: save need",
        )  # fmt: skip
        self.call(
            "customer.need", "web_read", [[need_id]],
            {"specification": {"name": {}, "open_match_count": {}, "state": {}}},
            name="manager: open need",
        )  # fmt: skip

    @task(2)
    def move_deal(self):
        leads = self.call(
            "crm.lead", "search_read",
            [[("type", "=", "opportunity"), ("user_id", "=", self.uid),
              ("stage_id", "in", self.stages), ("probability", "<", 100)]],
            {"fields": ["stage_id"], "limit": 20},
            name="manager: my open deals",
        )  # fmt: skip
        if not leads or len(self.stages) < 2:
            return
        lead = random.choice(leads)  # noqa: S311
        index = self.stages.index(lead["stage_id"][0])
        # backwards: a move forward needs the stage's required checklist ticked first
        target = self.stages[index - 1] if index else self.stages[1]
        if index == 0:
            self.call(
                "crm.lead", "write", [[lead["id"]], {"stage_id": target}],
                name="manager: move deal",
            )  # fmt: skip
            self.call(
                "crm.lead", "write", [[lead["id"]], {"stage_id": self.stages[0]}],
                name="manager: move deal",
            )  # fmt: skip
        else:
            self.call(
                "crm.lead", "write", [[lead["id"]], {"stage_id": target}],
                name="manager: move deal",
            )  # fmt: skip


class HeadOfSales(OdooUser):
    """Seeds 000/001/002: the tier, KPI and claims dashboards."""

    weight = 5
    role = "head of sales"
    wait_time = think(10, 30)

    def begin(self):
        self.authenticate("load_head_1")

    @task
    def tier_dashboard(self):
        self.call(
            "partner.tier.assessment", "read_group",
            [[], ["score:avg", "sales_trend:avg", "wallet_share:avg"], ["tier_id", "date:month"]],
            {"lazy": False},
            name="head of sales: tier pivot",
        )  # fmt: skip

    @task
    def kpi_dashboard(self):
        self.call(
            "kpi.report", "read_group",
            [[], ["revenue:sum", "plan_amount:sum", "plan_percent", "churn_rate",
                  "won_count:sum", "call_count:sum"], ["user_id"]],
            {"lazy": False},
            name="head of sales: KPI report",
        )  # fmt: skip

    @task
    def claims_dashboard(self):
        self.call(
            "claim.analysis", "read_group",
            [[], ["claim_count:sum", "close_hours", "overdue_rate", "human_rate"],
             ["cause_category", "date:month"]],
            {"lazy": False},
            name="head of sales: claims analysis",
        )  # fmt: skip

    @task
    def needs_analysis(self):
        self.call(
            "customer.need", "read_group",
            [[("state", "=", "open")], ["amount_total:sum"], ["user_id"]],
            {"lazy": False},
            name="head of sales: needs analysis",
        )  # fmt: skip


class ProductionHead(OdooUser):
    """Seed 000: the line load pivot and the production funnel's kanban."""

    weight = 5
    role = "production head"
    wait_time = think(10, 25)

    def begin(self):
        self.authenticate("load_production_1")
        stages = self.call(
            "production.funnel.stage", "search_read", [[]],
            {"fields": ["id"], "order": "sequence, id"},
            name="production head: stages",
        )  # fmt: skip
        self.stages = [stage["id"] for stage in stages]

    @task(2)
    def line_load(self):
        today = date.today()
        self.call(
            "production.line.load", "read_group",
            [[("date", ">=", today.isoformat()),
              ("date", "<", (today + timedelta(days=28)).isoformat())],
             ["planned_hours:sum", "capacity_hours:sum", "forecast_hours:sum",
              "load_percent"], ["line_id", "date:week"]],
            {"lazy": False},
            name="production head: line load pivot",
        )  # fmt: skip

    @task(1)
    def drag_order(self):
        orders = self.call(
            "mrp.production", "search_read",
            [[("state", "in", ["confirmed", "progress"]), ("funnel_stage_id", "in", self.stages),
              ("spec_fabric", "!=", False)]],
            {"fields": ["funnel_stage_id"], "limit": 40},
            name="production head: funnel kanban",
        )  # fmt: skip
        if not orders or len(self.stages) < 2:
            return
        order = random.choice(orders)  # noqa: S311
        current = order["funnel_stage_id"][0]
        target = random.choice([s for s in self.stages if s != current])  # noqa: S311
        self.call(
            "mrp.production", "write", [[order["id"]], {"funnel_stage_id": target}],
            name="production head: drag order",
        )  # fmt: skip


class Dealer(HttpUser):
    """Seed 000: a dealer on the portal, working the leads routed to it, filing claims."""

    weight = 25
    role = "dealer"
    wait_time = think(5, 20)

    def on_start(self):
        self.number = _next("dealer", DEALERS)
        for _attempt in range(LOGIN_ATTEMPTS):
            if self._log_in(f"load_dealer_{self.number}"):
                return
            gevent.sleep(5)
        raise RpcError(f"dealer: could not log in {LOGIN_ATTEMPTS} times")

    def _log_in(self, login):
        with self.client.get("/web/login", name="dealer: login page", catch_response=True) as page:
            token = CSRF.search(page.text or "")
            if page.status_code >= 400 or not token:
                page.failure(f"HTTP {page.status_code}, no CSRF token")
                return False
        with self.client.post(
            "/web/login",
            data={"login": login, "password": login, "db": DB, "csrf_token": token[1]},
            name="dealer: log in", catch_response=True, allow_redirects=False,
        ) as response:  # fmt: skip
            if response.status_code != 303 or "/web/login" in response.headers.get("Location", ""):
                response.failure(f"login refused ({response.status_code})")
                return False
        return True

    def _page(self, path, name):
        with self.client.get(path, name=name, catch_response=True) as response:
            if response.status_code >= 400:
                response.failure(f"HTTP {response.status_code}")
                return None
            if "/web/login" in response.url:
                response.failure("logged out")
                return None
            return response.text

    def _post(self, path, data, name):
        with self.client.post(
            path, data=data, name=name, catch_response=True, allow_redirects=False
        ) as response:
            if response.status_code >= 400:
                response.failure(f"HTTP {response.status_code}")

    @task(4)
    def list_leads(self):
        self._page("/my/dealer-leads", "dealer: my leads")

    @task(3)
    def update_lead(self):
        listing = self._page("/my/dealer-leads", "dealer: my leads")
        ids = re.findall(r'href="/my/dealer-leads/(\d+)"', listing or "")
        if not ids:
            return
        lead_id = random.choice(ids)  # noqa: S311
        page = self._page(f"/my/dealer-leads/{lead_id}", "dealer: lead")
        token = CSRF.search(page or "")
        if not token:
            return
        stages = re.findall(r'name="stage_id"[^>]*>(.*?)</select>', page, re.S)
        options = re.findall(r'value="(\d+)"', stages[0]) if stages else []
        if options:
            self._post(
                f"/my/dealer-leads/{lead_id}/stage",
                {"csrf_token": token[1], "stage_id": random.choice(options)},  # noqa: S311
                "dealer: move lead",
            )
        self._post(
            f"/my/dealer-leads/{lead_id}/note",
            {"csrf_token": token[1], "note": "Called the customer, sample sent."},
            "dealer: note on lead",
        )

    @task(1)
    def file_claim(self):
        listing = self._page("/my/orders", "dealer: my orders")
        ids = re.findall(r"/my/orders/(\d+)\?", listing or "")
        if not ids:
            return
        order_id = random.choice(ids)  # noqa: S311
        form = self._page(f"/my/orders/{order_id}/claim", "dealer: claim form")
        token = CSRF.search(form or "")
        products = re.findall(r'name="product_id"[^>]*>(.*?)</select>', form or "", re.S)
        options = re.findall(r'value="(\d+)"', products[0]) if products else []
        if not (token and options):
            return
        self._post(
            f"/my/orders/{order_id}/claim",
            {"csrf_token": token[1], "product_id": random.choice(options),  # noqa: S311
             "quantity": "1", "description": "Two slats arrived bent.",
             "subject": "Bent slats"},
            "dealer: file claim",
        )  # fmt: skip


class Script(HttpUser):
    """Scripts over XML-RPC: the accounting system's catalog import, reading line loads."""

    weight = 5
    role = "script"
    wait_time = think(20, 40)

    def on_start(self):
        for _attempt in range(LOGIN_ATTEMPTS):
            try:
                return self.begin()
            except RpcError:
                gevent.sleep(5)
        raise RpcError(f"script: could not log in {LOGIN_ATTEMPTS} times")

    def begin(self):
        self.login = "load_script_1"
        self.uid = self.xmlrpc(
            "/xmlrpc/2/common", "authenticate", (DB, self.login, self.login, {}),
            "script: authenticate",
        )  # fmt: skip
        self.number = _next("script", 1000)
        self.batch = 0

    def xmlrpc(self, path, method, params, name):
        body = xmlrpc.client.dumps(tuple(params), method, allow_none=True)
        with self.client.post(
            path, data=body.encode(), name=name, catch_response=True,
            headers={"Content-Type": "text/xml"},
        ) as response:  # fmt: skip
            if response.status_code >= 400:
                response.failure(f"HTTP {response.status_code}")
                raise RpcError(name)
            try:
                (result,), _method = xmlrpc.client.loads(response.content)
            except xmlrpc.client.Fault as fault:
                response.failure(f"fault: {fault.faultString[-300:]}")
                raise RpcError(name) from None
            return result

    def execute(self, model, method, args, kwargs=None, name=None):
        return self.xmlrpc(
            "/xmlrpc/2/object", "execute_kw",
            (DB, self.uid, self.login, model, method, args, kwargs or {}),
            name or f"script: {model}.{method}",
        )  # fmt: skip

    @task(1)
    def import_catalog(self):
        """The 1C export: 200 products, half of them the previous run's (updated), half
        new. Each script has a catalog range of its own: two imports of the same products
        at the same moment are not a real day (they would serialize: Odoo retries)."""
        self.batch += 1
        rows = ["external_code,name,uom,category,list_price"]
        for n in range(200):
            code = f"LOAD-1C-{self.number}-{(self.batch * 100 + n) % 2000}"
            rows.append(f"{code},Roller blind {code},Units,All,{10 + n % 90}")
        data = base64.b64encode("\n".join(rows).encode()).decode()
        wizard = self.execute(
            "product.catalog.import.wizard", "create",
            [{"file": data, "filename": "catalog.csv"}], name="script: catalog upload",
        )  # fmt: skip
        self.execute(
            "product.catalog.import.wizard", "action_import", [[wizard]],
            name="script: catalog import",
        )  # fmt: skip

    @task(2)
    def read_loads(self):
        today = date.today()
        self.execute(
            "production.line.load", "search_read",
            [[("date", ">=", today.isoformat()),
              ("date", "<", (today + timedelta(days=14)).isoformat())]],
            {"fields": ["line_id", "date", "planned_hours", "capacity_hours", "load_percent"]},
            name="script: read line loads",
        )  # fmt: skip


@events.quitting.add_listener
def _fail_on_errors(environment, **_kwargs):
    """Exit non-zero on any failed request or any exception in a user's code (the smoke
    test's verdict)."""
    exceptions = environment.runner.exceptions if environment.runner else {}
    if environment.stats.total.num_failures or exceptions:
        environment.process_exit_code = 1


def _equal_weights():
    """The smoke test: every role played by as many users (a few users in all)."""
    for role in (SalesManager, HeadOfSales, ProductionHead, Dealer, Script):
        role.weight = 1


if os.environ.get("AMIGO_LOAD_EQUAL_WEIGHTS") == "1":
    _equal_weights()
