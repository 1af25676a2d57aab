"""schemathesis fuzzes the OpenAPI document against the app with each role's token: no answer
is a 500, and every answer (status, content type, headers, body) conforms to the document."""

from __future__ import annotations

from itertools import product
from typing import Any

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from schemathesis import GenerationMode

from tests.api.conftest import bearer

# Business rules refuse some schema-valid bodies with 422 and their messages, as the web forms do
# (an unknown activity type, a member's name already taken): not a failure of the document.
ACCEPTED_422 = [schemathesis.checks.positive_data_acceptance]
EXAMPLES = 6  # per operation, mode (valid, invalid input) and role: short enough for the suite


@pytest.fixture
def token_of(make_user, make_token, make_project, make_member) -> Any:
    """Return a function giving the headers of a role's token, made once per test."""
    made: dict[str, dict[str, str]] = {}

    def headers(role: str) -> dict[str, str]:
        if role not in made:
            holder = make_user("holder")
            make_project("Recyclerie fuzz", holders=[holder])
            make_member("Ressourcerie fuzz", commune_insee="87085", departement_code="87")
            person = holder if role == "holder" else make_user(role)
            scope = "read" if role in ("partner", "national") else "write"
            made[role] = {**bearer(make_token(person, scope=scope)), "Accept-Language": "en"}
        return made[role]

    return headers


@pytest.mark.parametrize("role", ["coordinator", "partner", "holder", "national"])
def test_every_answer_conforms_to_the_document(app, role, token_of):
    headers = token_of(role)
    schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", app)
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) >= 13
    for operation, mode in product(operations, GenerationMode):

        @given(case=operation.as_strategy(generation_mode=mode))
        @settings(
            max_examples=EXAMPLES,
            deadline=None,
            suppress_health_check=list(HealthCheck),
            derandomize=True,
            database=None,
        )
        def conforms(case: Any) -> None:
            case.call_and_validate(headers=headers, excluded_checks=ACCEPTED_422)

        conforms()
