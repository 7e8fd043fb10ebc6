"""Builds the demo organisation from demo_data, through the org services so history is real.

The tree is first built in its pre-2025 shape (units founded in 2017 or earlier), then the later
changes are applied in date order: Hòa Thành and Trảng Bàng become towns (1/2/2020), two small
hamlet branches of Đoàn xã Phan merge into an inter-hamlet branch (26/3/2020), Thành đoàn Thủ
Đức absorbs Quận đoàn 2, 9 and Thủ Đức (1/1/2021), and the 1/7/2025 reform.

The reform is applied to Tây Ninh and Long An only: Long An merges into Tây Ninh, every commune
union of both moves directly under Tỉnh đoàn Tây Ninh (a few merge, thị trấn become xã) and every
district union is dissolved. TP. Hồ Chí Minh and the other provinces keep their pre-reform shape.

Units, renames, moves, merges and dissolutions go through doanvu.org.services; the rest
(departments, clusters, terms, seats, positions, supervision, persons, users, grants) are plain
ORM writes, audited by the audit signals. Everything runs in one transaction.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from django.contrib.auth.hashers import make_password
from django.db import transaction

from doanvu.accounts.models import RoleGrant, RoleType, User
from doanvu.audit.context import acting
from doanvu.org import services
from doanvu.org.models import (
    Cluster,
    ClusterKind,
    CommitteeSeat,
    Department,
    Person,
    Position,
    Supervision,
    Term,
    Unit,
    UnitKind,
)

from . import demo_data as data


@dataclass(frozen=True)
class LoginRow:
    username: str
    password: str
    full_name: str
    role: str
    unit: str


@dataclass(frozen=True)
class LoadSummary:
    units: int
    users: int


def is_loaded() -> bool:
    """The demo (or any tree) is there: a root unit named like the centre exists."""
    return Unit.objects.filter(parent__isnull=True, name=data.CENTRE).exists()


def load_demo() -> LoadSummary:
    """Load the whole demo in one transaction. Call only when is_loaded() is False."""
    with transaction.atomic(), acting(None, reason=data.REASON):
        builder = _Builder()
        builder.build()
        from doanvu.hub.demo import load_demo_obligations  # deadlines and obligations (issue 3)
        load_demo_obligations()
        from doanvu.documents.demo import load_seed_documents  # the five seed plans (issue 3)
        load_seed_documents()
        # Members and their dues, meetings and ratings (issue 4), after the tree exists.
        from doanvu.members.demo import load_demo_dues_and_meetings, load_demo_members
        from doanvu.members.rating.services import load_demo_ratings

        load_demo_members()
        load_demo_dues_and_meetings()
        load_demo_ratings()
        # HCMC's 2020 emulation rubrics per sector group (seed 001, issue 12)
        from doanvu.emulation.demo import load_demo_rubrics, load_demo_sheets

        load_demo_rubrics()
        # The inspection plans, rounds, teams and schedules of seeds 000 and 001 (issue 12).
        from doanvu.inspections.demo import load_demo_inspections

        load_demo_inspections()
        load_demo_sheets()  # the districts' 2020 sheets at every stage (EMU-2)
        # Field visits (issue 13): the three regimes, Tây Ninh's 2020 and the Ban Bí thư's 2020.
        from doanvu.fieldvisits.demo import load_demo_fieldvisits
        from doanvu.members.models import CadreStatus

        load_demo_fieldvisits(add_status=lambda person, kind, start, end, note: (
            CadreStatus.objects.create(person=person, kind=kind, start_date=start,
                                       end_date=end, note=note)))
        # Remediation (issue 14): seed 004's register, solution groups and monthly evaluations.
        from doanvu.remediation.demo import load_demo_remediation

        load_demo_remediation()
        # Targets (issue 14): seed 003's four targets of Dương Minh Châu, on the demo's members.
        from doanvu.members.models import CadreCourse, Meeting, MeetingKind
        from doanvu.targets.demo import load_demo_history, load_demo_targets

        load_demo_history(
            add_course=lambda person, name, start, end, organiser: CadreCourse.objects.create(
                person=person, name=name, start_date=start, end_date=end, organiser=organiser),
            add_meeting=lambda branch, day: Meeting.objects.create(
                unit=branch, kind=MeetingKind.BRANCH, date=day,
                place=f"Nhà văn hóa {branch.name}"[:200], content="Sinh hoạt chi đoàn"))
        load_demo_targets()
        # Surveys (issue 15): seed 000 part III, the 2020 mid-term review's 5 themes × 28 units.
        from doanvu.surveys.demo import load_demo_surveys

        load_demo_surveys()
        # Plans (issue 14): seeds 003 and 004 structured, their tasks, PLAN-3's lead time.
        from doanvu.plans.demo import load_demo_plans

        load_demo_plans()
    return LoadSummary(units=Unit.objects.count(),
                       users=User.objects.filter(username__in=_demo_usernames()).count())


def login_rows() -> list[LoginRow]:
    """The demo logins that exist, with their current roles and units, for the console."""
    users = {u.username: u for u in User.objects.filter(username__in=_demo_usernames())}
    rows: list[LoginRow] = []
    for login in data.DEMO_LOGINS:
        user = users.get(login.username)
        if user is None:
            continue
        grants = (
            RoleGrant.objects.filter(user=user, end_date__isnull=True)
            .select_related("role_type", "unit", "department")
            .order_by("pk")
        )
        roles: list[str] = []
        units: list[str] = []
        for g in grants:
            roles.append(g.role_type.name)
            units.append(f"{g.unit.name} – {g.department.name}" if g.department else g.unit.name)
        if user.is_superuser:
            roles.insert(0, "Siêu quản trị")
        rows.append(LoginRow(user.username, data.PASSWORD, user.full_name,
                             ", ".join(dict.fromkeys(roles)) or "—",
                             "; ".join(dict.fromkeys(units)) or "—"))
    return rows


def _demo_usernames() -> list[str]:
    return [login.username for login in data.DEMO_LOGINS]


class _Builder:
    def __init__(self) -> None:
        self.kinds = {k.code: k for k in UnitKind.objects.all()}
        self.roles = {r.code: r for r in RoleType.objects.all()}
        self.by_name: dict[str, list[int]] = defaultdict(list)
        self.depts: dict[tuple[str, str], Department] = {}
        self.persons: dict[str, Person] = {}

    # -- helpers ----------------------------------------------------------------------------
    def unit(self, name: str) -> Unit:
        """The unit of that name, read fresh (services rewrite paths behind our back)."""
        ids = self.by_name.get(name, [])
        if len(ids) != 1:
            raise LookupError(f"demo: {len(ids)} units named {name!r}")
        return Unit.objects.select_related("kind").get(pk=ids[0])

    def create(self, parent: Unit | None, name: str, kind: str, founded: dt.date, *,
               sector: str = "", short_name: str = "", place: str = "") -> Unit:
        unit = services.unit_create(
            actor=None, parent=parent, name=name, kind=self.kinds[kind], founded_on=founded,
            sector=sector, short_name=short_name, place=place,
        )
        self.by_name[unit.name].append(unit.pk)
        return unit

    def departments(self, unit: Unit, depts: Iterable[data.Dept]) -> None:
        for d in depts:
            self.depts[(unit.name, d.short)] = Department.objects.create(
                unit=unit, name=d.name, short_name=d.short, category=d.category
            )

    def person(self, full_name: str, gender: str = "") -> Person:
        if full_name not in self.persons:
            self.persons[full_name] = Person.objects.create(full_name=full_name, gender=gender)
        return self.persons[full_name]

    def term(self, unit: Unit, term: tuple[str, dt.date, dt.date],
             seats: Iterable[data.Seat]) -> Term:
        name, start, end = term
        t = Term.objects.create(unit=unit, name=name, start_date=start, end_date=end)
        for seat in seats:
            person = self.person(seat.full_name, seat.gender)
            for committee in seat.committees:
                CommitteeSeat.objects.create(term=t, committee=committee, person=person,
                                             title=seat.title, order=seat.order, start_date=start)
        return t

    def post(self, unit: Unit, post: data.Post, start: dt.date,
             end: dt.date | None = None) -> Position:
        department = self.depts[(unit.name, post.department)] if post.department else None
        return Position.objects.create(
            person=self.person(post.full_name, post.gender), unit=unit, department=department,
            title=post.title, start_date=start, end_date=end,
        )

    def lower_units(self, parent: Unit, districts: Iterable[data.District]) -> None:
        for d in districts:
            district = self.create(parent, d.name, data.HUYEN, d.founded)
            for c in d.communes:
                commune = self.create(district, c.name, data.CO_SO,
                                      max(data.COMMUNE_FOUNDED, d.founded), sector=c.sector)
                for b in c.branches:
                    self.create(commune, b, data.CHI_DOAN, data.BRANCH_FOUNDED, sector=c.sector)

    def subs(self, parent: Unit, subs: Iterable[data.Sub]) -> list[Unit]:
        return [self.create(parent, s.name, s.kind, s.founded, sector=s.sector) for s in subs]

    # -- the build, in date order -------------------------------------------------------------
    def build(self) -> None:
        self.build_centre()
        self.build_hcm()
        self.build_tay_ninh()
        self.build_long_an()
        self.build_users()
        self.apply_2020()
        self.apply_2021()
        self.apply_reform()

    def build_centre(self) -> None:
        centre = self.create(None, data.CENTRE, data.TRUNG_UONG, data.CENTRE_FOUNDED,
                             short_name=data.CENTRE_SHORT, place=data.CENTRE_PLACE)
        self.departments(centre, data.CENTRE_DEPARTMENTS)
        by_region: dict[str, list[Unit]] = defaultdict(list)
        for p in data.PROVINCES:
            unit = self.create(centre, p.name, data.TINH, p.founded,
                               short_name=data.PROVINCE_SHORT, place=p.place)
            by_region[p.region].append(unit)
        by_region[data.AFFILIATED_REGION] = self.subs(centre, data.CENTRE_AFFILIATED)
        for name, region, standing in data.CENTRE_CLUSTERS:
            cluster = Cluster.objects.create(
                owner=centre, name=name, kind=ClusterKind.ACTIVITY,
                standing_department=self.depts[(centre.name, standing)],
                valid_from=data.CLUSTERS_FROM,
            )
            cluster.members.set(by_region[region])
        self.term(centre, data.CENTRE_TERM, data.CENTRE_SEATS)
        for post in data.CENTRE_POSTS:
            self.post(centre, post, data.CENTRE_TERM[1])

    def build_hcm(self) -> None:
        hcm = self.unit(data.HCM)
        self.departments(hcm, data.HCM_DEPARTMENTS)
        self.lower_units(hcm, data.HCM_DISTRICTS)
        workers = self.subs(hcm, data.HCM_WORKERS)
        armed = self.subs(hcm, data.HCM_ARMED)
        start = data.HCM_TERM[1]
        self.term(hcm, data.HCM_TERM, data.HCM_SEATS)
        for post in data.HCM_POSTS:
            self.post(hcm, post, start)
        for unit_name, post in data.HCM_DISTRICT_POSTS:
            self.post(self.unit(unit_name), post, start)
        districts = list(Unit.objects.filter(parent=hcm, kind__code=data.HUYEN))
        members = {"districts": districts, "workers": workers, "armed": armed}
        for name, group, standing in data.HCM_SECTOR_GROUPS:
            cluster = Cluster.objects.create(
                owner=hcm, name=name, kind=ClusterKind.SECTOR_GROUP,
                standing_department=self.depts[(hcm.name, standing)], valid_from=start,
            )
            cluster.members.set(members[group])

    def build_tay_ninh(self) -> None:
        tn = self.unit(data.TAY_NINH)
        self.departments(tn, data.TAY_NINH_DEPARTMENTS)
        self.lower_units(tn, data.TAY_NINH_DISTRICTS)
        self.subs(tn, data.TAY_NINH_AFFILIATED)
        self.term(tn, data.TAY_NINH_TERM, data.TAY_NINH_SEATS)
        start = data.TAY_NINH_POSTS_FROM
        for post in data.TAY_NINH_POSTS:
            self.post(tn, post, start)
        district_names = {d.name for d in data.TAY_NINH_DISTRICTS}
        for unit_name, post in data.TAY_NINH_LOWER_POSTS:
            end = data.DISTRICTS_LAST_DAY if unit_name in district_names else None
            self.post(self.unit(unit_name), post, start, end)
        for district, person, dept, field in data.TAY_NINH_SUPERVISION:
            supervised = self.unit(district)
            Supervision.objects.create(
                assigning_unit=tn, supervised_unit=supervised, person=self.persons[person],
                role_label=self._supervisor_label(person), field="Toàn diện",
                start_date=data.SUPERVISION_FROM, end_date=data.SUPERVISION_TO,
            )
            Supervision.objects.create(
                assigning_unit=tn, supervised_unit=supervised,
                department=self.depts[(tn.name, dept)], role_label="Ban, văn phòng phụ trách",
                field=field,
                start_date=data.SUPERVISION_FROM, end_date=data.SUPERVISION_TO,
            )

    def _supervisor_label(self, full_name: str) -> str:
        standing = {s.full_name for s in data.TAY_NINH_SEATS if "thuong_truc" in s.committees}
        if full_name in standing:
            return "Thường trực Tỉnh đoàn phụ trách"
        return "Ủy viên Ban Thường vụ phụ trách"

    def build_long_an(self) -> None:
        la = self.unit(data.LONG_AN)
        self.departments(la, data.LONG_AN_DEPARTMENTS)
        self.lower_units(la, data.LONG_AN_DISTRICTS)

    def build_users(self) -> None:
        # hashed once: the slow hasher runs once. Demo data, set directly rather than through
        # accounts.services: the shared password passes the validators all the same (a test says
        # so), and demo accounts are not asked to change it at first login.
        password = make_password(data.PASSWORD)
        for login in data.DEMO_LOGINS:
            user = User(username=login.username, full_name=login.full_name, password=password,
                        is_superuser=login.superuser, is_staff=login.superuser)
            user.save()
            person = self.persons.get(login.full_name)
            if person is None and not login.superuser:
                person = self.person(login.full_name)
            if person is not None:
                person.user = user
                person.save(update_fields=["user"])
            unit = self.unit(login.unit)
            start = (data.INSPECTION_GRANT_START if login.role == "thanh_vien_doan_kiem_tra"
                     else data.GRANT_START)
            RoleGrant.objects.create(
                user=user, role_type=self.roles[login.role], unit=unit,
                department=self.depts[(unit.name, login.department)] if login.department else None,
                start_date=start,
            )

    # -- later events -----------------------------------------------------------------------
    def apply_2020(self) -> None:
        for old, new in data.TOWN_RENAMES:
            services.unit_rename(actor=None, unit=self.unit(old), name=new, on=data.TOWN_DATE,
                                 note="Huyện trở thành thị xã.")
            self._renamed(old, new)

        commune = self.unit(data.INTER_HAMLET_COMMUNE)
        target = self.create(commune, data.INTER_HAMLET, data.CHI_DOAN, data.INTER_HAMLET_DATE,
                             sector=commune.sector)
        services.unit_merge(actor=None, sources=[self.unit(n) for n in data.INTER_HAMLET_SOURCES],
                            target=target, on=data.INTER_HAMLET_DATE, note=data.INTER_HAMLET_NOTE)

    def apply_2021(self) -> None:
        hcm = self.unit(data.HCM)
        target = self.create(hcm, data.THU_DUC, data.HUYEN, data.THU_DUC_DATE)
        sources = [self.unit(n) for n in data.THU_DUC_SOURCES]
        services.unit_merge(actor=None, sources=sources, target=target, on=data.THU_DUC_DATE,
                            note=data.THU_DUC_NOTE)
        # the ranking group follows the tree (memberships are not dated)
        group = Cluster.objects.get(owner=hcm, kind=ClusterKind.SECTOR_GROUP,
                                    name=data.HCM_DISTRICT_GROUP)
        group.members.remove(*sources)
        group.members.add(target)

    def apply_reform(self) -> None:
        on = data.REFORM_DATE
        services.unit_merge(actor=None, sources=[self.unit(data.LONG_AN)],
                            target=self.unit(data.TAY_NINH), on=on, note=data.REFORM_PROVINCE_NOTE)
        for dept in Department.objects.filter(unit=self.unit(data.LONG_AN), valid_to__isnull=True):
            dept.valid_to = on
            dept.save()
        tn = self.unit(data.TAY_NINH)
        districts = list(Unit.objects.filter(parent=tn, kind__code=data.HUYEN,
                                             dissolved_on__isnull=True).order_by("name"))
        for district in districts:
            for commune in Unit.objects.filter(parent=district, dissolved_on__isnull=True
                                               ).order_by("name"):
                services.unit_move(actor=None, unit=commune, new_parent=self.unit(data.TAY_NINH),
                                   on=on, note=data.REFORM_MOVE_NOTE)
        for sources, target in data.REFORM_COMMUNE_MERGES:
            services.unit_merge(actor=None, sources=[self.unit(n) for n in sources],
                                target=self.unit(target), on=on, note=data.REFORM_MOVE_NOTE)
        for commune in Unit.objects.filter(parent=tn, dissolved_on__isnull=True,
                                           name__startswith=data.TOWNSHIP_PREFIX).order_by("name"):
            old = commune.name
            new = data.COMMUNE_PREFIX + old.removeprefix(data.TOWNSHIP_PREFIX)
            services.unit_rename(actor=None, unit=commune, name=new, on=on,
                                 note="Không còn đơn vị hành chính thị trấn từ 01/7/2025.")
            self._renamed(old, new)
        for district in districts:
            services.unit_dissolve(actor=None, unit=Unit.objects.get(pk=district.pk), on=on,
                                   note=data.REFORM_DISSOLVE_NOTE)
        for commune_name, person, dept_short, field in data.POST_REFORM_SUPERVISION:
            Supervision.objects.create(
                assigning_unit=tn, supervised_unit=self.unit(commune_name),
                person=self.persons[person], role_label=self._supervisor_label(person),
                field=field, start_date=on,
            )
            Supervision.objects.create(
                assigning_unit=tn, supervised_unit=self.unit(commune_name),
                department=self.depts[(tn.name, dept_short)],
                role_label="Ban, văn phòng phụ trách", field=field, start_date=on,
            )

    def _renamed(self, old: str, new: str) -> None:
        ids = self.by_name.pop(old, [])
        self.by_name[new].extend(ids)
        for (unit_name, short), dept in list(self.depts.items()):
            if unit_name == old:
                self.depts[(new, short)] = dept
