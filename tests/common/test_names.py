"""Finding 9 of issue 8: invisible characters (zero-width, bidi controls, other controls) make
look-alike names; every form and service that takes a person's or unit's name refuses them,
naming the field (`common.text.clean_name`)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from django.urls import reverse

from doanvu.accounts import services as account_services
from doanvu.common.errors import ApplicationError
from doanvu.common.text import clean_name, strip_hidden
from doanvu.members.core import services as member_services
from doanvu.members.imports.services import import_job_check, import_job_create
from doanvu.members.models import Membership
from doanvu.org import services as org_services
from doanvu.org.models import Person, Unit
from tests.conftest import World, kind, login
from tests.members.conftest import MembersWorld, members_world  # noqa: F401 - the fixture
from tests.members.test_import_mem13 import csv_bytes, good_rows, upload

HIDDEN = ["\u200b", "\u200c", "\u200d", "\u2060", "\ufeff", "\u202a", "\u202b", "\u202c",
          "\u202d", "\u202e", "\u2066", "\u2067", "\u2068", "\u2069", "\u200e", "\u200f",
          "\u061c", "\x01", "\x7f"]


def test_sec8_clean_name_refuses_every_invisible_character_naming_the_field() -> None:
    refused = []
    for ch in HIDDEN:
        with pytest.raises(ApplicationError) as exc:
            clean_name(f"Nguyễn Văn{ch} An", field="full_name", label="Họ và tên")
        refused.append((exc.value.field, exc.value.message))

    assert refused[0] == ("full_name", "Họ và tên có ký tự ẩn hoặc ký tự điều khiển (U+200B), "
                                       "có thể làm tên trông giống một tên khác: hãy gõ lại họ "
                                       "và tên.")
    assert [m.split("(")[1][:6] for _f, m in refused] == [f"U+{ord(c):04X}" for c in HIDDEN]
    assert clean_name("  Nguyễn\tVăn  An ", field="full_name", label="Họ và tên") == (
        "Nguyễn Văn An")
    assert strip_hidden("Tây\u200b Ninh\u202e\x01") == "Tây Ninh"


def test_sec8_member_admit_refuses_a_look_alike_name(members_world: MembersWorld  # noqa: F811
                                                     ) -> None:
    w = members_world.world
    before = Membership.objects.count()
    refused = []
    for ch in ("\u200b", "\u202e", "\u2066", "\ufeff"):
        with pytest.raises(member_services.MemberError) as exc:
            member_services.member_admit(
                actor=None, branch=w.branch_a1, joined_union_on=dt.date(2022, 3, 26),
                person=member_services.PersonInput(full_name=f"Võ Thị{ch} Hồng",
                                                   birth_date=dt.date(2005, 2, 3), gender="nu"))
        refused.append(exc.value.field)

    assert refused == ["full_name"] * 4
    assert Membership.objects.count() == before
    assert not Person.objects.filter(full_name__startswith="Võ Thị").exists()


def test_sec8_free_text_of_a_person_loses_invisible_characters(
        members_world: MembersWorld) -> None:  # noqa: F811
    w = members_world.world

    m = member_services.member_admit(
        actor=None, branch=w.branch_a1, joined_union_on=dt.date(2022, 3, 26),
        person=member_services.PersonInput(full_name="Võ Thị Hồng", birth_date=dt.date(2005, 2, 3),
                                           gender="nu", hometown="Tây\u200b Ninh\u202e"))

    assert m.person.hometown == "Tây Ninh"


def test_sec8_unit_services_and_accounts_refuse_look_alike_names(world: World) -> None:
    errors = []
    with pytest.raises(org_services.OrgError) as exc:
        org_services.unit_create(actor=None, parent=world.branch_a1, name="Phân đoàn\u200d 1",
                                 kind=kind("phan_doan"), founded_on=dt.date(2020, 1, 1))
    errors.append((exc.value.field, exc.value.message[:29]))
    with pytest.raises(org_services.OrgError) as exc:
        org_services.unit_rename(actor=None, unit=world.district_a, on=dt.date(2020, 1, 1),
                                 name="Huyện đoàn Châu\u202e Thành")
    errors.append((exc.value.field, exc.value.message[:29]))
    for username, full_name in (("can\u200bbo", "Cán bộ"), ("canbo", "Cán\u2067 bộ")):
        with pytest.raises(account_services.GrantError) as exc:
            account_services.user_create(actor=world.admin, username=username,
                                         full_name=full_name, password="Mk-dai-hon-8")
        errors.append((exc.value.field, exc.value.message[:29]))

    assert errors == [("name", "Tên đơn vị có ký tự ẩn hoặc k"),
                      ("name", "Tên đơn vị có ký tự ẩn hoặc k"),
                      ("username", "Tên đăng nhập có ký tự ẩn hoặ"),
                      ("full_name", "Họ và tên có ký tự ẩn hoặc ký")]
    assert Unit.objects.get(pk=world.district_a.pk).name == "Huyện đoàn Châu Thành"
    assert not Unit.objects.filter(name__startswith="Phân đoàn").exists()


def test_sec8_rename_form_shows_the_refusal_beside_the_name(world: World) -> None:
    client = login(world.district_a_cadre)

    response = client.post(reverse("org:unit_rename", args=[world.district_a.pk]),
                           {"name": "Thị đoàn\u200b Châu Thành", "on": "01/01/2020"})

    body = response.content.decode()
    assert response.status_code == 200
    assert ("Tên đơn vị có ký tự ẩn hoặc ký tự điều khiển (U+200B), có thể làm tên trông giống "
            "một tên khác: hãy gõ lại tên đơn vị.") in body
    assert Unit.objects.get(pk=world.district_a.pk).name == "Huyện đoàn Châu Thành"


def test_sec8_import_row_with_a_look_alike_name_is_refused(
        members_world: MembersWorld, settings: object, tmp_path: Path) -> None:  # noqa: F811
    settings.MEDIA_ROOT = str(tmp_path)  # type: ignore[attr-defined]
    settings.MEMBER_IMPORT_SPOOL_DIR = str(tmp_path / "spool")  # type: ignore[attr-defined]
    rows = good_rows(3)
    rows[1][1] = "Võ Thị\u202e Hạnh 2"
    w = members_world.world
    job = import_job_create(actor=w.admin, unit=w.commune_a1,
                            upload=upload("ds.csv", csv_bytes(rows)))

    import_job_check(job=job, mapping=job.mapping)
    job.refresh_from_db()

    assert job.report["errors"] == [
        [3, "Họ và tên", "Họ và tên có ký tự ẩn hoặc ký tự điều khiển (U+202E), có thể làm tên "
                         "trông giống một tên khác: hãy gõ lại họ và tên."]]
    assert (job.report["added"], job.bad_rows) == (2, 1)


def test_sec8_cadre_persons_departments_and_signers_refuse_look_alike_names(
        world: World) -> None:
    from doanvu.documents.services import DocumentError
    from doanvu.org import agency
    from tests.documents.conftest import make_draft

    fields = []
    with pytest.raises(agency.AgencyError) as exc:
        agency.person_resolve(full_name="Trần\u200b Văn Bình")
    fields.append(exc.value.field)
    with pytest.raises(agency.AgencyError) as exc:
        agency.department_create(actor=None, unit=world.district_a, name="Ban\u202e Tổ chức",
                                 short_name="", category=world.tckt.category, valid_from=None)
    fields.append(exc.value.field)
    with pytest.raises(DocumentError) as exc:
        make_draft(world.district_a, signer_name="Hoàng\u2066 Thị Thúy")
    fields.append(exc.value.field)

    assert fields == ["full_name", "name", "signer_name"]
    assert not Person.objects.filter(full_name__startswith="Trần").exists()
