"""The register numbers outgoing documents per issuing unit, year and type (DOC-2): in order,
separately per type, year and unit, never twice — also under concurrent issuing — and only
documents that are complete are issued (issue 3, "Bad input")."""

from __future__ import annotations

import datetime as dt
import threading
import time

import pytest
from django.db import OperationalError, connection, connections

from doanvu.audit.models import AuditRecord
from doanvu.documents import services
from doanvu.documents.models import Document, DocumentCounter, DocumentStatus
from doanvu.documents.services import DocumentError, DocumentNotDraft, DocumentNotReady, NumberTaken
from doanvu.org import services as org_services
from tests.conftest import World
from tests.documents.conftest import doc_type, issue, make_draft

pytestmark = pytest.mark.django_db

D2020 = dt.date(2020, 3, 2)


def symbols(unit_id: int) -> list[str]:
    return list(Document.objects.filter(issuing_unit_id=unit_id).order_by("pk")
                .values_list("symbol", flat=True))


# -- numbering -------------------------------------------------------------------------------------


def test_doc2_numbers_follow_each_other_per_unit_year_and_type(world: World) -> None:
    p = world.province

    kh = [issue(p, D2020).symbol for _ in range(3)]
    with_dept = issue(p, D2020, department=world.tckt).symbol
    tb = issue(p, D2020, code="thong_bao").symbol
    next_year = issue(p, dt.date(2021, 1, 4)).symbol
    other_unit = issue(world.district_a, D2020).symbol

    assert kh == ["1-KH/TĐTN", "2-KH/TĐTN", "3-KH/TĐTN"]
    assert with_dept == "4-KH/TĐTN-TCKT"
    assert tb == "1-TB/TĐTN"
    assert next_year == "1-KH/TĐTN"
    assert other_unit == "1-KH/HĐ"


def test_doc2_issuing_fixes_number_year_date_and_symbol(world: World) -> None:
    draft = make_draft(world.province, department=world.tckt, body_code="TĐTN")

    issued = services.document_issue(actor=world.province_secretary, document=draft,
                                     issued_on=dt.date(2018, 4, 18))

    row = Document.objects.get(pk=draft.pk)
    assert (row.number, row.year, row.issued_on, row.status, row.symbol) == (
        1, 2018, dt.date(2018, 4, 18), DocumentStatus.ISSUED, "1-KH/TĐTN-TCKT")
    assert issued.symbol == row.symbol
    assert DocumentCounter.objects.get(issuing_unit=world.province, year=2018).last_number == 1
    record = AuditRecord.objects.filter(model="documents.document", object_pk=str(draft.pk)
                                        ).order_by("-pk").first()
    assert record is not None
    assert record.unit_id == world.province.pk
    assert record.changes["after"]["symbol"] == "1-KH/TĐTN-TCKT"


def test_doc2_issue_without_date_takes_today(world: World) -> None:
    from doanvu.common.dates import today

    issued = services.document_issue(actor=None, document=make_draft(world.province))

    assert (issued.issued_on, issued.year, issued.number) == (today(), today().year, 1)


def test_doc2_registered_historical_number_is_kept_and_the_counter_moves_past_it(
    world: World,
) -> None:
    old = services.document_register_issued(
        actor=None, issuing_unit=world.province, doc_type=doc_type(), number=45,
        issued_on=dt.date(2018, 4, 18), title="Đi công tác cơ sở", department=world.tckt,
        signer_title="PHÓ BÍ THƯ", signer_name="Trần Lê Duy", recipients=["Lưu VP."])
    gap = services.document_register_issued(
        actor=None, issuing_unit=world.province, doc_type=doc_type(), number=10,
        issued_on=dt.date(2018, 2, 1), title="Một kế hoạch cũ", signer_title="BÍ THƯ",
        signer_name="Hoàng Thị Thanh Thúy", recipients=["Lưu VP."])

    after = issue(world.province, dt.date(2018, 5, 2))

    assert (old.symbol, old.issued_on, old.status) == ("45-KH/TĐTN-TCKT", dt.date(2018, 4, 18),
                                                       DocumentStatus.ISSUED)
    assert gap.symbol == "10-KH/TĐTN"
    assert after.symbol == "46-KH/TĐTN"


def test_doc2_registering_a_number_already_used_is_refused(world: World) -> None:
    first = issue(world.province, D2020)
    before = Document.objects.count()

    with pytest.raises(NumberTaken) as exc:
        services.document_register_issued(
            actor=None, issuing_unit=world.province, doc_type=doc_type(), number=1,
            issued_on=dt.date(2020, 1, 5), title="Trùng số", signer_title="BÍ THƯ",
            signer_name="A", recipients=["Lưu VP."])

    assert exc.value.message == (f"Số 1-KH năm 2020 của Tỉnh đoàn Tây Ninh đã dùng cho văn bản "
                                 f"“{first.title}”.")
    assert exc.value.field == "number"
    assert Document.objects.count() == before


@pytest.mark.parametrize("number", [0, -3])
def test_doc2_registering_a_number_below_one_is_refused(world: World, number: int) -> None:
    with pytest.raises(DocumentError) as exc:
        services.document_register_issued(
            actor=None, issuing_unit=world.province, doc_type=doc_type(), number=number,
            issued_on=D2020, title="Số sai", signer_title="BÍ THƯ", signer_name="A",
            recipients=["Lưu VP."])

    assert exc.value.message == "Số văn bản phải là số nguyên dương."
    assert Document.objects.count() == 0


# -- refusals keep the draft -----------------------------------------------------------------------


@pytest.mark.parametrize(("missing", "message", "field"), [
    ({"signer_title": "", "signer_name": "", "recipients": []},
     "Chưa ban hành được: văn bản còn thiếu chức vụ người ký, họ tên người ký, nơi nhận. "
     "Bản nháp vẫn được giữ nguyên.", "signer_title"),
    ({"signer_name": ""},
     "Chưa ban hành được: văn bản còn thiếu họ tên người ký. Bản nháp vẫn được giữ nguyên.",
     "signer_name"),
    ({"recipients": ["  ", "-"]},
     "Chưa ban hành được: văn bản còn thiếu nơi nhận. Bản nháp vẫn được giữ nguyên.",
     "recipients"),
])
def test_doc2_issuing_without_signer_or_recipients_is_refused_and_the_draft_kept(
    world: World, missing: dict[str, object], message: str, field: str,
) -> None:
    draft = make_draft(world.province, **missing)  # type: ignore[arg-type]
    before = Document.objects.filter(pk=draft.pk).values().get()

    with pytest.raises(DocumentNotReady) as exc:
        services.document_issue(actor=None, document=draft, issued_on=D2020)

    assert (exc.value.message, exc.value.field) == (message, field)
    assert Document.objects.filter(pk=draft.pk).values().get() == before
    assert DocumentCounter.objects.count() == 0


def test_doc2_issued_document_is_frozen(world: World) -> None:
    issued = issue(world.province, D2020)

    with pytest.raises(DocumentNotDraft) as again:
        services.document_issue(actor=None, document=issued)
    with pytest.raises(DocumentNotDraft) as edit:
        services.document_update(actor=None, document=issued, doc_type=doc_type(),
                                 title="Sửa sau khi ban hành")

    assert again.value.message == "Văn bản 1-KH/TĐTN đã được ban hành."
    assert edit.value.message == "Văn bản 1-KH/TĐTN đã ban hành, không sửa được nữa."
    assert Document.objects.get(pk=issued.pk).title == "Kế hoạch kiểm tra năm"


def test_doc2_issue_date_in_the_future_or_outside_the_units_life_is_refused(
    world: World,
) -> None:
    from doanvu.common.dates import today

    draft = make_draft(world.branch_b1)
    future = today() + dt.timedelta(days=1)
    org_services.unit_dissolve(actor=None, unit=world.branch_b1, on=dt.date(2025, 7, 1))

    with pytest.raises(DocumentError) as ahead:
        services.document_issue(actor=None, document=draft, issued_on=future)
    with pytest.raises(DocumentError) as before_founding:
        services.document_issue(actor=None, document=draft, issued_on=dt.date(2016, 12, 31))
    with pytest.raises(DocumentError) as dissolved:
        services.document_issue(actor=None, document=draft, issued_on=dt.date(2025, 7, 1))
    earlier = services.document_issue(actor=None, document=draft, issued_on=dt.date(2025, 6, 30))

    assert ahead.value.message == f"Ngày ban hành {future:%d/%m/%Y} ở tương lai."
    assert before_founding.value.message == (
        "Ngày ban hành 31/12/2016 trước ngày thành lập của Chi đoàn ấp Tân Đông (01/01/2017).")
    assert dissolved.value.message == ("Chi đoàn ấp Tân Đông không còn hoạt động từ 01/07/2025: "
                                       "không ban hành văn bản ngày 01/07/2025.")
    assert earlier.number == 1


def test_doc2_drafts_need_a_title_and_a_department_of_their_unit(world: World) -> None:
    foreign = world.tckt  # a department of the province

    with pytest.raises(DocumentError) as no_title:
        make_draft(world.province, title="   ")
    with pytest.raises(DocumentError) as wrong_department:
        make_draft(world.district_a, department=foreign)
    with pytest.raises(DocumentError) as bad_body:
        make_draft(world.province, body=[{"level": 9, "heading": "X"}])

    assert (no_title.value.message, no_title.value.field) == (
        "Hãy nhập trích yếu (tên) văn bản.", "title")
    assert (wrong_department.value.message, wrong_department.value.field) == (
        "Ban Tổ chức – Kiểm tra không phải là ban của Huyện đoàn Châu Thành.", "department")
    assert (bad_body.value.message, bad_body.value.field) == (
        "Nội dung không hợp lệ: cấp đề mục của mục thứ 1 không hợp lệ.", "body")
    assert Document.objects.count() == 0


def test_doc2_new_draft_takes_the_header_of_the_units_last_document(world: World) -> None:
    first = make_draft(world.province)
    make_draft(world.province, header_upper="BCH ĐOÀN TỈNH TÂY NINH", place="Tây Ninh",
               signer_on_behalf="TM. BAN THƯỜNG VỤ TỈNH ĐOÀN")

    third = services.document_create(actor=None, issuing_unit=world.province,
                                     doc_type=doc_type(), title="Kế hoạch thứ ba")

    assert (first.header_upper, first.body_code, first.place) == (
        "BAN CHẤP HÀNH TỈNH ĐOÀN TÂY NINH", "TĐTN", "Tây Ninh")
    assert (third.header_upper, third.body_code, third.place, third.signer_on_behalf) == (
        "BCH ĐOÀN TỈNH TÂY NINH", "TĐTN", "Tây Ninh", "TM. BAN THƯỜNG VỤ TỈNH ĐOÀN")


# -- concurrency -----------------------------------------------------------------------------------


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_doc2_concurrent_issuing_never_reuses_a_number(world: World) -> None:
    """50 drafts of one body issued from several threads, each with its own connection: on
    PostgreSQL 10 threads contend for the counter row (SELECT … FOR UPDATE); on SQLite 5 threads,
    which the database serialises. The in-memory SQLite test database answers a writer that
    meets another's lock with "database table is locked" at once instead of waiting (shared
    cache), so there a refused attempt is retried: it rolled back whole, so it takes no number."""
    postgres = connection.vendor == "postgresql"
    threads_count = 10 if postgres else 5
    drafts = [make_draft(world.province, title=f"Kế hoạch số thứ {n}").pk for n in range(50)]
    errors: list[str] = []
    retries: list[int] = []

    def work(ids: list[int]) -> None:
        try:
            for pk in ids:
                while True:
                    try:
                        services.document_issue(actor=None, document=Document.objects.get(pk=pk),
                                                issued_on=D2020)
                        break
                    except OperationalError as exc:
                        if postgres or "locked" not in str(exc):
                            raise
                        retries.append(pk)
                        time.sleep(0.002)
        except Exception as exc:  # noqa: BLE001 - reported by the assertion below
            errors.append(repr(exc))
        finally:
            connections.close_all()

    threads = [threading.Thread(target=work, args=(drafts[i::threads_count],))
               for i in range(threads_count)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)

    numbers = sorted(Document.objects.filter(issuing_unit=world.province)
                     .values_list("number", flat=True))
    assert errors == []
    assert numbers == list(range(1, 51))
    assert DocumentCounter.objects.get(issuing_unit=world.province, year=2020).last_number == 50
    assert Document.objects.filter(status=DocumentStatus.ISSUED).count() == 50
