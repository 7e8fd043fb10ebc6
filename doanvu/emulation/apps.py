from django.apps import AppConfig
from django.utils.translation import gettext_lazy


class EmulationConfig(AppConfig):
    name = "doanvu.emulation"
    label = "emulation"
    verbose_name = gettext_lazy("Thi đua: đánh giá, phân loại, xếp hạng")

    def ready(self) -> None:
        from django.utils.translation import gettext as _

        from doanvu.audit.registry import register
        from doanvu.inspections.signals import slot_changed

        from . import deadlines
        from . import models as m

        slot_changed.connect(deadlines.on_slot_changed,
                             dispatch_uid="emulation.deadlines.on_slot_changed")

        register(m.SectorGroup, unit="issuing_unit_id",
                 label=_("{name} ({issuing_unit__name})"))
        register(m.SectorGroupMember, unit="group__issuing_unit_id",
                 label=_("{unit__name} thuộc {group__name} năm {year}"))
        register(m.Rubric, unit="issuing_unit_id", label="{name}")
        register(m.WorkArea, unit="rubric__issuing_unit_id", label="{code}. {title}")
        register(m.Criterion, unit="area__rubric__issuing_unit_id", label="{code}. {title}")
        register(m.RubricItem, unit="rubric__issuing_unit_id", label="{code}. {title}")
        register(m.RubricTier, unit="rubric__issuing_unit_id", label="{name}")
        register(m.RubricDisqualifier, unit="rubric__issuing_unit_id", label="{label}")
        register(m.ScoreSheet, unit="unit_id", label=_("Phiếu thi đua của {unit__name} năm {year}"))
        register(m.ScoreLine, unit="sheet__unit_id",
                 label=_("Điểm tiêu chí {criterion__code} của {sheet__unit__name}"))
        register(m.SheetEvidence, unit="sheet__unit_id", label="{original_name}")
        register(m.SheetEntry, unit="sheet__unit_id",
                 label=_("Mục {item__code} của {sheet__unit__name}"))
        register(m.ComponentImport, unit="rubric__issuing_unit_id", label="{title}")
        register(m.ComponentRequest, unit="rubric__issuing_unit_id", label="{title}")
        register(m.RankingSnapshot, unit="rubric__issuing_unit_id",
                 label=_("Bảng xếp hạng {rubric__name}"))
        register(m.RankingEntry, unit="unit_id",
                 label=_("Hạng của {unit__name}"))
        # inspection conclusions hand their adjustments to the sheets (INS-6; see conclusions)
        from doanvu.inspections.hooks import adjustments

        from .conclusions import on_adjustments

        adjustments.connect(on_adjustments, dispatch_uid="emulation.conclusion_adjustments")
        register(m.EmulationPolicy, unit="issuing_unit_id",
                 label=_("Quy định thi đua năm {year} của {issuing_unit__name}"))
        register(m.ResultNotice, unit="unit_id",
                 label=_("Thông báo kết quả thi đua của {unit__name}"))
        register(m.Appeal, unit="unit_id",
                 label=_("Khiếu nại tiêu chí {criterion__code} của {unit__name}"))
