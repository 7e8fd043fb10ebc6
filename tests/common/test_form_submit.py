"""`common.forms.form_submit`: the one form → service → field error → message → redirect flow."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.messages import get_messages
from django.contrib.messages.storage.fallback import FallbackStorage
from django.http import HttpRequest
from django.test import RequestFactory

from doanvu.common.errors import ApplicationError
from doanvu.common.forms import form_submit


class NameForm(forms.Form):
    name = forms.CharField(max_length=20)


def _request(method: str, data: dict[str, str] | None = None) -> HttpRequest:
    factory = RequestFactory()
    request = factory.post("/", data or {}) if method == "POST" else factory.get("/")
    request.session = {}  # type: ignore[attr-defined]
    request._messages = FallbackStorage(request)  # type: ignore[attr-defined]
    return request


def _texts(request: HttpRequest) -> list[str]:
    return [str(m) for m in get_messages(request)]


class Recorder:
    """A stand-in service: records its input, returns what it made (the name's length)."""

    def __init__(self, refuse: ApplicationError | None = None) -> None:
        self.calls: list[dict[str, Any]] = []
        self.refuse = refuse

    def __call__(self, data: dict[str, Any]) -> str:
        self.calls.append(dict(data))
        if self.refuse is not None:
            raise self.refuse
        return str(len(data["name"]))


def test_i9_form_submit_valid_post_calls_the_service_flashes_and_redirects() -> None:
    request = _request("POST", {"name": "Chi đoàn"})
    form = NameForm(request.POST)
    service = Recorder()

    response = form_submit(request, form, service,
                           success=lambda made: f"Đã thêm {made}.",
                           redirect_to=lambda made: f"/don-vi/{made}/")

    assert service.calls == [{"name": "Chi đoàn"}]
    assert response is not None
    assert (response.status_code, response["Location"]) == (302, "/don-vi/8/")
    assert _texts(request) == ["Đã thêm 8."]


def test_i9_form_submit_plain_message_and_address() -> None:
    request = _request("POST", {"name": "Chi đoàn"})

    response = form_submit(request, NameForm(request.POST), Recorder(),
                           success="Đã lưu.", redirect_to="/danh-sach/")

    assert response is not None
    assert response["Location"] == "/danh-sach/"
    assert _texts(request) == ["Đã lưu."]


def test_i9_form_submit_refusal_goes_beside_its_field_and_keeps_the_input() -> None:
    request = _request("POST", {"name": "Chi đoàn"})
    form = NameForm(request.POST)
    service = Recorder(ApplicationError("Tên đơn vị đã có.", field="name"))

    response = form_submit(request, form, service, success="Đã lưu.", redirect_to="/")

    assert response is None
    assert form.errors == {"name": ["Tên đơn vị đã có."]}
    assert form["name"].value() == "Chi đoàn"
    assert _texts(request) == []


def test_i9_form_submit_refusal_without_a_known_field_goes_to_the_form() -> None:
    request = _request("POST", {"name": "Chi đoàn"})
    form = NameForm(request.POST)

    response = form_submit(request, form, Recorder(ApplicationError("Không được phép.",
                                                                    field="khac")),
                           success="Đã lưu.", redirect_to="/")

    assert response is None
    assert form.non_field_errors() == ["Không được phép."]


def test_i9_form_submit_get_and_invalid_post_do_not_call_the_service() -> None:
    service = Recorder()
    get = _request("GET")
    invalid = _request("POST", {"name": ""})
    invalid_form = NameForm(invalid.POST)

    on_get = form_submit(get, NameForm(), service, success="Đã lưu.", redirect_to="/")
    on_invalid = form_submit(invalid, invalid_form, service, success="Đã lưu.", redirect_to="/")

    assert (on_get, on_invalid) == (None, None)
    assert service.calls == []
    assert list(invalid_form.errors) == ["name"]
    assert _texts(get) + _texts(invalid) == []
