"""Finding 9 of issue 8: a Content-Security-Policy on every response, and production settings that
force HTTPS (HSTS, SSL redirect, secure cookies) unless an operator turns each off explicitly."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from django.test import Client
from django.urls import reverse

from tests.conftest import World, login

ROOT = Path(__file__).resolve().parents[2]
POLICY = ("default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
          "font-src 'self'; connect-src 'self'; frame-ancestors 'none'; form-action 'self'; "
          "base-uri 'self'; object-src 'none'")


def test_sec8_every_response_carries_the_content_security_policy(world: World) -> None:
    client = login(world.district_a_cadre)

    responses = [
        Client().get(reverse("accounts:login")),
        client.get(reverse("org:tree")),
        client.get(reverse("org:unit_detail", args=[world.district_a.pk])),
        client.get(reverse("org:unit_detail", args=[world.district_b.pk])),  # 404
        client.get(reverse("org:unit_export", args=[world.district_a.pk, "csv"])),
    ]

    assert [r.status_code for r in responses] == [200, 200, 200, 404, 200]
    assert [r["Content-Security-Policy"] for r in responses] == [POLICY] * 5


def test_sec8_pages_tell_htmx_not_to_inject_styles(world: World) -> None:
    body = login(world.district_a_cadre).get(reverse("org:tree")).content.decode()

    assert ('<meta name="htmx-config" content=\'{"includeIndicatorStyles":false,'
            '"allowEval":false}\'>') in body
    assert "style=" not in body and "<style" not in body


def _production(extra: dict[str, str], code: str) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "DATABASE_URL"))}
    env.update({"DJANGO_SETTINGS_MODULE": "doanvu.settings.production",
                "DJANGO_SECRET_KEY": "k" * 20 + "-production-test-secret-key-0123456789",
                "DOANVU_AUDIT_KEY": "a" * 20 + "-production-test-audit-key-0123456789",
                "DJANGO_DEBUG": "false", "DJANGO_ALLOWED_HOSTS": "example.org", **extra})
    return subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True,
                          text=True, timeout=120, check=False)


SETTINGS_JSON = (
    "import django, json; django.setup(); from django.conf import settings as s; "
    "print(json.dumps([s.SECURE_HSTS_SECONDS, s.SECURE_HSTS_INCLUDE_SUBDOMAINS, "
    "s.SECURE_SSL_REDIRECT, s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE, "
    "s.SECURE_PROXY_SSL_HEADER]))"
)


def test_sec8_production_forces_https_by_default() -> None:
    result = _production({}, SETTINGS_JSON)

    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout) == [31536000, True, True, True, True,
                                         ["HTTP_X_FORWARDED_PROTO", "https"]]


def test_sec8_production_https_settings_can_be_turned_off_explicitly() -> None:
    result = _production({"DJANGO_SECURE_HSTS_SECONDS": "0",
                          "DJANGO_SECURE_HSTS_INCLUDE_SUBDOMAINS": "false",
                          "DJANGO_SECURE_SSL_REDIRECT": "false",
                          "DJANGO_SESSION_COOKIE_SECURE": "false",
                          "DJANGO_CSRF_COOKIE_SECURE": "false",
                          "DJANGO_SECURE_PROXY_SSL_HEADER": "false"}, SETTINGS_JSON)

    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout) == [0, False, False, False, False, None]


def test_sec8_production_check_deploy_has_no_https_warnings() -> None:
    result = _production({}, "from django.core.management import execute_from_command_line; "
                             "execute_from_command_line(['manage.py', 'check', '--deploy'])")

    output = result.stdout + result.stderr
    assert result.returncode == 0, output
    assert [w for w in ("W004", "W005", "W008", "W012", "W016") if f"security.{w}" in output] == []
