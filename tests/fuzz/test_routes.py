"""The route fuzzer: every URL of the URL configuration, as an anonymous visitor and as each
role, with generated path values, query strings, form and JSON bodies, content types, cookies
and headers. Whatever is sent, no answer is a server error.

Requests start from what the crawled pages really offer (their links and forms, with their
default values) and change some of it; each runs in a transaction rolled back after it.
FUZZ_EXAMPLES sets the number of requests per route and role (CI runs a fixed sequence)."""

import os
import re
import traceback
from urllib.parse import quote, urlencode

import pytest
from django.db import transaction
from django.test import Client
from django.urls import resolve
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.factories import with_second_factor

from .crawl import Reach, crawl, is_server_error
from .routes import Route, all_routes
from .values import (
    CONTENT_TYPES,
    COOKIE_NAMES,
    HEADERS,
    RAW_BODIES,
    SWEEP,
    json_values,
    kind_of,
    text,
)

ROLES = {
    "anonyme": None,
    "habitant": "habitant@maillage.localhost",
    "membre": "referente@maillage.localhost",
    "animateur": "animatrice@maillage.localhost",
    "coordinateur": "coordinateur@maillage.localhost",
    "administrateur": "admin@maillage.localhost",
}
ROUTES = all_routes()
TEMPLATES = {route.django_route: route.template for route in ROUTES}
pytestmark = pytest.mark.ignore_template_errors  # see conftest.py
EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", 8))


def _pools() -> dict[str, list[str]]:
    """Real values for the path's holes, by the hole's name."""
    from maillage.core.method import METHOD_PARTS
    from maillage.needs.models import Need
    from maillage.territory.models import Invitation, Organisation
    from maillage.workshops.models import Registration, Workshop

    def first(queryset, field):
        return [str(v) for v in queryset.values_list(field, flat=True)[:4]]

    return {
        "token": first(Need.objects.all(), "tracking_token")
        + first(Registration.objects.all(), "token")
        + first(Invitation.objects.all(), "token"),
        "code": [*first(Workshop.objects.all(), "join_code"), "besoins-par-mois"],
        "label": ["2026-10", "2026", "2025-12"],
        "part": list(METHOD_PARTS),
        "slug": first(Organisation.objects.all(), "slug"),
    }


@pytest.fixture(scope="module")
def reaches(demo_territory, django_db_blocker) -> dict[str, tuple[Client, Reach, dict]]:
    """Each role's client, logged in for the module, and what the role reaches."""
    from maillage.core.models import User
    from maillage.workshops.models import Workshop

    out = {}
    with django_db_blocker.unblock():
        pools = _pools()
        seeds = ["/"] + [
            route.fill({name: (pools.get(name) or ["1"])[0] for name, _kind in route.holes})
            for route in ROUTES
            if all(kind in {"int", "str", "slug"} for _name, kind in route.holes)
        ]
        rooms = Workshop.objects.filter(status=Workshop.Status.EN_COURS)
        for role, email in ROLES.items():
            client = Client(raise_request_exception=True)
            if email:
                user = User.objects.get(email=email)
                if user.is_staff:
                    with_second_factor(user)
                client.force_login(user)
            for workshop in rooms:  # a phone in every room under way
                client.post("/atelier/", {"code": workshop.join_code, "name": role})
            with transaction.atomic():
                reach = crawl(client, seeds, TEMPLATES, per_route=3)
                transaction.set_rollback(True)
            out[role] = client, reach, pools
    return out


def _hole(kind: str, name: str, pools: dict[str, list[str]]):
    real = pools.get(name) or (["1", "2", "3"] if kind == "int" else ["a"])
    hostile = text if kind != "int" else st.integers(0, 2**70).map(str)
    if kind.startswith("regex:"):
        hostile = st.one_of(st.from_regex(kind[6:], fullmatch=True), text)
    return st.one_of(st.sampled_from(real), hostile).map(lambda v: quote(v, safe=""))


def _mutated(fields: list[tuple[str, str]], names: list[str]):
    """Some of FIELDS changed, some dropped, some added (names met elsewhere on the site)."""

    @st.composite
    def build(draw):
        out = []
        for name, value in fields:
            choice = draw(st.sampled_from(["keep", "keep", "change", "drop"]))
            if choice == "keep":
                out.append((name, value))
            elif choice == "change":
                out.append((name, draw(text)))
        for _ in range(draw(st.integers(0, 2))):
            out.append((draw(st.sampled_from(names or ["x"])), draw(text)))
        return out

    return build()


@st.composite
def requests_for(draw, route: Route, reach: Reach, pools):
    paths = sorted(reach.paths.get(route.template, ()))
    holes = {name: draw(_hole(kind, name, pools)) for name, kind in route.holes}
    path = draw(st.sampled_from(paths)) if paths and draw(st.booleans()) else route.fill(holes)
    forms = reach.forms.get(route.template, [])
    names = sorted(reach.names)
    method = (
        "POST"
        if forms and draw(st.booleans())
        else draw(st.sampled_from(["GET", "GET", "POST", "HEAD", "PUT", "DELETE", "OPTIONS"]))
    )
    queries = reach.queries.get(route.template, [])
    query_fields = draw(_mutated(draw(st.sampled_from(queries)) if queries else [], names))
    query = urlencode(query_fields)
    if draw(st.integers(0, 9)) == 0:
        query += "&x=%ff%fe"  # not UTF-8
    body, content_type = b"", "application/x-www-form-urlencoded"
    if method in {"POST", "PUT"}:
        base = draw(st.sampled_from(forms)).fields if forms else []
        fields = draw(_mutated(base, names))
        encoding = draw(st.sampled_from(["form", "form", "form", "json", "raw"]))
        if route.template.startswith("api/"):
            encoding = draw(st.sampled_from(["json", "json", "raw", "form"]))
        if encoding == "form":
            body = urlencode(fields).encode()
        elif encoding == "json":
            content_type = "application/json"
            value = dict(fields) if draw(st.booleans()) else draw(json_values)
            body = _json(value)
        else:
            body = draw(st.sampled_from(RAW_BODIES))
        if draw(st.integers(0, 5)) == 0:
            content_type = draw(st.sampled_from(CONTENT_TYPES))
    headers = {}
    for header, values in HEADERS.items():
        if draw(st.integers(0, 7)) == 0:
            headers[header] = draw(st.sampled_from(values))
    cookies = {}
    if draw(st.integers(0, 5)) == 0:
        cookies[draw(st.sampled_from(COOKIE_NAMES))] = draw(text)
    return {"method": method, "path": path, "query": query, "body": body,
            "content_type": content_type, "headers": headers, "cookies": cookies}  # fmt: skip


def _json(value) -> bytes:
    import json

    return json.dumps(value, default=str).encode(errors="surrogatepass")


def _wsgi(value: str) -> str:
    """As a WSGI server hands a header over: its bytes read as Latin-1."""
    return value.encode("utf-8", "surrogatepass").decode("latin-1")


def _send(client: Client, request: dict):
    saved = {name: morsel.value for name, morsel in client.cookies.items()}
    try:
        return _request(client, request)
    finally:  # what an answer set (a language, a room's cookie) stays with it
        client.cookies.clear()
        for name, value in saved.items():
            client.cookies[name] = value


def _request(client: Client, request: dict):
    headers = {name: _wsgi(value) for name, value in request["headers"].items()}
    if request["cookies"]:
        jar = {name: morsel.coded_value for name, morsel in client.cookies.items()}
        jar |= request["cookies"]
        headers["HTTP_COOKIE"] = _wsgi("; ".join(f"{k}={v}" for k, v in jar.items()))
    return client.generic(
        request["method"], request["path"], data=request["body"],
        content_type=_wsgi(request["content_type"]), QUERY_STRING=request["query"], **headers,
    )  # fmt: skip


@pytest.mark.parametrize("role", list(ROLES))
def test_no_page_writes_a_number_its_markup_cannot_read(role, reaches, db):
    """Every page each role reaches, in French: no SVG coordinate, bar value or style with a
    decimal comma (the charts and merit profiles were blank in French)."""
    localised = reaches[role][1].localised
    assert not localised, "\n".join(line for lines in localised.values() for line in lines[:2])


@pytest.mark.parametrize("role", list(ROLES))
@pytest.mark.parametrize("route", ROUTES, ids=str)
def test_no_request_makes_a_server_error(route, role, reaches, db):
    client, reach, pools = reaches[role]
    assert not reach.failures.get(route.template), "\n".join(reach.failures[route.template])

    @settings(max_examples=EXAMPLES, deadline=None, derandomize=True, database=None,
              suppress_health_check=list(HealthCheck))  # fmt: skip
    @given(request=requests_for(route, reach, pools))
    def check(request):
        with transaction.atomic():
            try:
                response = _send(client, request)
            except Exception:
                pytest.fail(f"{role} {request}\n{traceback.format_exc()}")
            finally:
                transaction.set_rollback(True)
        assert not is_server_error(response), (role, request, response.status_code)

    check()


ROW = re.compile(r"-\d+-")  # a formset's rows: form-0-name, form-1-name…


def _one_at_a_time(fields: list[tuple[str, str]], *, values: int = 5):
    """FIELDS with one of them changed to a hostile value of its kind, for each field (a
    formset's rows once: the first row stands for the others); VALUES of each kind at most."""
    met = set()
    for i, (name, value) in enumerate(fields):
        if (shape := ROW.sub("-N-", name)) in met:
            continue
        met.add(shape)
        for hostile in SWEEP[kind_of(value)][:values]:
            yield [*fields[:i], (name, hostile), *fields[i + 1 :]]


def _sweep(route: Route, reach: Reach, seen: set) -> list[dict]:
    """Every field of every form and link of ROUTE, and every hole of its path, changed one at
    a time, the rest as the page offers it; SEEN: the forms another role swept already."""
    cases = []
    plain = {"body": b"", "content_type": "application/x-www-form-urlencoded", "headers": {},
             "cookies": {}, "query": ""}  # fmt: skip
    paths = sorted(reach.paths.get(route.template, ()))
    # Django's admin is Django's: its slow pages get the first, likeliest value of each kind.
    values = 1 if route.template.startswith("admin/") else 5
    for form in reach.forms.get(route.template, []):
        signature = (route.template, "POST", tuple(ROW.sub("-N-", n) for n, _v in form.fields))
        if signature not in seen:
            seen.add(signature)
            cases += [plain | {"method": "POST", "path": form.action,
                               "body": urlencode(fields).encode()}
                      for fields in _one_at_a_time(form.fields, values=values)]  # fmt: skip
    for query in reach.queries.get(route.template, []):
        signature = (route.template, "GET", tuple(name for name, _v in query))
        if paths and signature not in seen:
            seen.add(signature)
            cases += [plain | {"method": "GET", "path": paths[0], "query": urlencode(fields)}
                      for fields in _one_at_a_time(query)]  # fmt: skip
    if paths and route.holes and (route.template, "path") not in seen:
        seen.add((route.template, "path"))
        real = resolve(paths[0]).kwargs
        for name, kind in route.holes:
            for hostile in ["0", "9" * 30] if kind == "int" else ["x" * 3000, "%ff", "é", "0"]:
                values = {k: quote(str(real.get(k, "1")), safe="") for k, _kind in route.holes}
                values[name] = hostile
                cases.append(plain | {"method": "GET", "path": route.fill(values)})
    return cases


@pytest.fixture(scope="module")
def sweeps(reaches) -> dict[tuple[str, str], list[dict]]:
    """Each route's sweep, by the least privileged role that reaches each of its forms."""
    seen: set = set()
    return {(route.template, role): _sweep(route, reaches[role][1], seen)
            for role in ROLES for route in ROUTES}  # fmt: skip


@pytest.mark.parametrize("role", list(ROLES))
@pytest.mark.parametrize("route", ROUTES, ids=str)
def test_no_field_changed_alone_makes_a_server_error(route, role, reaches, sweeps, db):
    client = reaches[role][0]
    failures = []
    for request in sweeps[(route.template, role)]:
        with transaction.atomic():
            try:
                response = _send(client, request)
                if is_server_error(response):
                    failures.append(f"{response.status_code} {request}")
            except Exception:
                failures.append(f"{request}\n{traceback.format_exc()}")
            finally:
                transaction.set_rollback(True)
    assert not failures, f"{len(failures)} server errors as {role}:\n" + "\n".join(failures[:5])
