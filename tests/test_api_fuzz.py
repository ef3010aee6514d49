"""The whole OpenAPI fuzzed (schemathesis, property-based through hypothesis), in-process
through the WSGI app, as a county official and as an enterprise user: no answer is a 5xx,
every status is one the operation documents, and every body matches its documented schema.

Bounded: a few examples per operation, derandomized (the same cases on every run), so the
suite stays reproducible and adds about a minute per core. Runs on SQLite and PostgreSQL
(NUL characters and out-of-range numbers fail differently on each).
"""

import pytest
import schemathesis
from django.core import signals
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from anlan.accounts.models import ApiToken, User

CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
]
EXAMPLES = 8
_django = get_wsgi_application()


def application(environ, start_response):
    """The Django app as a WSGI callable that keeps the test's database connection open (as
    Django's test client does): each test runs in one transaction, rolled back at its end."""
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    try:
        response = _django(environ, start_response)
        try:
            return [b"".join(response)]
        finally:
            response.close()
    finally:
        signals.request_started.connect(close_old_connections)
        signals.request_finished.connect(close_old_connections)


schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", application)


@pytest.fixture(params=["demo-county", "demo-ent-a"])
def token(request, db) -> str:
    _, key = ApiToken.objects.issue(User.objects.get(username=request.param))
    return key


@schema.parametrize()
@settings(
    max_examples=EXAMPLES,
    deadline=None,
    derandomize=True,
    suppress_health_check=list(HealthCheck),
)
def test_api(case, token):
    case.call_and_validate(headers={"Authorization": f"Bearer {token}"}, checks=CHECKS)
