"""What a person of each role can reach: the site crawled from its pages, keeping the links and
the forms it offers (their fields and default values), so that the fuzzer starts from real
requests and changes them."""

import re
from collections import deque
from dataclasses import dataclass, field
from html.parser import HTMLParser
from traceback import format_exc
from urllib.parse import parse_qsl, urljoin, urlsplit

from django.urls import Resolver404, resolve


def is_server_error(response) -> bool:
    """A 5xx the code did not mean: 503 is only ever answered on purpose (/readyz saying a
    part is down, such as no worker in a test run), an unexpected exception is a 500."""
    return response.status_code >= 500 and response.status_code != 503


@dataclass
class Form:
    action: str  # a path
    method: str
    fields: list[tuple[str, str]]  # name, default value (a submit button's too)


# Attributes a browser reads as numbers (SVG geometry, a progress bar's value, CSS): a decimal
# comma there, as a French page writes a float, is refused and the chart is drawn blank.
NUMERIC_ATTRIBUTES = {"x", "y", "x1", "y1", "x2", "y2", "cx", "cy", "r", "rx", "ry", "width",
                      "height", "viewbox", "points", "d", "stroke-width", "font-size", "offset",
                      "min", "max", "step", "low", "high", "optimum", "style"}  # fmt: skip
NUMERIC_VALUE_TAGS = {"progress", "meter"}
DECIMAL_COMMA = re.compile(r"\d,\d")


class _Page(HTMLParser):
    def __init__(self, url: str):
        super().__init__(convert_charrefs=True)
        self.url, self.links, self.forms = url, [], []
        self.localised: list[str] = []  # numbers written for a person where markup reads them
        self._form: Form | None = None
        self._select: str | None = None
        self._textarea: str | None = None

    def handle_starttag(self, tag, attrs):
        a = {k: v or "" for k, v in attrs}
        for name, value in a.items():
            numeric = name in NUMERIC_ATTRIBUTES or (name == "value" and tag in NUMERIC_VALUE_TAGS)
            if numeric and DECIMAL_COMMA.search(value):
                self.localised.append(f'<{tag} {name}="{value[:60]}">')
        if tag == "a" and a.get("href"):
            self.links.append(urljoin(self.url, a["href"]))
        elif tag == "form":
            action = urljoin(self.url, a.get("action") or self.url)
            self._form = Form(action, (a.get("method") or "get").upper(), [])
            self.forms.append(self._form)
        elif self._form is not None and a.get("name"):
            name = a["name"]
            if tag == "input":
                kind = a.get("type", "text")
                if kind in {"checkbox", "radio"} and "checked" not in a:
                    return
                if kind in {"submit", "button"} and not a.get("value"):
                    return
                self._form.fields.append((name, a.get("value", "")))
            elif tag == "button" and a.get("value"):
                self._form.fields.append((name, a["value"]))
            elif tag == "select":
                self._select = name
            elif tag == "textarea":
                self._textarea = name
                self._form.fields.append((name, ""))
        elif tag == "option" and self._form is not None and self._select:
            value = a.get("value", "")
            if "selected" in a or not any(n == self._select for n, _v in self._form.fields):
                self._form.fields = [f for f in self._form.fields if f[0] != self._select]
                self._form.fields.append((self._select, value))

    def handle_endtag(self, tag):
        if tag == "form":
            self._form = None
        elif tag == "select":
            self._select = None
        elif tag == "textarea":
            self._textarea = None


@dataclass
class Reach:
    """Per route template: the concrete paths seen, their query strings, and the forms
    posted to them."""

    paths: dict[str, set[str]] = field(default_factory=dict)
    queries: dict[str, list[list[tuple[str, str]]]] = field(default_factory=dict)
    forms: dict[str, list[Form]] = field(default_factory=dict)
    names: set[str] = field(default_factory=set)  # every field and parameter name met
    failures: dict[str, list[str]] = field(default_factory=dict)  # what answered a 5xx
    localised: dict[str, list[str]] = field(default_factory=dict)  # see NUMERIC_ATTRIBUTES

    def add_path(self, template: str, path: str) -> None:
        self.paths.setdefault(template, set()).add(path)


def template_of(path: str, templates: dict[str, str]) -> str | None:
    """The route template that answers PATH (templates: URL pattern name → template)."""
    try:
        match = resolve(path)
    except Resolver404:
        return None
    return templates.get(match.route)


def crawl(client, seeds: list[str], templates: dict[str, str], *, per_route: int) -> Reach:
    """Visit pages from SEEDS (GET only, same site), PER_ROUTE at most of each route, and keep
    what they offer."""
    reach, seen, queue, visits = Reach(), set(), deque(seeds), {}
    while queue:
        url = queue.popleft()
        parts = urlsplit(url)
        if parts.netloc not in {"", "testserver"} or url in seen:
            continue
        seen.add(url)
        template = template_of(parts.path, templates)
        if template is None or visits.get(template, 0) >= per_route:
            continue
        visits[template] = visits.get(template, 0) + 1
        reach.add_path(template, parts.path)
        if parts.query:
            query = parse_qsl(parts.query, keep_blank_values=True)
            reach.queries.setdefault(template, []).append(query)
            reach.names.update(name for name, _v in query)
        try:
            response = client.get(url)
        except Exception:
            reach.failures.setdefault(template, []).append(f"GET {url}\n{format_exc()}")
            continue
        if is_server_error(response):
            reach.failures.setdefault(template, []).append(f"GET {url}: {response.status_code}")
            continue
        if "html" not in response.get("Content-Type", "") or response.streaming:
            continue
        page = _Page(url)
        page.feed(response.content.decode(errors="replace"))
        if page.localised:
            reach.localised.setdefault(template, []).append(f"{url}: {page.localised[:3]}")
        for form in page.forms:
            form_parts = urlsplit(form.action)
            form.action = form_parts.path
            target = template_of(form.action, templates)
            if target is None:
                continue
            reach.add_path(target, form.action)
            reach.names.update(name for name, _v in form.fields)
            if form.method == "POST":
                reach.forms.setdefault(target, []).append(form)
            else:
                reach.queries.setdefault(target, []).append(form.fields)
        queue.extend(link for link in page.links if link not in seen)
    return reach
