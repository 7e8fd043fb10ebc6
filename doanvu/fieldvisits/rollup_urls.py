"""Routes of the roll-up reports (FV-7) and costs per department (FV-9)."""

from django.urls import URLPattern, path

from . import rollup_views as v

urlpatterns: list[URLPattern] = [
    path("don-vi/<int:unit_pk>/tong-hop/", v.rollup_page, name="rollup_page"),
    path("don-vi/<int:unit_pk>/tong-hop/<int:year>/viec/", v.rollup_obligations,
         name="rollup_obligations"),
    path("don-vi/<int:unit_pk>/tong-hop/<int:year>/<slug:code>/<int:n>.xlsx", v.rollup_xlsx,
         name="rollup_xlsx"),
    path("don-vi/<int:unit_pk>/tong-hop/<int:year>/<slug:code>/<int:n>/lap/",
         v.rollup_generate, name="rollup_generate"),
]
