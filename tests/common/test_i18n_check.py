"""X-1: the check that no Vietnamese interface text escapes gettext (doanvu/common/i18n_check)."""

from __future__ import annotations

from doanvu.common.i18n_check import main, python_problems, template_problems

PLANTED_PY = '''
"""Một docstring tiếng Việt thì được."""
from django.utils.translation import gettext as _

LABEL = "Đoàn viên"
OK = _("Đoàn viên")
PROVINCES = {"072": "Tây Ninh"}  # i18n: data


def f(name: str) -> str:
    """Docstring cũng được."""
    ok = _("Chào {name}").format(name=name)
    return f"Xin chào {name}" + ok
'''

PLANTED_HTML = """{% load i18n %}
<h1>{% translate "Đoàn viên" %}</h1>
{# chú thích #}
<p>{% blocktranslate with n=count %}Có {{ n }} người{% endblocktranslate %}</p>
<input placeholder="{% translate 'Tìm kiếm' %}">
{{ value|default:_("Chưa có") }}
<p>Chưa dịch</p>
<input title="Tiêu đề">
"""


def test_x1_check_finds_unwrapped_python_literals_only() -> None:
    assert python_problems(PLANTED_PY, "x.py") == [
        "x.py:5: 'Đoàn viên'",
        "x.py:13: 'Xin chào'",
    ]


def test_x1_check_finds_unwrapped_template_text_only() -> None:
    assert template_problems(PLANTED_HTML, "x.html") == [
        "x.html:7: '<p>Chưa dịch</p>'",
        "x.html:8: '<input title=\"Tiêu đề\">'",
    ]



def test_x1_every_vietnamese_literal_of_the_code_is_wrapped(capsys: object) -> None:
    assert main() == 0
