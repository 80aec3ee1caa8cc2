from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

from ecplan.audit.context import serving


class AuditRequestMiddleware:
    """Makes the request known to :func:`ecplan.audit.services.record` while it is served."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        with serving(request):
            return self.get_response(request)
