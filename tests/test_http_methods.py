"""Every URL answers only the methods it serves (X-9): PUT, PATCH and DELETE — which no page and
no endpoint of version 1 takes — are refused 405 before the view reads anything, for a logged-in
user with every right (a superuser), whatever the ids. A view without a method restriction would
answer them as a GET (a page, an export): the test names it.
"""

from __future__ import annotations

from django.urls import NoReverseMatch, reverse

from tests.conftest import World, login_verified
from tests.test_url_sweep import all_routes

WRITE_METHODS = ("put", "patch", "delete")
FILLERS = (999_999_999, "x", "2027", "xlsx", "pdf")


def _url(name: str, params: tuple[str, ...]) -> str:
    if not params:
        return reverse(name)
    for value in FILLERS:
        try:
            return reverse(name, kwargs=dict.fromkeys(params, value))
        except NoReverseMatch:
            continue
    mixed = {p: (999_999_999 if p in {"pk", "id"} or p.endswith("_id") or p.endswith("pk") else "x")
             for p in params}
    return reverse(name, kwargs=mixed)


def test_x9_every_route_refuses_put_patch_delete(world: World) -> None:
    client = login_verified(world.admin)
    loose: list[str] = []
    for route in all_routes():
        if route.name.startswith("<unnamed") or route.name == "api:not_found":
            continue
        url = _url(route.name, route.params)
        for method in WRITE_METHODS:
            response = getattr(client, method)(url)
            if response.status_code != 405:
                loose.append(f"{method.upper()} {route.name} {url} → {response.status_code}")
    assert loose == []
