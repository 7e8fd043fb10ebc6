"""Issue 11: after any sequence of the operations that change memberships — admission, transfer
request / accept / refuse, removal, maturity, death, a person's edit, an import, a unit move, a
branch merge, a unit split, a duplicate's merge, and writes that bypass the services — the
maintained counts (members_membertally, kept by database triggers) equal a recount from raw
memberships.

The machine drives the real services. Each example runs inside one transaction rolled back at
its end, so every example starts from the fixture's world."""

from __future__ import annotations

import datetime as dt
import itertools
from typing import Any

import pytest
from django.db import connection, transaction
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import (
    RuleBasedStateMachine,
    invariant,
    precondition,
    rule,
    run_state_machine_as_test,
)

from doanvu.common.dates import today
from doanvu.common.errors import ApplicationError
from doanvu.members import tally
from doanvu.members.core import rules as member_rules
from doanvu.members.core import services
from doanvu.members.ghost import services as ghost
from doanvu.members.models import Membership, MemberStatus, Transfer, TransferStatus
from doanvu.members.structure import services as structure
from doanvu.org import services as org
from doanvu.org.models import Person, Unit, UnitKind
from tests.members.conftest import MembersWorld
from tests.members.test_import_mem13 import check, confirm, good_rows, xlsx

SERIALS = itertools.count(1000)
IMPORT_ROWS = itertools.count(1)
pick = st.integers(min_value=0, max_value=10_000)


@pytest.fixture(autouse=True)
def _media(settings: Any, tmp_path: Any) -> None:
    settings.MEDIA_ROOT = str(tmp_path)
    settings.MEMBER_IMPORT_SPOOL_DIR = str(tmp_path / "spool")


def _person(name: str, birth: dt.date, gender: str) -> services.PersonInput:
    cccd = member_rules.make_cccd(province="072", gender=gender, birth_year=birth.year,
                                  serial=next(SERIALS))
    return services.PersonInput(full_name=name, birth_date=birth, gender=gender, cccd=cccd)


def machine_for(mw: MembersWorld) -> type[RuleBasedStateMachine]:
    class Counts(RuleBasedStateMachine):
        def __init__(self) -> None:
            super().__init__()
            self._atomic = transaction.atomic()
            self._atomic.__enter__()
            w = mw.world
            self.day = today() - dt.timedelta(days=60)
            branch = UnitKind.objects.get(code="chi_doan")
            for parent, name in [(w.commune_a1, "Chi đoàn ấp Bình Hòa"),
                                 (w.commune_a2, "Chi đoàn ấp Hảo Đước"),
                                 (w.commune_b1, "Chi đoàn ấp Tân Tây")]:
                org.unit_create(actor=None, parent=Unit.objects.get(pk=parent.pk), name=name,
                                kind=branch, founded_on=dt.date(2018, 1, 1))

        def teardown(self) -> None:
            transaction.set_rollback(True)
            self._atomic.__exit__(None, None, None)

        # -- helpers ------------------------------------------------------------------------
        def next_day(self) -> dt.date:
            self.day = min(self.day + dt.timedelta(days=1), today())
            return self.day

        def _do(self, fn: Any, /, **kwargs: Any) -> Any:
            try:
                with transaction.atomic():
                    return fn(**kwargs)
            except ApplicationError:
                return None

        @staticmethod
        def branches() -> list[Unit]:
            return list(Unit.objects.filter(kind__is_branch=True, dissolved_on__isnull=True)
                        .select_related("kind", "parent").order_by("pk"))

        @staticmethod
        def communes() -> list[Unit]:
            return list(Unit.objects.filter(kind__code="co_so", dissolved_on__isnull=True)
                        .order_by("pk"))

        @staticmethod
        def current() -> list[Membership]:
            return list(Membership.objects.filter(is_current=True).select_related(
                "person", "branch").order_by("pk"))

        # -- operations ---------------------------------------------------------------------
        @rule(b=pick, age=st.integers(17, 29), gender=st.sampled_from(["nam", "nu"]))
        def admit(self, b: int, age: int, gender: str) -> None:
            branches = self.branches()
            on = self.next_day()
            self._do(services.member_admit, actor=None, branch=branches[b % len(branches)],
                     person=_person("Võ Thị Hồng", dt.date(on.year - age, 1, 2), gender),
                     joined_union_on=on)

        @rule(b=pick)
        def record_old_member_directly(self, b: int) -> None:
            """A plain Model.objects.create (as the demo and tests do): no service at all."""
            branch = self.branches()[b % len(self.branches())]
            birth = dt.date(self.day.year - 35, 3, 4)
            p = Person.objects.create(full_name="Lê Văn Lão", birth_date=birth, gender="nam")
            Membership.objects.create(person=p, branch=branch, unit_path=branch.path,
                                      name_folded=p.name_folded, birth_date=birth, gender="nam",
                                      joined_union_on=dt.date(2010, 1, 1),
                                      started_on=dt.date(2010, 1, 1))

        @precondition(lambda self: Membership.objects.filter(is_current=True).exists())
        @rule(m=pick, b=pick, accept=st.booleans())
        def transfer(self, m: int, b: int, accept: bool) -> None:
            members, branches = self.current(), self.branches()
            on = self.next_day()
            t = self._do(services.transfer_request, actor=None,
                         membership=members[m % len(members)],
                         to_branch=branches[b % len(branches)], kind="chinh_thuc",
                         requested_on=on)
            if t is None:
                return
            if accept:
                self._do(services.transfer_accept, actor=None, transfer=t, on=on)
            else:
                self._do(services.transfer_refuse, actor=None, transfer=t, on=on, note="Không")

        @precondition(lambda self: Transfer.objects.filter(
            status=TransferStatus.PENDING).exists())
        @rule()
        def accept_pending(self) -> None:
            t = Transfer.objects.filter(status=TransferStatus.PENDING).first()
            self._do(services.transfer_accept, actor=None, transfer=t, on=self.next_day())

        @precondition(lambda self: Membership.objects.filter(is_current=True).exists())
        @rule(m=pick, how=st.sampled_from(["remove", "mature", "deceased"]))
        def end(self, m: int, how: str) -> None:
            members = self.current()
            fn = {"remove": services.member_remove, "mature": services.member_mature,
                  "deceased": services.member_deceased}[how]
            self._do(fn, actor=None, membership=members[m % len(members)], on=self.next_day(),
                     reason="Thử")

        @precondition(lambda self: Membership.objects.filter(
            is_current=True, birth_date__lt=today() - dt.timedelta(days=365 * 32)).exists())
        @rule(m=pick)
        def mature(self, m: int) -> None:
            old = list(Membership.objects.filter(
                is_current=True, birth_date__lt=today() - dt.timedelta(days=365 * 32))
                .select_related("person", "branch").order_by("pk"))
            self._do(services.member_mature, actor=None, membership=old[m % len(old)],
                     on=self.next_day())

        @precondition(lambda self: Membership.objects.filter(is_current=True).exists())
        @rule(m=pick, gender=st.sampled_from(["nam", "nu"]), age=st.integers(17, 29))
        def edit_person(self, m: int, gender: str, age: int) -> None:
            member = self.current()[m % len(self.current())]
            birth = dt.date(self.day.year - age, 6, 7)
            self._do(services.member_update, actor=None, membership=member,
                     person=_person(member.person.full_name, birth, gender),
                     joined_union_on=member.joined_union_on)

        @precondition(lambda self: Membership.objects.filter(is_current=True).exists())
        @rule(m=pick, gender=st.sampled_from(["", "nam", "nu"]))
        def duplicate_then_merge(self, m: int, gender: str) -> None:
            """A duplicate record of a member in the same branch (made directly), then the
            ghost audit's person merge ends it."""
            member = self.current()[m % len(self.current())]
            dup = Person.objects.create(full_name=member.person.full_name,
                                        birth_date=member.birth_date, gender=gender)
            Membership.objects.create(person=dup, branch=member.branch,
                                      unit_path=member.unit_path, name_folded=dup.name_folded,
                                      birth_date=dup.birth_date, gender=gender,
                                      joined_union_on=member.joined_union_on,
                                      started_on=member.started_on)
            self._do(ghost.person_merge, actor=None, keep=member.person, drop=dup)

        @rule(n=st.integers(1, 4), again=st.booleans())
        def import_file(self, n: int, again: bool) -> None:
            start = 1 if again else next(IMPORT_ROWS) * 10
            job = check(mw, "ds.xlsx", xlsx(good_rows(n, start=start)),
                        unit=Unit.objects.get(pk=mw.world.commune_a1.pk))
            confirm(job)  # a job that did not check is left as it is

        @rule(b=pick, c=pick)
        def move_branch(self, b: int, c: int) -> None:
            branches = [u for u in self.branches() if u.kind.code == "chi_doan"]
            communes = self.communes()
            self._do(org.unit_move, actor=None, unit=branches[b % len(branches)],
                     new_parent=communes[c % len(communes)], on=self.next_day())

        @rule(c=pick, d=st.sampled_from(["district_a", "district_b"]))
        def move_commune(self, c: int, d: str) -> None:
            communes = self.communes()
            self._do(org.unit_move, actor=None, unit=communes[c % len(communes)],
                     new_parent=Unit.objects.get(pk=getattr(mw.world, d).pk), on=self.next_day())

        @rule(b=pick)
        def merge_branch(self, b: int) -> None:
            branches = [u for u in self.branches() if u.kind.code == "chi_doan"]
            branch = branches[b % len(branches)]
            sibling = next((s for s in branches if s.parent_id == branch.parent_id
                            and s.pk != branch.pk), None)
            if sibling is not None:
                self._do(structure.branch_merge_carry_out, actor=None, branch=branch,
                         target=sibling, on=self.next_day())

        @rule(c=pick, keep=st.booleans())
        def split_commune(self, c: int, keep: bool) -> None:
            commune = self.communes()[c % len(self.communes())]
            children = list(Unit.objects.filter(parent=commune, dissolved_on__isnull=True)
                            .order_by("pk"))
            if not children:
                return
            parts = [org.SplitPart(name=f"{commune.name} {i}", children=children[i::2])
                     for i in range(min(2, len(children)))]
            self._do(org.unit_split, actor=None, unit=commune, parts=parts, on=self.next_day(),
                     keep_original=keep or len(parts) == 1)

        @precondition(lambda self: Membership.objects.exists())
        @rule(m=pick, status=st.sampled_from(list(MemberStatus)), current=st.booleans())
        def raw_sql(self, m: int, status: str, current: bool) -> None:
            """A write no service makes: raw SQL on one membership (the constraint of one current
            membership per person may refuse it: then nothing changed)."""
            pk = list(Membership.objects.order_by("pk").values_list("pk", flat=True))
            try:
                with transaction.atomic(), connection.cursor() as cur:
                    cur.execute("UPDATE members_membership SET status = %s, is_current = %s "
                                "WHERE id = %s", [status, current, pk[m % len(pk)]])
            except Exception:  # noqa: BLE001 - an IntegrityError rolls the statement back
                pass

        @invariant()
        def counts_equal_a_recount(self) -> None:
            assert tally.differences() == []

    return Counts


@pytest.mark.django_db
def test_maintained_counts_equal_a_recount_after_any_sequence(members_world: MembersWorld) -> None:
    run_state_machine_as_test(
        machine_for(members_world),
        settings=settings(max_examples=20, stateful_step_count=12, deadline=None,
                          suppress_health_check=[HealthCheck.function_scoped_fixture,
                                                 HealthCheck.too_slow]),
    )
