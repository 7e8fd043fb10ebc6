from pathlib import Path

from doanvu.common.i18n_check import template_problems

TEMPLATES = Path(__file__).resolve().parents[2] / "doanvu" / "members" / "templates"


def test_x1_members_templates_wrap_every_vietnamese_text():
    problems = [
        problem
        for path in sorted(TEMPLATES.rglob("*.html"))
        for problem in template_problems(path.read_text(encoding="utf-8"), str(path))
    ]
    assert problems == []
    # the glob found the folder (a wrong path would pass with no problems); templates only grow
    assert len(list(TEMPLATES.rglob("*.html"))) >= 27
