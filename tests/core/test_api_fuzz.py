"""Bad input never makes the API answer 500 (issue 15; docs/security.md, “错误输入”).

Every write endpoint under /api/ — each POST/PUT/PATCH of every viewset and view the URL
resolver knows, every action, every step of the step endpoints, the uploads and the ledger
imports — gets generated bodies as a city-wide demo user who may write there (局领导, else the
legal reviewer or a section's staff), over the first and the last records the user sees. The
fields an endpoint reads are found by sending it `{}` once and noting the serializers and forms
that parse that body; a body then starts from the first record as the viewset shows it (it
mostly passes) and gets one field of the wrong kind (odd days for a date, huge and negative
numbers for a number, null, booleans, lists, objects, NUL characters, long text), or several
wrong and missing fields, or unknown fields, or is no JSON object at all; multipart endpoints
get odd text and odd files. The GET endpoints get odd `year`/`until`/`date`/`from`/`to`.
Every answer must be below 500, and every error a JSON object with a Chinese `detail`.

Each request runs in a savepoint that is rolled back, so the examples do not change the demo
bureau for one another. ECOGOV_FUZZ_EXAMPLES (default 6) sets the examples per endpoint; they
are derandomised, so a run is reproducible (ECOGOV_FUZZ_EXAMPLES=50 searches longer).
"""

from __future__ import annotations

import json
import os
import re
from contextlib import contextmanager
from dataclasses import dataclass, field

from django import forms
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.test import Client, RequestFactory
from django.test.client import BOUNDARY, MULTIPART_CONTENT, encode_multipart
from django.urls import URLPattern, URLResolver, get_resolver
from hypothesis import HealthCheck, given
from hypothesis import settings as hsettings
from hypothesis import strategies as st
from rest_framework import fields as drf
from rest_framework import relations, serializers
from rest_framework.parsers import JSONParser
from rest_framework.renderers import JSONRenderer
from rest_framework.request import Request

EXAMPLES = int(os.environ.get("ECOGOV_FUZZ_EXAMPLES", "6"))
RECORDS = 2  # the first and the last records of each endpoint's list
# City-wide demo users who write: the leader, and for what he may not do (the legal section's
# own records, the approval steps of a case) the legal reviewer and the section staff.
USERS = ("leader", "legal", "inspector", "eia_staff")
WRITES = ("post", "put", "patch")
HAN = re.compile(r"[\u4e00-\u9fff]")

# --- values ------------------------------------------------------------------------------------
ODD_TEXT = [
    "",
    " ",
    "-1",
    "0",
    "2025-02-30",
    "2025-13-01",
    "0000-00-00",
    "0001-01-01",
    "9999-12-31",
    "99999-01-01",
    "2025-06-30T25:61:00",
    "1e400",
    "NaN",
    "-Infinity",
    "\x00",
    "a\x00b",
    "x" * 3000,
    "１２３",
    "<script>alert(1)</script>",
    "' OR 1=1 --",
]
DAY = re.compile(r"^\d{4}-\d{2}-\d{2}")
ODD_DAYS = [
    "0001-01-01",
    "1900-01-01",
    "1999-12-31",
    "2025-02-29",
    "2100-12-31",
    "9999-12-31",
    "2025-06-31",
    "2025-06-30T25:00:00",
    "20250630",
]
BIG_INTS = [0, -1, 1, -5, 10000, 2**31, 2**63, -(2**63) - 1, 10**20, 10**100]
SCALARS = st.one_of(
    st.none(),
    st.booleans(),
    st.sampled_from(BIG_INTS),
    st.integers(),
    st.floats(allow_nan=False, allow_infinity=False),
    st.sampled_from(ODD_TEXT),
    st.text(max_size=12),
)
NASTY = st.one_of(
    SCALARS,
    st.lists(SCALARS, max_size=3),
    st.dictionaries(st.text(max_size=6), SCALARS, max_size=3),
)
NOT_AN_OBJECT = st.one_of(SCALARS, st.lists(NASTY, max_size=3))
ABSENT = object()


def plausible(f):
    """A value the field would take (None: the field is not sent in JSON)."""
    if isinstance(f, (drf.FileField, forms.FileField)):
        return None
    if isinstance(f, relations.ManyRelatedField):
        one = plausible(f.child_relation)
        return [] if one is None else [one]
    if isinstance(f, relations.SlugRelatedField):
        record = f.get_queryset().first()
        return getattr(record, f.slug_field) if record is not None else None
    if isinstance(f, relations.RelatedField):
        record = f.get_queryset().first()
        return record.pk if record is not None else None
    if isinstance(f, forms.ModelMultipleChoiceField):
        record = f.queryset.first()
        return [] if record is None else [record.pk]
    if isinstance(f, forms.ModelChoiceField):
        record = f.queryset.first()
        return record.pk if record is not None else None
    if isinstance(f, (drf.MultipleChoiceField, forms.MultipleChoiceField)):
        return [next(iter(dict(f.choices)), "")][:1]
    if isinstance(f, (drf.ChoiceField, forms.ChoiceField)):
        keys = [k for k in dict(f.choices) if k not in ("", None)]
        return keys[0] if keys else ""
    if isinstance(f, (drf.BooleanField, forms.BooleanField)):
        return True
    if isinstance(f, (drf.DateTimeField, forms.DateTimeField)):
        return "2025-06-30T10:00:00+08:00"
    if isinstance(f, (drf.DateField, forms.DateField)):
        return "2025-06-30"
    if isinstance(f, (drf.IntegerField, forms.IntegerField)):
        return 2025 if "year" in f"{f.label}{getattr(f, 'field_name', '')}" else 1
    if isinstance(f, (drf.DecimalField, drf.FloatField, forms.DecimalField, forms.FloatField)):
        return "1"
    if isinstance(f, (drf.URLField, forms.URLField)):
        return "https://example.org/"
    if isinstance(f, (drf.EmailField, forms.EmailField)):
        return "fuzz@example.org"
    if isinstance(f, (drf.JSONField, drf.DictField, serializers.Serializer)):
        return {}
    if isinstance(f, (drf.ListField, serializers.ListSerializer)):
        return []
    return "模糊测试"


@dataclass
class Target:
    method: str
    urls: list  # the same endpoint over a few of the user's records (their states differ)
    multipart: bool  # the endpoint reads only multipart bodies
    client: Client  # signed in as the user who writes there
    fields: dict = field(default_factory=dict)  # name -> a value it takes (None: not in JSON)
    files: list = field(default_factory=list)  # names of file fields


# --- the endpoints -------------------------------------------------------------------------------
def _routes(patterns, prefix=""):
    for p in patterns:
        route = prefix + str(p.pattern).lstrip("^").rstrip("$")
        if isinstance(p, URLResolver):
            yield from _routes(p.url_patterns, route)
        elif isinstance(p, URLPattern):
            yield route, p.callback


def write_routes():
    """(route, view class, method, multipart only) for every API write, from the URL resolver."""
    for route, callback in _routes(get_resolver().url_patterns):
        cls = getattr(callback, "cls", None)
        if not route.startswith("api/") or cls is None or "format>" in route:
            continue
        parsers = getattr(callback, "initkwargs", {}).get("parser_classes", cls.parser_classes)
        multipart = not any(issubclass(p, JSONParser) for p in parsers)
        actions = getattr(callback, "actions", None)
        if actions is None:  # an APIView
            for method in WRITES:
                if hasattr(cls, method):
                    yield route, cls, method, multipart
            continue
        for method in list(actions):
            if method in WRITES:
                yield route, cls, method, multipart


def read_routes():
    """The list and view GETs under /api/ (no record in the address)."""
    for route, callback in _routes(get_resolver().url_patterns):
        cls = getattr(callback, "cls", None)
        actions = getattr(callback, "actions", None) or {}
        if not route.startswith("api/") or cls is None or "<" in route:
            continue
        if actions.get("get") == "list" or (not actions and hasattr(cls, "get")):
            yield "/" + route


def _view(cls, user, action):
    request = Request(RequestFactory().get("/api/"))
    request.user = user
    view = cls(request=request, args=(), kwargs={}, format_kwarg=None, action=action)
    view.headers = {}
    return view


def records_of(cls, user, n=RECORDS):
    """The first and the last records the user sees, as the view reads them."""
    view = _view(cls, user, "retrieve")
    ordered = view.get_queryset().order_by("pk")
    records = list(ordered[:n]) + list(ordered.reverse()[:n])
    return view, list({r.pk: r for r in records}.values())


def representation(view, record) -> dict:
    """The record as the endpoint's serializer shows it, as JSON: a body that mostly passes."""
    try:
        data = view.get_serializer(record).data
    except Exception:  # noqa: BLE001 - a view without a serializer of its own
        return {}
    return json.loads(JSONRenderer().render(data))


def _fill(route: str, values: dict) -> str:
    return "/" + re.sub(r"\(\?P<(\w+)>[^)]*\)", lambda m: str(values[m.group(1)]), route)


def urls_of(route, cls, user):
    """(urls, base body) for the route: over the user's records (for a detail route) and for
    each step (for a step route); the base body is the first record as the viewset shows it."""
    groups = set(re.findall(r"\(\?P<(\w+)>", route))
    view, records = records_of(cls, user) if hasattr(cls, "get_queryset") else (None, [])
    base = representation(view, records[0]) if records else {}
    if groups - {"step"}:
        lookup = view.lookup_url_kwarg or view.lookup_field
        keys = [{lookup: getattr(r, view.lookup_field)} for r in records]
    else:
        keys = [{}]
    steps = sorted(cls.step_forms) if "step" in groups else [None]
    return [([_fill(route, {**k, "step": step}) for k in keys], base) for step in steps if keys]


@contextmanager
def parsers_seen():
    """The serializers and forms built over a request body while the block runs."""
    seen = []
    ser_init, form_init = serializers.BaseSerializer.__init__, forms.BaseForm.__init__

    def ser(self, instance=None, data=drf.empty, **kwargs):
        ser_init(self, instance, data, **kwargs)
        if data is not drf.empty:
            seen.append(self)

    def form(self, data=None, *args, **kwargs):
        form_init(self, data, *args, **kwargs)
        if data is not None and not type(self).__name__.endswith("FilterSetForm"):
            seen.append(self)  # a body's form, not a list's filters

    serializers.BaseSerializer.__init__, forms.BaseForm.__init__ = ser, form
    try:
        yield seen
    finally:
        serializers.BaseSerializer.__init__, forms.BaseForm.__init__ = ser_init, form_init


def _fields_of(parser):
    if isinstance(parser, serializers.ListSerializer):
        parser = parser.child
    for name, f in parser.fields.items():
        if not getattr(f, "read_only", False):
            yield name, f


def send(client, method, url, body, multipart=False):
    """One request in a savepoint that is rolled back; an exception counts as a 500."""
    if method == "get":
        content, kwargs = body, {}
    elif multipart:  # the client encodes a POST's form itself, not a PUT's or a PATCH's
        content = body if method == "post" else encode_multipart(BOUNDARY, body)
        kwargs = {"content_type": MULTIPART_CONTENT}
    else:
        content, kwargs = json.dumps(body), {"content_type": "application/json"}
    try:
        with transaction.atomic():
            response = getattr(client, method)(url, content, **kwargs)
            transaction.set_rollback(True)
    except Exception as exc:  # noqa: BLE001 - what the server would have answered 500 with
        return 500, f"{type(exc).__name__}: {exc}"[:300]
    return response.status_code, response


def target(method, urls, base, multipart, client) -> Target:
    """The endpoint with the fields the serializers and forms that parse `{}` read."""
    found = Target(method, urls, multipart, client)
    with parsers_seen() as seen:
        send(client, method, urls[0], {}, multipart=multipart)
    for parser in seen:
        for name, f in _fields_of(parser):
            if isinstance(f, (drf.FileField, forms.FileField)):
                found.files.append(name)
            elif base.get(name) is not None:
                found.fields.setdefault(name, base[name])
            else:
                found.fields.setdefault(name, plausible(f))
    return found


def targets(users) -> list[Target]:
    """Every write endpoint, as the first user (of USERS) it does not refuse outright."""
    found = []
    for route, cls, method, multipart in list(write_routes()):
        for user in users:
            client = Client()
            client.force_login(user)
            routes = urls_of(route, cls, user)
            refused = routes and send(client, method, routes[0][0][0], {}, multipart)[0] == 403
            if not refused or user == users[-1]:
                found += [target(method, u, base, multipart, client) for u, base in routes]
                break
    return found


# --- the bodies --------------------------------------------------------------------------------
def wrong_for(value):
    """Wrong values, the near misses of the field's own kind first: odd days for a date, huge
    and negative numbers for a number."""
    if isinstance(value, str) and DAY.match(value):
        return st.one_of(st.sampled_from(ODD_DAYS), NASTY)
    if isinstance(value, int) and not isinstance(value, bool):
        return st.one_of(st.sampled_from(BIG_INTS), NASTY)
    return NASTY


def json_bodies(target):
    """A body that passes but for one field of the wrong kind; bodies with several wrong or
    missing fields; objects of unknown fields; bodies that are not an object."""
    base = {k: v for k, v in target.fields.items() if v is not None}

    def one(value):
        return st.one_of(st.just(value), NASTY, st.just(ABSENT))

    one_wrong = (
        st.sampled_from(sorted(target.fields)).flatmap(
            lambda k: wrong_for(target.fields[k]).map(lambda v: {**base, k: v})
        )
        if target.fields
        else st.just({})
    )
    several = st.fixed_dictionaries({k: one(v) for k, v in base.items()}).map(
        lambda d: {k: v for k, v in d.items() if v is not ABSENT}
    )
    return st.one_of(one_wrong, several, NOT_AN_OBJECT, st.dictionaries(st.text(max_size=8), NASTY))


FILES = st.builds(
    lambda name, content: SimpleUploadedFile(name, content),
    st.sampled_from(["a.xlsx", "a.csv", "a.json", "a.geojson", "a.exe", "a.mp4", "a", "照片.jpg"]),
    st.one_of(
        st.binary(max_size=64),
        st.sampled_from([b"", b"PK\x03\x04garbage", b"MZ\x90\x00", b'{"type": "Feature"}']),
    ),
)


def multipart_bodies(target):
    text = st.one_of(st.sampled_from(ODD_TEXT + ODD_DAYS), st.text(max_size=8))
    values = {k: st.one_of(text, st.just(ABSENT)) for k in target.fields}
    values.update({k: st.one_of(FILES, text, st.just(ABSENT)) for k in target.files})
    return st.fixed_dictionaries(values).map(
        lambda d: {k: v for k, v in d.items() if v is not ABSENT}
    )


# --- the tests ---------------------------------------------------------------------------------
def _problem(status, response):
    """What is wrong with an answer: a 500, or an error that is not a JSON object in Chinese."""
    if status >= 500:
        return response if isinstance(response, str) else response.content[:300]
    if status >= 400 and not isinstance(response, str):
        try:
            body = response.json()
        except ValueError:
            return f"{status} not JSON: {response.content[:200]!r}"
        if not isinstance(body, dict) or not HAN.search(str(body.get("detail", ""))):
            return f"{status} without a Chinese detail: {str(body)[:300]}"
    return None


FUZZ = hsettings(
    max_examples=EXAMPLES,
    derandomize=True,
    database=None,
    deadline=None,
    suppress_health_check=list(HealthCheck),
)


def fuzz_writes(target, problems):
    @FUZZ
    @given(
        url=st.sampled_from(target.urls),
        body=multipart_bodies(target) if target.multipart else json_bodies(target),
        as_multipart=st.booleans() if target.files and not target.multipart else st.just(False),
    )
    def run(url, body, as_multipart):
        if as_multipart:  # a file with the form's other fields as text
            fields = body if isinstance(body, dict) else {}
            body = {k: v for k, v in fields.items() if isinstance(v, str)} | {
                name: SimpleUploadedFile("证据.mp4", b"\x00\x00\x00\x18ftypmp42")
                for name in target.files
            }
        multipart = target.multipart or as_multipart
        status, response = send(target.client, target.method, url, body, multipart=multipart)
        problem = _problem(status, response)
        if problem is not None:
            where = f"{target.method.upper()} {url}"
            problems.setdefault((where, status >= 500), (body, problem))

    run()


def _report(problems) -> str:
    """The 500s first, then the errors not in the one shape; each with the body that caused it."""
    lines = []
    for (where, crashed), (body, problem) in sorted(problems.items(), key=lambda i: not i[0][1]):
        lines += [
            f"{'500' if crashed else 'shape'} {where}",
            f"    {body!r:.300}",
            f"    {problem}",
        ]
    return "\n".join(lines)


def test_no_write_endpoint_answers_500(world):
    found = targets([world.user(name) for name in USERS])
    assert len(found) > 150  # every area's writes and steps, not an empty enumeration
    problems = {}
    for target in found:
        fuzz_writes(target, problems)
    assert not problems, _report(problems)


DAY_PARAMS = ("until", "date", "from", "to")
ODD_YEARS = ["-5", "0", "1999", "2101", "10000", "12345678901234567890", "２０２０", "2020.0", " "]
PARAMS = {
    "year": st.one_of(st.sampled_from(ODD_YEARS), st.text(max_size=6)),
    **{k: st.one_of(st.sampled_from(ODD_DAYS), st.text(max_size=10)) for k in DAY_PARAMS},
}
# one odd parameter alone, one odd day in a good year, or several at once
QUERY = st.one_of(
    st.sampled_from(sorted(PARAMS)).flatmap(lambda k: PARAMS[k].map(lambda v: {k: v})),
    st.sampled_from(DAY_PARAMS).flatmap(lambda k: PARAMS[k].map(lambda v: {"year": "2020", k: v})),
    st.fixed_dictionaries({}, optional=PARAMS),
).map(lambda d: {k: v.replace("\x00", "") for k, v in d.items()})


def fuzz_query(client, url, problems):
    @FUZZ
    @given(query=QUERY)
    def run(query):
        status, response = send(client, "get", url, query)
        problem = _problem(status, response)
        if problem is not None:
            problems.setdefault((url, status >= 500), (query, problem))

    run()


def params_read(client, url) -> list[str]:
    """The parameters the endpoint reads: those it refuses `x` for, by name."""
    found = ["year"] if send(client, "get", url, {"year": "x"})[0] == 400 else []
    query = {"year": "2020", **{k: "x" for k in DAY_PARAMS}}
    while True:
        status, response = send(client, "get", url, query)
        named = [k for k in response.json() if k in DAY_PARAMS] if status == 400 else []
        if not named:
            return found
        found += named
        query = {k: v for k, v in query.items() if k not in named}


def test_odd_years_and_dates_in_query_parameters_are_not_500(world):
    """Every odd year and day alone on each endpoint that reads the parameter, then generated
    combinations of them there; all of them at once on the endpoints that read none."""
    client = Client()
    client.force_login(world.user(USERS[0]))
    problems = {}

    def check(url, query):
        status, response = send(client, "get", url, query)
        problem = _problem(status, response)
        if problem is not None:
            problems.setdefault((url, status >= 500), (query, problem))

    read = 0
    for url in sorted(set(read_routes())):
        params = params_read(client, url)
        for param in params:
            for value in ODD_YEARS if param == "year" else ODD_DAYS:
                check(url, {param: value} if param == "year" else {"year": "2020", param: value})
        if params:
            read += 1
            fuzz_query(client, url, problems)
        else:
            check(url, {"year": "-5", "until": "0001-01-01", "date": "x", "from": "x", "to": "x"})
    assert read >= 8  # the figures, the evaluation, hourly data, lists filtered by year
    assert not problems, _report(problems)
