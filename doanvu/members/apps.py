from django.apps import AppConfig


class MembersConfig(AppConfig):
    name = "doanvu.members"
    label = "members"
    verbose_name = "Đoàn viên và cán bộ"

    def ready(self) -> None:
        from doanvu.audit.registry import register

        from . import models as m
        from . import receivers  # noqa: F401

        register(m.Membership, unit=lambda o: o.branch_id, exclude=("name_folded", "unit_path"))
        register(m.Transfer, unit=lambda o: o.membership.branch_id)
        register(m.CadreStatus, unit=lambda o: None)
        register(m.CadreCourse, unit=lambda o: None)
        register(m.DuesEntry, unit=lambda o: o.membership.branch_id)
        register(m.Remittance, unit=lambda o: o.from_unit_id)
        register(m.Meeting, unit=lambda o: o.unit_id)
        register(m.Attendance, unit=lambda o: o.meeting.unit_id)
        register(m.RemovalProposal, unit=lambda o: o.membership.branch_id)
        register(m.TrainingRegistration, unit=lambda o: o.membership.branch_id)
        register(m.MemberRating, unit=lambda o: o.membership.branch_id)
        register(m.UnitClassification, unit=lambda o: o.unit_id)
        register(m.Referral, unit=lambda o: o.referrer.branch_id)
        register(m.MembersPolicy, unit=lambda o: o.issuing_unit_id)
        register(m.RatingScale, unit=lambda o: o.issuing_unit_id)
