"""Issue 16, "Load and faults": a database connection lost in the middle of a request, and two
transfers of one member at once (X-9: nothing half-written, never a 500; MEM-3: one current
membership per person).

The connection loss is real on PostgreSQL: between the two writes of accepting a transfer (the
old membership closed, the new one not yet opened) a second connection terminates the request's
backend (`pg_terminate_backend`). SQLite has no server to lose: there the same moment raises the
`OperationalError` a dropped connection raises, inside the same transaction — the page, the
rollback and the next request are checked alike."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from typing import Any

import psycopg
import pytest
from django.db import OperationalError, connection, connections
from django.urls import reverse

from doanvu.audit import chain
from doanvu.audit.models import AuditRecord
from doanvu.common.dates import today
from doanvu.members.core import services
from doanvu.members.models import Membership, MemberStatus, Transfer, TransferStatus
from tests.conftest import login
from tests.members.conftest import MembersWorld

LOST = "Mất kết nối cơ sở dữ liệu"


def _terminate_own_backend() -> None:
    """From a second connection, end the backend serving Django's connection (what a server
    restart or a cut network does to a request in flight)."""
    with connection.cursor() as cur:
        cur.execute("SELECT pg_backend_pid()")
        pid = cur.fetchone()[0]
    db = connection.settings_dict
    with psycopg.connect(host=db["HOST"] or "127.0.0.1", port=db["PORT"] or 5432,
                         user=db["USER"], dbname=db["NAME"], autocommit=True) as other:
        other.execute("SELECT pg_terminate_backend(%s)", [pid])
        for _ in range(200):  # the backend is gone once the server no longer lists it
            if not other.execute("SELECT 1 FROM pg_stat_activity WHERE pid = %s",
                                 [pid]).fetchone():
                break
            time.sleep(0.01)


def _lose_connection_mid_accept(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Between closing the old membership and opening the new one (inside the service's
    transaction) the connection is lost: for real on PostgreSQL, raised on SQLite."""
    original: Callable[..., Any] = services.membership_denormalise
    happened: list[str] = []

    def lost(membership: Membership) -> None:
        happened.append("lost")
        if connection.vendor == "postgresql":
            _terminate_own_backend()
            original(membership)  # reads nothing; the next statement meets the dead backend
            return
        raise OperationalError("disk I/O error")  # what SQLite answers when its file is gone

    monkeypatch.setattr(services, "membership_denormalise", lost)
    return happened


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_x9_connection_lost_mid_request_shows_a_vietnamese_page_writes_nothing_and_recovers(
    members_world: MembersWorld, monkeypatch: pytest.MonkeyPatch,
) -> None:
    w = members_world.world
    an = members_world.a1[0]
    t = services.transfer_request(actor=w.branch_secretary, membership=an, to_branch=w.branch_b1,
                                  kind="chinh_thuc", requested_on=today())
    records = AuditRecord.objects.count()
    receiver = login(w.district_b_cadre)
    receiver.raise_request_exception = False  # what a browser gets, whatever the handler
    happened = _lose_connection_mid_accept(monkeypatch)

    page = receiver.post(reverse("members:transfer_accept", args=[t.pk]),
                         {"on": today().strftime("%d/%m/%Y")})

    assert happened == ["lost"]
    html = page.content.decode()
    assert page.status_code == 503
    assert page["Retry-After"] == "5"
    assert LOST in html and "thử lại" in html and "không bị ghi dở" in html
    assert "Traceback" not in html and "OperationalError" not in html
    assert "terminating" not in html and "disk I/O" not in html
    # nothing of the accept was written: the member is where they were, the request pending
    old = Membership.objects.get(pk=an.pk)
    assert (old.is_current, old.status, old.ended_on) == (True, MemberStatus.ACTIVE, None)
    assert Membership.objects.filter(person=an.person).count() == 1
    assert Transfer.objects.get(pk=t.pk).status == TransferStatus.PENDING
    assert AuditRecord.objects.count() == records
    assert chain.verify().ok

    # the next request works (a new connection) and the same accept then succeeds
    monkeypatch.undo()
    listing = receiver.get(reverse("members:unit_transfers", args=[w.district_b.pk]))
    assert listing.status_code == 200 and "Nguyễn Văn An" in listing.content.decode()
    ok = receiver.post(reverse("members:transfer_accept", args=[t.pk]),
                       {"on": today().strftime("%d/%m/%Y")})
    assert ok.status_code == 302
    new = Membership.objects.get(person=an.person, is_current=True)
    assert new.branch_id == w.branch_b1.pk
    assert chain.verify().ok


def test_x9_a_lost_connection_outside_the_view_gets_the_same_page(
    members_world: MembersWorld, monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A connection lost where no view can catch it (a middleware reading the session or the
    user) reaches the 500 handler, which answers the 503 page too; a statement cut by its
    timeout (the connection is fine) and any other error keep the 500 page."""
    from django.contrib.auth import middleware as auth_middleware

    client = login(members_world.world.district_b_cadre)
    client.raise_request_exception = False

    def broken(request: Any) -> Any:
        raise OperationalError("connection to server was lost")

    monkeypatch.setattr(auth_middleware, "get_user", broken)
    page = client.get(reverse("members:unit_transfers", args=[members_world.world.district_b.pk]))
    assert page.status_code == 503 and LOST in page.content.decode()
    assert "connection to server" not in page.content.decode()

    class QueryCanceled(Exception):  # what psycopg raises when statement_timeout cuts a query
        sqlstate = "57014"

    def timeout(request: Any) -> Any:
        raise OperationalError("canceling statement due to statement timeout") \
            from QueryCanceled()

    monkeypatch.setattr(auth_middleware, "get_user", timeout)
    page = client.get(reverse("members:unit_transfers", args=[members_world.world.district_b.pk]))
    assert page.status_code == 500 and LOST not in page.content.decode()  # not a lost link

    def bug(request: Any) -> Any:
        raise ValueError("a bug")

    monkeypatch.setattr(auth_middleware, "get_user", bug)
    page = client.get(reverse("members:unit_transfers", args=[members_world.world.district_b.pk]))
    assert page.status_code == 500 and LOST not in page.content.decode()


# -- two transfers of one member at once (MEM-3) --------------------------------------------------


def _race(calls: list[Callable[[], Any]]) -> list[Any]:
    """Each call in its own thread with its own connection. PostgreSQL: all released at once
    by a barrier, the membership's row lock (SELECT … FOR UPDATE) deciding the order. SQLite
    serialises writers (its in-memory test database refuses rather than waits), so there they
    run one after the other: the same calls, the same end."""
    postgres = connection.vendor == "postgresql"
    barrier = threading.Barrier(len(calls)) if postgres else None
    results: list[Any] = [None] * len(calls)

    def work(i: int) -> None:
        try:
            if barrier is not None:
                barrier.wait(timeout=30)
            results[i] = calls[i]()
        except Exception as exc:  # noqa: BLE001 - the outcome the test asserts
            results[i] = exc
        finally:
            connections.close_all()

    threads = [threading.Thread(target=work, args=(i,)) for i in range(len(calls))]
    for t in threads:
        t.start()
        if not postgres:
            t.join(timeout=60)
    for t in threads:
        t.join(timeout=60)
    return results


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_mem3_two_transfers_of_one_member_at_once_exactly_one_wins(
    members_world: MembersWorld,
) -> None:
    """Two cadres ask at once to move An to the other branch: one request stands, the other
    is refused in Vietnamese; then two cadres of the receiving side accept it at once: one new
    membership, one refusal. Back and forth, several rounds."""
    w = members_world.world
    an = members_world.a1[0]
    other = members_world.b1[0].branch  # another branch than An's
    rounds = 5 if connection.vendor == "postgresql" else 2
    for _round in range(rounds):
        current = Membership.objects.get(person=an.person, is_current=True)
        to_b = to_c = other if current.branch_id == w.branch_a1.pk else w.branch_a1
        results = _race([
            lambda m=current, b=to_b: services.transfer_request(
                actor=None, membership=m, to_branch=b, kind="chinh_thuc",
                requested_on=today(), reason="Người thứ nhất"),
            lambda m=current, b=to_c: services.transfer_request(
                actor=None, membership=m, to_branch=b, kind="chinh_thuc",
                requested_on=today(), reason="Người thứ hai"),
        ])
        won = [r for r in results if isinstance(r, Transfer)]
        refused = [r for r in results if not isinstance(r, Transfer)]
        assert len(won) == 1 and len(refused) == 1, results
        assert isinstance(refused[0], services.TransferError), refused
        assert refused[0].message.startswith("Đã có đề nghị chuyển đến ")
        assert refused[0].message.endswith("đang chờ tiếp nhận; hãy hủy đề nghị đó trước.")
        assert Transfer.objects.filter(membership=current,
                                       status=TransferStatus.PENDING).count() == 1
        pending = won[0]

        accepted = _race([
            lambda t=pending: services.transfer_accept(actor=None, transfer=t, on=today(),
                                                       note="Cán bộ thứ nhất"),
            lambda t=pending: services.transfer_accept(actor=None, transfer=t, on=today(),
                                                       note="Cán bộ thứ hai"),
        ])
        ok = [r for r in accepted if isinstance(r, Transfer)]
        no = [r for r in accepted if not isinstance(r, Transfer)]
        assert len(ok) == 1 and len(no) == 1, accepted
        assert isinstance(no[0], services.TransferError)
        assert no[0].message == "Đề nghị này đã ở trạng thái “Đã tiếp nhận”."
        _assert_chain_consistent(an.person_id)
    # one membership per move plus the first, each ended where the next one starts
    assert Membership.objects.filter(person=an.person).count() == rounds + 1
    assert chain.verify().ok


def _assert_chain_consistent(person_id: int) -> None:
    chain_ = list(Membership.objects.filter(person_id=person_id).order_by("started_on", "pk"))
    assert [m.is_current for m in chain_] == [False] * (len(chain_) - 1) + [True]
    for before, after in zip(chain_, chain_[1:], strict=False):
        assert before.status == MemberStatus.TRANSFERRED
        assert before.ended_on == after.started_on
        t = Transfer.objects.get(membership=before, status=TransferStatus.ACCEPTED)
        assert (t.new_membership_id, t.to_branch_id) == (after.pk, after.branch_id)
