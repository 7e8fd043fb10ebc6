"""X-1 for the organisation app and the project templates: every Vietnamese text is wrapped."""

from django.test import Client
from django.urls import reverse

from doanvu.common.i18n_check import tree_problems


def test_x1_org_and_project_templates_have_no_unwrapped_vietnamese() -> None:
    mine = [p for p in tree_problems()
            if p.startswith(("doanvu/org/", "doanvu/templates/"))]
    assert mine == []


def test_x1_login_page_layout_text_is_unchanged(client: Client) -> None:
    body = client.get(reverse("accounts:login")).content.decode()
    assert "<title>" in body
    assert "Đoàn TNCS Hồ Chí Minh · Hệ thống Đoàn Vụ</footer>" in body
    assert '<a class="brand" href="/">Đoàn Vụ</a>' in body
