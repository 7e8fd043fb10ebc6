"""Issue 10 item 13: documents reach the units they are addressed to.

Recipients chosen from the tree (units, groups of sub-units expanded on the issue date), the
incoming documents of a unit (văn bản đến) with who opened them, the issuing office's view of
who has not, the printed "Nơi nhận", and the reports a document asks of its recipients."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from doanvu.common.dates import today
from doanvu.documents import rendering, services
from doanvu.documents.addressing import Address
from doanvu.documents.models import Document, DocumentRecipient, RecipientGroup
from doanvu.documents.selectors import IncomingFilter, incoming_list
from doanvu.hub.models import Obligation
from doanvu.org import services as org_services
from tests.conftest import World, grant, kind, login, make_user
from tests.documents.conftest import doc_type, make_draft

ON = today()


def _issue(world: World, *addresses: Address, **kwargs: object) -> Document:
    draft = make_draft(world.province, addresses=list(addresses), **kwargs)
    return services.document_issue(actor=None, document=draft, issued_on=ON)


def _recipients(document: Document) -> list[str]:
    return sorted(DocumentRecipient.objects.filter(document=document)
                  .values_list("unit__name", flat=True))


# -- groups ----------------------------------------------------------------------------------


def test_i10_group_expands_to_the_direct_subunits_of_its_kind(world: World) -> None:
    to_districts = _issue(world, Address(unit=world.province, group=RecipientGroup.ALL))
    to_communes = services.document_issue(actor=None, document=make_draft(
        world.district_a, addresses=[Address(unit=world.district_a,
                                              group=RecipientGroup.GRASSROOTS)]), issued_on=ON)
    to_branches = services.document_issue(actor=None, document=make_draft(
        world.district_a, addresses=[Address(unit=world.district_a,
                                              group=RecipientGroup.BRANCHES)]), issued_on=ON)

    assert _recipients(to_districts) == ["Huyện đoàn Châu Thành", "Huyện đoàn Tân Biên"]
    assert _recipients(to_communes) == ["Đoàn xã Hảo Đước", "Đoàn xã Thái Bình"]
    assert _recipients(to_branches) == []  # branches sit under the communes, not directly


def test_i10_group_is_expanded_as_the_tree_stood_on_the_issue_date(world: World) -> None:
    later = org_services.unit_create(actor=None, parent=world.province, name="Thị đoàn Mới",
                                     kind=kind("huyen"), founded_on=dt.date(2024, 1, 1))

    old = services.document_register_issued(
        actor=None, issuing_unit=world.province, doc_type=doc_type(), number=12,
        issued_on=dt.date(2020, 2, 14), title="Kế hoạch năm 2020", signer_title="BÍ THƯ",
        signer_name="Hoàng Thị Thanh Thúy",
        addresses=[Address(unit=world.province, group=RecipientGroup.ABOVE_GRASSROOTS)])
    new = _issue(world, Address(unit=world.province, group=RecipientGroup.ABOVE_GRASSROOTS))

    assert later.name not in _recipients(old)
    assert _recipients(old) == ["Huyện đoàn Châu Thành", "Huyện đoàn Tân Biên"]
    assert later.name in _recipients(new)


def test_i10_addressees_the_actor_may_not_reach_are_refused(world: World) -> None:
    with pytest.raises(services.DocumentError) as refused:
        services.document_create(
            actor=world.district_a_cadre, issuing_unit=world.district_a, doc_type=doc_type(),
            title="Kế hoạch", body_code="HĐ", place="Tây Ninh",
            addresses=[Address(unit=world.district_b)])
    # a unit above the issuer may be addressed (a report "b/c" to the province)
    draft = services.document_create(
        actor=world.district_a_cadre, issuing_unit=world.district_a, doc_type=doc_type(),
        title="Kế hoạch", body_code="HĐ", place="Tây Ninh",
        addresses=[Address(unit=world.province)])

    assert refused.value.field == "recipient_units"
    assert refused.value.message == "Không tìm thấy đơn vị nơi nhận đã chọn."
    assert [a.unit_id for a in draft.addresses.all()] == [world.province.pk]


# -- who reads ---------------------------------------------------------------------------------


def test_i10_a_recipient_reads_and_downloads_the_issued_document_others_do_not(
        world: World) -> None:
    document = _issue(world, Address(unit=world.district_a))
    detail = reverse("documents:detail", args=[document.pk])
    docx = reverse("documents:download", args=[document.pk, "docx"])

    assert login(world.district_a_cadre).get(detail).status_code == 200
    assert login(world.district_a_cadre).get(docx).status_code == 200
    for outsider in (world.district_b_cadre, world.branch_secretary, world.outsider):
        assert login(outsider).get(detail).status_code == 404
        assert login(outsider).get(docx).status_code == 404


def test_i10_a_draft_stays_with_its_issuer_even_with_recipients_chosen(world: World) -> None:
    draft = make_draft(world.province, addresses=[Address(unit=world.district_a)])
    cadre = login(world.district_a_cadre)

    assert cadre.get(reverse("documents:detail", args=[draft.pk])).status_code == 404
    assert cadre.get(reverse("documents:download", args=[draft.pk, "pdf"])).status_code == 404
    assert DocumentRecipient.objects.filter(document=draft).count() == 0
    assert "Kế hoạch kiểm tra năm" not in cadre.get(reverse("documents:incoming")).content.decode()


# -- văn bản đến ---------------------------------------------------------------------------------


def test_i10_incoming_lists_unread_first_and_opening_records_the_receipt(world: World) -> None:
    first = _issue(world, Address(unit=world.district_a), title="Kế hoạch thứ nhất")
    second = _issue(world, Address(unit=world.district_a), title="Kế hoạch thứ hai")
    cadre = login(world.district_a_cadre)
    cadre.get(reverse("documents:detail", args=[first.pk]))
    receipt = DocumentRecipient.objects.get(document=first, unit=world.district_a)
    opened_at = receipt.opened_at
    cadre.get(reverse("documents:detail", args=[first.pk]))  # a second opening changes nothing

    page = cadre.get(reverse("documents:incoming")).content.decode()

    assert receipt.opened_by == world.district_a_cadre
    assert opened_at is not None
    assert DocumentRecipient.objects.get(pk=receipt.pk).opened_at == opened_at
    assert page.index("Kế hoạch thứ hai") < page.index("Kế hoạch thứ nhất")
    assert [r.document_id for r in incoming_list(
        scope=_scope(world.district_a_cadre), filters=IncomingFilter(unread=True))] == [second.pk]


def _scope(user: object) -> object:
    from doanvu.accounts.scope import Scope

    return Scope.for_user(user)


def test_i10_reading_a_lower_units_copy_does_not_open_it_for_that_unit(world: World) -> None:
    centre_cadre = make_user("canbo_tw")
    grant(centre_cadre, "bi_thu", world.centre)
    document = services.document_issue(actor=None, document=make_draft(
        world.centre, addresses=[Address(unit=world.province), Address(unit=world.district_a)]),
        issued_on=ON)

    login(world.province_secretary).get(reverse("documents:detail", args=[document.pk]))

    opened = dict(DocumentRecipient.objects.filter(document=document)
                  .values_list("unit_id", "opened_by_id"))
    assert opened == {world.province.pk: world.province_secretary.pk, world.district_a.pk: None}


def test_i10_incoming_shows_only_units_in_reach_and_not_ones_own_outgoing(
        world: World) -> None:
    _issue(world, Address(unit=world.district_a), title="Kế hoạch gửi Châu Thành")
    _issue(world, Address(unit=world.district_b), title="Kế hoạch gửi Tân Biên")

    def listed(user: object, **kw: object) -> list[str]:
        return [r.document.title for r in incoming_list(scope=_scope(user),
                                                        filters=IncomingFilter(**kw))]

    assert listed(world.district_a_cadre) == ["Kế hoạch gửi Châu Thành"]
    assert listed(world.district_b_cadre) == ["Kế hoạch gửi Tân Biên"]
    assert listed(world.outsider) == []
    assert listed(world.branch_secretary) == []
    # the province's own plans are its outgoing documents, not its incoming ones…
    assert listed(world.province_secretary) == []
    # …but it may look at what one of its districts received
    assert listed(world.province_secretary, unit_id=world.district_b.pk) == [
        "Kế hoạch gửi Tân Biên"]
    # a district cannot ask for another's
    assert listed(world.district_a_cadre, unit_id=world.district_b.pk) == []


def test_i10_the_register_links_incoming_with_the_unread_count(world: World) -> None:
    _issue(world, Address(unit=world.district_a))
    _issue(world, Address(unit=world.district_a))

    page = login(world.district_a_cadre).get(reverse("documents:register")).content.decode()
    outsider = login(world.outsider).get(reverse("documents:register")).content.decode()

    assert reverse("documents:incoming") in page
    assert 'data-testid="incoming-unread">2 chưa mở' in page
    assert "incoming-unread" not in outsider


def test_i10_the_issuing_office_sees_who_opened_and_who_has_not(world: World) -> None:
    document = _issue(world, Address(unit=world.province, group=RecipientGroup.ALL))
    login(world.district_a_cadre).get(reverse("documents:detail", args=[document.pk]))
    url = reverse("documents:detail", args=[document.pk])

    office = login(world.province_secretary).get(url).content.decode()
    recipient = login(world.district_a_cadre).get(url).content.decode()

    section = office[office.index('data-testid="doc-receipts"'):]
    assert "1/2 đơn vị nhận đã mở." in section
    assert section.index("Huyện đoàn Tân Biên") < section.index("Huyện đoàn Châu Thành")
    assert "Chưa mở" in section
    assert world.district_a_cadre.full_name in section
    assert 'data-testid="doc-receipts"' not in recipient


# -- Nơi nhận on the document --------------------------------------------------------------


def test_i10_noi_nhan_prints_the_chosen_units_before_luu(world: World) -> None:
    draft = make_draft(world.province, recipients=["Ban Thường vụ Trung ương Đoàn (b/c);",
                                                   "Lưu VP."],
                       addresses=[Address(unit=world.province, group=RecipientGroup.ALL),
                                  Address(unit=world.centre, label="Ban Bí thư TW Đoàn (b/c)")])
    plain = make_draft(world.province, recipients=["Ban Thường vụ Tỉnh đoàn;", "Lưu VP."])

    assert rendering.layout(draft).recipients == (
        "Ban Thường vụ Trung ương Đoàn (b/c);",
        "Các đơn vị trực thuộc;",
        "Ban Bí thư TW Đoàn (b/c);",
        "Lưu VP.",
    )
    assert rendering.layout(plain).recipients == ("Ban Thường vụ Tỉnh đoàn;", "Lưu VP.")


def test_i10_an_issued_documents_noi_nhan_does_not_follow_a_later_rename(world: World) -> None:
    document = _issue(world, Address(unit=world.district_a))
    org_services.unit_rename(actor=None, unit=world.district_a, name="Thị đoàn Châu Thành",
                             on=ON)

    assert "Huyện đoàn Châu Thành;" in rendering.layout(
        Document.objects.get(pk=document.pk)).recipients


def test_i10_units_alone_are_enough_recipients_to_issue(world: World) -> None:
    draft = make_draft(world.province, recipients=[], addresses=[Address(unit=world.district_a)])

    issued = services.document_issue(actor=None, document=draft, issued_on=ON)

    assert issued.number == 1


def test_i10_compose_form_keeps_groups_and_picked_units(world: World) -> None:
    client = login(world.province_secretary)
    url = reverse("documents:compose") + f"?don_vi={world.province.pk}"
    data = {"doc_type": doc_type().pk, "title": "Kế hoạch gửi huyện", "header_upper": "BCH",
            "body_code": "TĐTN", "place": "Tây Ninh", "recipient_groups": ["truc_thuoc"],
            "recipient_units": [str(world.commune_a1.pk)], "recipients": "- Lưu VP."}

    response = client.post(url, data)
    refused = login(world.district_a_cadre).post(
        reverse("documents:compose") + f"?don_vi={world.district_a.pk}",
        {**data, "body_code": "HĐ", "recipient_units": [str(world.district_b.pk)]})

    document = Document.objects.get(title="Kế hoạch gửi huyện")
    assert response.status_code == 302
    assert [(a.unit_id, a.group) for a in document.addresses.all()] == [
        (world.province.pk, "truc_thuoc"), (world.commune_a1.pk, "")]
    assert refused.status_code == 200
    assert "Không tìm thấy đơn vị nơi nhận đã chọn." in refused.content.decode()
    assert not Document.objects.filter(issuing_unit=world.district_a).exists()
    edit = client.get(reverse("documents:edit", args=[document.pk])).content.decode()
    assert f'name="recipient_units" value="{world.commune_a1.pk}" checked' in edit


def test_i10_recipient_picker_offers_units_in_reach_and_above_the_issuer(world: World) -> None:
    url = reverse("documents:recipient_pick")
    client = login(world.district_a_cadre)

    found = client.get(url, {"don_vi": world.district_a.pk, "q": "doan"}).content.decode()
    added = client.get(url, {"don_vi": world.district_a.pk, "chon": world.province.pk})
    foreign = client.get(url, {"don_vi": world.district_a.pk, "chon": world.district_b.pk})
    other_issuer = client.get(url, {"don_vi": world.district_b.pk, "q": "doan"})

    assert "Đoàn xã Thái Bình" in found and "Tỉnh đoàn Tây Ninh" in found
    assert "Huyện đoàn Tân Biên" not in found and "Đoàn xã Tân Lập" not in found
    assert f'value="{world.province.pk}" checked' in added.content.decode()
    assert foreign.status_code == 404
    assert other_issuer.status_code == 404


# -- what a document asks of its recipients -------------------------------------------------


def test_i10_a_reporting_deadline_makes_one_obligation_per_recipient_linked_to_it(
        world: World) -> None:
    document = _issue(world, Address(unit=world.province, group=RecipientGroup.ALL),
                      report_due_on=ON + dt.timedelta(days=30),
                      report_title="Báo cáo kết quả đi cơ sở quý")

    obligations = list(Obligation.objects.filter(source_id=document.pk).order_by("pk"))
    page = login(world.district_a_cadre).get(reverse(
        "hub:obligation_detail", args=[next(o.pk for o in obligations
                                            if o.owed_by_unit_id == world.district_a.pk)]))

    assert sorted(o.owed_by_unit.name for o in obligations) == [
        "Huyện đoàn Châu Thành", "Huyện đoàn Tân Biên"]
    assert {(o.owed_to_unit_id, o.due_on, o.title, o.source) for o in obligations} == {
        (world.province.pk, ON + dt.timedelta(days=30), "Báo cáo kết quả đi cơ sở quý",
         document)}
    link = f'href="{reverse("documents:detail", args=[document.pk])}"'
    assert link in page.content.decode()
    follow = login(world.district_a_cadre).get(reverse("documents:detail", args=[document.pk]))
    assert follow.status_code == 200


def test_i10_a_reporting_deadline_before_the_issue_date_is_refused(world: World) -> None:
    draft = make_draft(world.province, addresses=[Address(unit=world.district_a)],
                       report_due_on=ON - dt.timedelta(days=1))

    page = login(world.province_secretary).get(reverse("documents:detail", args=[draft.pk]))
    with pytest.raises(services.DocumentError) as refused:
        services.document_issue(actor=world.province_secretary, document=draft, issued_on=ON)

    assert "mỗi đơn vị nhận có một việc phải nộp báo cáo" in page.content.decode()
    assert refused.value.field == "report_due_on"
    assert Document.objects.get(pk=draft.pk).is_draft
    assert not Obligation.objects.exists()
    assert not DocumentRecipient.objects.exists()


def test_i10_no_deadline_makes_no_obligation(world: World) -> None:
    _issue(world, Address(unit=world.district_a))

    assert not Obligation.objects.exists()


def test_i10_a_unit_dissolved_after_it_was_addressed_is_refused_at_issue(
        world: World) -> None:
    unit = org_services.unit_create(actor=None, parent=world.province, name="Thị đoàn Mới",
                                    kind=kind("huyen"), founded_on=dt.date(2020, 1, 1))
    draft = make_draft(world.province, addresses=[Address(unit=unit)])
    org_services.unit_dissolve(actor=None, unit=unit, on=ON)

    with pytest.raises(services.DocumentError) as refused:
        services.document_issue(actor=None, document=draft, issued_on=ON)

    assert refused.value.field == "recipient_units"
    assert "Thị đoàn Mới" in refused.value.message


def test_i10_incoming_page_reads_a_fixed_number_of_queries(world: World) -> None:
    client = login(world.district_a_cadre)
    _issue(world, Address(unit=world.district_a))
    client.get(reverse("documents:incoming"))  # warm the session and caches
    with CaptureQueriesContext(connection) as few:
        client.get(reverse("documents:incoming"))
    for n in range(4):
        _issue(world, Address(unit=world.district_a), title=f"Kế hoạch số {n}")

    with CaptureQueriesContext(connection) as many:
        response = client.get(reverse("documents:incoming"))

    assert response.content.decode().count("Chưa mở</span>") == 5
    assert len(many) == len(few)
