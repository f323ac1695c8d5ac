"""Names the app server that answered, so that a test behind the load balancer sees where each request landed."""

import os

from django.http import HttpRequest, HttpResponse


def served_by_middleware(get_response):
    name = os.environ["SERVED_BY"]

    def middleware(request: HttpRequest) -> HttpResponse:
        response = get_response(request)
        response["X-Served-By"] = name
        return response

    return middleware
