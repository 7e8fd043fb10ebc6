"""File inputs speak Vietnamese (issue 10, item 10): "Chọn tệp…" and the chosen file's name or
"Chưa chọn tệp" instead of the browser's "Choose File"; the real input stays in the page (hidden
from sight only) and no inline script or style is used (the CSP refuses them)."""

from __future__ import annotations

import re
from pathlib import Path

from django.urls import reverse

import doanvu
from doanvu.common.forms import FilePickerInput
from doanvu.hub.forms import SubmitForm
from doanvu.members.imports.forms import ImportUploadForm
from tests.conftest import login
from tests.hub.conftest import Inbox, inbox
from tests.members.conftest import MembersWorld, members_world

__all__ = ["inbox", "members_world"]  # the fixtures of those folders, used here

PICKER = re.compile(
    r'<span class="file-picker" data-empty="Chưa chọn tệp">\s*'
    r'<input type="file" name="(?P<name>[\w-]+)"[^>]*class="file-picker-input"[^>]*'
    r'id="(?P<id>[\w-]+)"[^>]*>\s*'
    r'<label for="(?P=id)" class="file-picker-button" aria-hidden="true">Chọn tệp…</label>\s*'
    r'<span class="file-picker-name" aria-live="polite">Chưa chọn tệp</span>\s*</span>'
    r'<script src="/static/js/file-picker\.js" defer></script>')


def _hand_or_widget(html: str) -> list[str]:
    # a form written by hand puts id before name; read both orders
    html = re.sub(r'<input type="file" id="([\w-]+)" name="([\w-]+)"',
                  r'<input type="file" name="\2" id="\1"', html)
    html = re.sub(r'(<input type="file" name="[\w-]+") id="([\w-]+)" (class="file-picker-input")'
                  r'([^>]*)>', r'\1 \3\4 id="\2">', html)
    return [m["name"] for m in PICKER.finditer(html)]


def test_the_file_widget_says_choose_a_file_in_vietnamese() -> None:
    html = str(ImportUploadForm()["file"]) + str(SubmitForm()["attachments"])

    assert _hand_or_widget(html) == ["file", "attachments"]
    assert "style=" not in html
    assert 'accept=".xlsx,.csv"' in html and " multiple " in html


def test_the_picker_script_is_a_static_file_showing_the_chosen_names() -> None:
    js = (Path(doanvu.__file__).parent / "static" / "js" / "file-picker.js").read_text()

    assert "file-picker-name" in js and "data-empty" in js and "files" in js
    assert FilePickerInput(attrs={"class": "x"}).attrs["class"] == "file-picker-input x"


def test_the_import_page_and_my_work_use_the_vietnamese_picker(
    members_world: MembersWorld, inbox: Inbox,
) -> None:
    start = login(members_world.world.admin).get(reverse("members:import_start"))
    work = login(inbox.world.district_a_cadre).get(reverse("hub:my_work"))

    assert _hand_or_widget(start.content.decode()) == ["file"]
    assert set(_hand_or_widget(work.content.decode())) == {"attachments"}
    assert "Choose File" not in start.content.decode() + work.content.decode()
