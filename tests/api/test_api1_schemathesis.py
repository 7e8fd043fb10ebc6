"""API-1, X-9 (issue 16 item 5, "Generated API testing"): schemathesis generates requests for
EVERY operation of the served OpenAPI schema (/api/v1/schema/, drf-spectacular) — valid data and
malformed data (wrong types, out-of-range numbers, unknown or missing fields) — and sends them
in-process to the Django WSGI app with a real token. Every answer must be no 5xx, a status code
the operation documents, a documented content type, and a body matching the documented schema;
malformed data must be refused with a 4xx.

The test is driven by the schema alone: an endpoint added later is covered without touching this
file. Path ids are drawn half of the time from the ids of rows that exist (every model's first
rows), so details answer real rows and not only 404s.

The same driver (`run_schema`) is the `make bench` row (tests/bench/bench_schemathesis.py) with
≥ 10 000 cases; here the number of examples per operation is bounded (SCHEMATHESIS_EXAMPLES)."""

from __future__ import annotations

import contextlib
import os
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

import pytest
import schemathesis
from django.apps import apps
from django.core.handlers.wsgi import WSGIHandler
from django.core.signals import request_finished, request_started
from django.db import close_old_connections, models
from django.test import Client, override_settings
from hypothesis import HealthCheck, Phase, assume, given, seed, settings
from hypothesis import strategies as st
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.core import NotSet
from schemathesis.core.failures import Failure, FailureGroup, ServerError
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    negative_data_rejection,
    response_schema_conformance,
    status_code_conformance,
)

from doanvu.api.models import ApiToken
from tests.api.conftest import ApiWorld, new_key

CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance,
          response_schema_conformance]
NEGATIVE_CHECKS = [*CHECKS, negative_data_rejection]
EXAMPLES = int(os.environ.get("SCHEMATHESIS_EXAMPLES", "12"))


@dataclass
class Outcome:
    """What a run made and found: cases sent, and the failures by kind (one line each)."""

    cases: int = 0
    operations: int = 0
    server_errors: list[str] = field(default_factory=list)
    violations: list[str] = field(default_factory=list)
    seconds: float = 0.0
    by_status: dict[int, int] = field(default_factory=dict)

    def failures(self) -> list[str]:
        return self.server_errors + self.violations


def served_schema(key: str) -> dict[str, Any]:
    """The schema exactly as /api/v1/schema/ serves it to a token."""
    response = Client(HTTP_AUTHORIZATION=f"Token {key}").get(
        "/api/v1/schema/", {"format": "json"})
    assert response.status_code == 200, response.content[:500]
    return response.json()  # type: ignore[no-any-return]


def existing_ids(per_model: int = 25) -> list[int]:
    """The first ids of every model with an integer key: a path id drawn from them names a row
    that exists for whichever endpoint the case targets (generic: no list of endpoints)."""
    ids: set[int] = set()
    for model in apps.get_models():
        if isinstance(model._meta.pk, (models.AutoField, models.BigAutoField)):
            ids.update(model._default_manager.order_by("pk").values_list(
                "pk", flat=True)[:per_model])
    return sorted(ids)


def _describe(case: Any, failure: Failure, status: int) -> str:
    return (f"{case.operation.label} [{case.meta.generation.mode if case.meta else '?'}] "
            f"→ {status}: {failure.title} — {str(failure.message)[:300]} "
            f"(path={case.path_parameters} query={case.query}"
            + ("" if isinstance(case.body, NotSet) else f" body={str(case.body)[:200]}") + ")")


def _harvest(data: Any, pool: list[int], seen: set[int], limit: int = 5000) -> None:
    """Collect the integer "id"s of an answer's rows into `pool`, so later path ids name rows
    the caller can see (lists feed details, whatever the endpoints are)."""
    stack = [data]
    while stack and len(pool) < limit:
        item = stack.pop()
        if isinstance(item, dict):
            value = item.get("id")
            if isinstance(value, int) and not isinstance(value, bool) and value not in seen:
                seen.add(value)
                pool.append(value)
            stack.extend(item.values())
        elif isinstance(item, list):
            stack.extend(item)


def run_schema(schema_dict: dict[str, Any], key: str, *, examples: int, ids: Iterable[int],
               negative: bool = True, keep_token: Callable[[], None] | None = None,
               seed: int = 16) -> Outcome:
    """Every operation of the schema, `examples` generated cases per operation and mode
    (positive, then negative), each sent to the WSGI app with `key` and checked; failures are
    collected (not raised) so a run reports all it finds. The per-token rate limit is lifted
    (it has its own test): a 429 would only hide the endpoints."""
    schema = schemathesis.openapi.from_dict(schema_dict)
    schema.app = WSGIHandler()
    headers = {"Authorization": f"Token {key}"}
    pool = sorted(set(ids)) or [1]
    run = _Run(headers=headers, pool=pool, seen=set(pool), examples=examples, out=Outcome(),
               keep_token=keep_token)
    modes = [GenerationMode.POSITIVE] + ([GenerationMode.NEGATIVE] if negative else [])
    start = time.perf_counter()
    with override_settings(API_THROTTLE_RATE="100000000/min"), _connection_kept():
        for result in schema.get_all_operations():
            operation = result.ok()
            run.out.operations += 1
            for mode in modes:
                _run_operation(run, operation, mode,
                               seed + run.out.operations * 2 + (mode is GenerationMode.NEGATIVE))
    run.out.seconds = time.perf_counter() - start
    return run.out


@contextlib.contextmanager
def _connection_kept() -> Iterator[None]:
    """As django.test.Client does: the WSGI handler does not close the database connection at
    each request's end (the run may be inside a transaction that is rolled back)."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        yield
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)


@dataclass
class _Run:
    headers: dict[str, str]
    pool: list[int]
    seen: set[int]
    examples: int
    out: Outcome
    keep_token: Callable[[], None] | None


def _run_operation(run: _Run, operation: Any, mode: GenerationMode, run_seed: int) -> None:
    checks = NEGATIVE_CHECKS if mode is GenerationMode.NEGATIVE else CHECKS
    out = run.out

    @seed(run_seed)
    @settings(max_examples=run.examples, deadline=None, database=None,
              phases=[Phase.explicit, Phase.generate], suppress_health_check=list(HealthCheck))
    @given(case=operation.as_strategy(generation_mode=mode),
           real=st.one_of(st.none(), st.integers(min_value=0, max_value=2**31)))
    def one(case: Any, real: int | None) -> None:
        if mode is GenerationMode.NEGATIVE:
            # an empty object or list in a query serializes to no parameter at all: that is
            # the absent (valid) parameter, not a malformed request
            assume(not any(v in ({}, []) for v in (case.query or {}).values()))
        elif real is not None:  # half of the valid cases name a row that exists
            for name, value in list((case.path_parameters or {}).items()):
                if isinstance(value, int) and not isinstance(value, bool):
                    case.path_parameters[name] = run.pool[real % len(run.pool)]
        if run.keep_token is not None:
            run.keep_token()  # a generated revoke may have named the caller's own token
        response = case.call(headers=run.headers)
        out.cases += 1
        out.by_status[response.status_code] = out.by_status.get(response.status_code, 0) + 1
        if response.status_code == 200 and mode is GenerationMode.POSITIVE:
            with contextlib.suppress(ValueError):
                _harvest(response.json(), run.pool, run.seen)
        try:
            case.validate_response(response, checks=checks, headers=run.headers)
        except FailureGroup as group:
            for failure in group.exceptions:
                line = _describe(case, failure, response.status_code)
                (out.server_errors if isinstance(failure, ServerError)
                 else out.violations).append(line)

    one()


def _keeper(key_pk: int) -> Callable[[], None]:
    def keep() -> None:
        ApiToken.objects.filter(pk=key_pk, revoked_at__isnull=False).update(revoked_at=None)
    return keep


def _run(user: Any, examples: int) -> Outcome:
    key = new_key(user, name="Kiểm thử sinh tự động")
    token = ApiToken.objects.filter(user=user).latest("pk")
    out = run_schema(served_schema(key), key, examples=examples, ids=existing_ids(),
                     keep_token=_keeper(token.pk))
    print(f"schemathesis: {out.operations} operations, {out.cases} cases, "
          f"{len(out.server_errors)} server errors, {len(out.violations)} schema violations, "
          f"{out.seconds:.1f} s, statuses {dict(sorted(out.by_status.items()))}")
    return out


@pytest.mark.django_db
def test_api1_generated_requests_over_the_whole_schema_never_500_and_match_it(
        api_world: ApiWorld) -> None:
    out = _run(api_world.world.district_a_cadre, EXAMPLES)

    assert out.failures() == [], "\n".join(out.failures()[:20])
    assert out.operations >= 10 and out.cases >= out.operations * EXAMPLES
    assert out.by_status.get(200, 0) > out.operations  # real rows answered, not only refusals
    assert out.by_status.get(400, 0) > 0  # the malformed half was refused


@pytest.mark.django_db
def test_api1_generated_requests_as_an_outsider_never_500_and_match_the_schema(
        api_world: ApiWorld) -> None:
    out = _run(api_world.world.outsider, EXAMPLES // 2)

    assert out.failures() == [], "\n".join(out.failures()[:20])
    assert out.cases >= out.operations * (EXAMPLES // 2)
    assert out.by_status.get(200, 0) > 0 and out.by_status.get(404, 0) > 0


# -- what the generated run found, pinned ------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize(("url", "field"), [
    ("/api/v1/van-ban/?so_dong=5&so_dong=x", "so_dong"),  # given twice: ambiguous
    ("/api/v1/van-ban/?nam=", "nam"),  # a number sent blank is not the default
    ("/api/v1/don-vi/?ngay=01/01/2020&ngay=02/01/2020", "ngay"),
    # a closed choice sent blank is not "no filter" (base.choice_param, every list's states)
    ("/api/v1/van-ban/?trang_thai=", "trang_thai"),
    ("/api/v1/doan-vien/?don_vi=", "don_vi"),
    ("/api/v1/khac-phuc/?qua_han=", "qua_han"),
    ("/api/v1/khao-sat/?doi_tuong=", "doi_tuong"),
    ("/api/v1/di-co-so/?trang_thai=", "trang_thai"),
    ("/api/v1/kiem-tra/?trang_thai=", "trang_thai"),
    ("/api/v1/thi-dua/phieu/?trang_thai=", "trang_thai"),
])
def test_api1_a_repeated_or_blank_number_parameter_is_a_400_naming_it(
        api_world: ApiWorld, url: str, field: str) -> None:
    response = Client(HTTP_AUTHORIZATION=f"Token {api_world.a_key}").get(url)

    assert response.status_code == 400, response.content
    assert list(response.json()["loi"]["truong"]) == [field]


@pytest.mark.django_db
def test_api1_a_post_to_an_address_that_is_no_endpoint_is_the_json_404(
        api_world: ApiWorld) -> None:
    client = Client(HTTP_AUTHORIZATION=f"Token {api_world.a_key}", enforce_csrf_checks=True)

    response = client.post("/api/v1/khoa-truy-cap/-5/thu-hoi/")

    assert response.status_code == 404
    assert response.json()["loi"]["ma"] == "khong_tim_thay"
