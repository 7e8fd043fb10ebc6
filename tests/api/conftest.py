"""API fixtures: the shared `world` with members, obligations and documents on both sides of
the province (district A: Châu Thành, district B: Tân Biên), and tokens made by the service."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

import pytest
from django.test import Client

from doanvu.accounts.models import User
from doanvu.api import services
from doanvu.common.dates import today
from doanvu.documents.models import Document, DocumentType
from doanvu.documents.services import document_create
from doanvu.hub import rules
from doanvu.hub import services as hub
from doanvu.hub.models import Obligation
from doanvu.members.models import Membership
from tests.conftest import World
from tests.members.conftest import make_member

A_NAMES = ["Nguyễn Văn An", "Trần Thị Bình", "Lê Văn Cường"]
B_NAME = "Phạm Thị Tân Biên"  # a member of district B: must never reach district A's answers
B_DOC = "Kế hoạch riêng của Huyện đoàn Tân Biên"
B_OB = "Báo cáo riêng của xã Tân Lập"


@dataclass
class ApiWorld:
    world: World
    a_members: list[Membership]
    b_member: Membership
    a_obligation: Obligation  # owed by district A to the province
    b_obligation: Obligation  # owed by commune B1 to district B
    a_document: Document
    b_document: Document
    a_key: str  # district A cadre's token
    b_key: str  # district B cadre's token

    @property
    def foreign_names(self) -> list[str]:
        return [B_NAME, B_DOC, B_OB, "Huyện đoàn Tân Biên", "Đoàn xã Tân Lập",
                "Chi đoàn ấp Tân Đông"]


def api(key: str) -> Client:
    return Client(HTTP_AUTHORIZATION=f"Token {key}")


def new_key(user: User, *, name: str = "Hệ thống tỉnh", days: int = 30) -> str:
    return services.token_create(actor=user, user=user, name=name,
                                 expires_on=today() + dt.timedelta(days=days)).key


def body(response: Any) -> Any:
    return response.json()


def all_pages(client: Any, url: str, **params: Any) -> list[dict[str, Any]]:
    """Every row of a list endpoint, following `trang_sau` (each page must answer 200)."""
    rows: list[dict[str, Any]] = []
    cursor = None
    for _ in range(500):
        response = client.get(url, {**params, **({"sau": cursor} if cursor else {})})
        assert response.status_code == 200, response.content
        rows += body(response)["ket_qua"]
        cursor = body(response)["trang_sau"]
        if cursor is None:
            return rows
    raise AssertionError("more than 500 pages")


@pytest.fixture
def api_world(world: World) -> ApiWorld:
    a_members = [make_member(world.branch_a1, n, cccd=f"07200000000{i}",
                             birth=dt.date(2001, 1, 1 + i))
                 for i, n in enumerate(A_NAMES)]
    b_member = make_member(world.branch_b1, B_NAME, cccd="072000000099")
    due = today() + dt.timedelta(days=5)
    a_ob = hub.obligation_create(actor=None, kind="bao_cao_quy", kind_label="Báo cáo quý",
                                 title="Báo cáo quý của Châu Thành", owed_by_unit=world.district_a,
                                 owed_to_unit=world.province, rule=rules.DueRule.fixed(due))
    b_ob = hub.obligation_create(actor=None, kind="bao_cao_quy", kind_label="Báo cáo quý",
                                 title=B_OB, owed_by_unit=world.commune_b1,
                                 owed_to_unit=world.district_b, rule=rules.DueRule.fixed(due))
    plan = DocumentType.objects.get(code="ke_hoach")
    a_doc = document_create(actor=world.admin, issuing_unit=world.district_a, doc_type=plan,
                            title="Kế hoạch của Huyện đoàn Châu Thành", body_code="HĐCT",
                            place="Châu Thành")
    b_doc = document_create(actor=world.admin, issuing_unit=world.district_b, doc_type=plan,
                            title=B_DOC, body_code="HĐTB", place="Tân Biên")
    return ApiWorld(world, a_members, b_member, a_ob, b_ob, a_doc, b_doc,
                    new_key(world.district_a_cadre), new_key(world.district_b_cadre))
