"""The project's URLs plus a one-line hello view, mounted for the benchmark run only: the floor
every page is compared to (same server, middleware, session and user lookup)."""

from django.http import HttpRequest, HttpResponse
from django.urls import path

from qms.urls import urlpatterns as project_urlpatterns


def hello(request: HttpRequest) -> HttpResponse:
    return HttpResponse(b"hello", content_type="text/plain")


urlpatterns = [path("bench/hello/", hello), *project_urlpatterns]
