"""Every URL of the URL configuration, as a template with typed holes."""

import re
from dataclasses import dataclass, field

from django.urls import URLPattern, URLResolver, get_resolver
from django.urls.resolvers import RegexPattern, RoutePattern

PARAMETER = re.compile(r"<(?:(?P<converter>[^>:]+):)?(?P<name>[^>]+)>")


@dataclass(frozen=True)
class Route:
    """A URL pattern: TEMPLATE with {name} holes, each hole's kind (a converter's name, or
    « regex:… » for a regular expression's group)."""

    template: str
    holes: tuple[tuple[str, str], ...] = field(default=())
    name: str = ""
    django_route: str = ""  # as `ResolverMatch.route` names it

    def __str__(self) -> str:
        return "/" + self.template

    def fill(self, values: dict[str, str]) -> str:
        return "/" + self.template.format(**values)


def _from_regex(pattern: str) -> tuple[str, list[tuple[str, str]]]:
    """Turn ^a/(?P<x>[0-9]+)/$ into ("a/{x}/", [("x", "regex:[0-9]+")])."""
    pattern = pattern.removeprefix("^").removesuffix("$").removeprefix("\\A").removesuffix("\\Z")
    out, holes, i = [], [], 0
    while i < len(pattern):
        if pattern.startswith("(?P<", i):
            name_end = pattern.index(">", i)
            name = pattern[i + 4 : name_end]
            depth, j = 1, name_end + 1
            while depth:
                depth += {"(": 1, ")": -1}.get(pattern[j], 0) if pattern[j - 1] != "\\" else 0
                j += 1
            holes.append((name, "regex:" + pattern[name_end + 1 : j - 1]))
            out.append("{" + name + "}")
            i = j
        else:
            char = pattern[i]
            out.append("{{" if char == "{" else "}}" if char == "}" else char.replace("\\", ""))
            i += 1
    return "".join(out), holes


def _piece(pattern) -> tuple[str, list[tuple[str, str]]]:
    if isinstance(pattern, RoutePattern):
        route, holes = str(pattern._route), []
        for match in PARAMETER.finditer(route):
            holes.append((match["name"], match["converter"] or "str"))
        return PARAMETER.sub(lambda m: "{" + m["name"] + "}", route), holes
    if isinstance(pattern, RegexPattern):
        return _from_regex(pattern._regex)
    raise TypeError(pattern)


def all_routes() -> list[Route]:
    routes: dict[str, Route] = {}

    def walk(patterns, prefix: str, holes: list, django_route: str):
        for entry in patterns:
            piece, more = _piece(entry.pattern)
            joined = (
                django_route + str(entry.pattern).removeprefix("^")
                if django_route
                else str(entry.pattern)
            )
            if isinstance(entry, URLResolver):
                walk(entry.url_patterns, prefix + piece, holes + more, joined)
            elif isinstance(entry, URLPattern):
                route = Route(prefix + piece, tuple(holes + more), entry.name or "", joined)
                routes.setdefault(route.template, route)  # the first pattern answers

    walk(get_resolver().url_patterns, "", [], "")
    return list(routes.values())
