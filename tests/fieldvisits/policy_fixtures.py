"""A Tây Ninh-like regime (seed 002) as a FieldVisitPolicy on the `world` tree, and the form's
POST data for it."""

from __future__ import annotations

import datetime as dt
from typing import Any

from doanvu.fieldvisits.models import FieldVisitPolicy
from doanvu.org.models import Unit

SEED_002: dict[str, Any] = {
    "name": "Chế độ đi công tác cơ sở giai đoạn 2018 – 2022",
    "valid_from": dt.date(2018, 4, 18), "valid_to": dt.date(2022, 12, 31),
    "source": "Kế hoạch số 45-KH/TĐTN-TCKT", "min_days": 60,
    "levels": [{"code": "huyen", "label": "cấp huyện", "kinds": ["huyen", "truc_thuoc_tinh"]},
               {"code": "co_so", "label": "cấp cơ sở", "kinds": ["co_so", "chi_doan"]}],
    "days_by_level": {}, "coverage": {"tinh": ["huyen", "co_so"], "huyen": ["co_so"]},
    "counted_kinds": ["1.1", "1.2", "1.3", "1.4", "1.5", "1.6"],
    "chosen_kinds": ["1.1", "1.3", "1.6"], "assigned_kinds": ["1.2", "1.4", "1.5"],
    "branch_meeting_kind": "1.6", "branch_meetings_min": 1,
    "exempt_titles": ["văn thư", "kế toán", "thủ quỹ"], "exempt_statuses": ["thai_san"],
    "long_statuses": ["biet_phai", "dao_tao_tap_trung"], "long_status_min_months": 6,
    "prorate": "months", "prorate_month_min_days": 15, "report_days": 3,
    "registration_day": 15, "agency_plan_kinds": ["huyen"],
    "rollups": [{"code": "nam_btv", "label": "Báo cáo năm", "period": "year",
                 "to": "btv", "month": 10, "day": 20},
                {"code": "quy", "label": "Báo cáo quý", "period": "quarter",
                 "to": "standing", "after_days": 10}],
    "one_plus_two": "days_unit", "one_plus_two_days": 60, "youth_month": 3,
}

FORM: dict[str, Any] = {
    "name": "Chế độ đi cơ sở chia theo cấp", "valid_from": "01/01/2021", "valid_to": "",
    "source": "Kế hoạch mẫu", "plan_document": "", "min_days": "60",
    "levels": "chi_doan | chi đoàn | chi_doan\nco_so | cấp xã | co_so\n"
              "huyen | cấp huyện | huyen, truc_thuoc_tinh",
    "days_by_level": "chi_doan | 30\nco_so | 20\nhuyen | 10",
    "coverage": "tinh | huyen, co_so, chi_doan", "counted_kinds": ["1.1", "1.2", "1.6"],
    "chosen_kinds": ["1.1", "1.6"], "assigned_kinds": ["1.2"], "branch_meeting_kind": "1.6",
    "branch_meetings_min": "2", "exempt_titles": "văn thư\nkế toán",
    "exempt_statuses": ["thai_san"], "long_statuses": ["biet_phai"],
    "long_status_min_months": "6", "prorate": "days", "prorate_month_min_days": "15",
    "report_days": "10", "registration_day": "10", "agency_plan_kinds": "huyen",
    "rollups": "quy | Báo cáo quý | quý | Thường trực | 7\n"
               "nam | Báo cáo năm | năm | btv | 15/10 | tinh, huyen",
    "one_plus_two": "days", "one_plus_two_days": "60", "youth_month": "3",
}


def seed_policy(unit: Unit, **changes: Any) -> FieldVisitPolicy:
    return FieldVisitPolicy.objects.create(issuing_unit=unit, **{**SEED_002, **changes})
