"""The OpenAPI 3.1 document of the API, assembled from what flask-openapi3 collected on `bp`.

flask-openapi3 gathers each operation, its parameters and its schemas from the views' pydantic
models as the routes are declared; this module adds what holds for every operation in one place:
the bearer scheme, the errors as problem details, the 304 of a conditional GET.
"""

from __future__ import annotations

from functools import cache
from typing import Any

from flask_openapi3 import APIBlueprint
from flask_openapi3.models import APISpec, Components, Info

from accompagnement.api.problems import MEDIA_TYPE, Problem

TITLE = "Accompagnement API"
VERSION = "1"
ERRORS = {
    "400": "The request could not be read",
    "401": "No valid token",
    "403": "The token's person, kind (network or national) or scope may not do this",
    "404": "Not found, or not visible to the token's person",
    "422": "A value was refused (each field's message in `errors`)",
    "429": "Too many requests: wait for Retry-After seconds",
}
WRITE_ERRORS = {
    "409": "The project changed, or the workflow refused the transition (`refusals`)",
    "415": "The body must be JSON",
}
DESCRIPTION = (
    "Personal access tokens are made in *My account* and sent as `Authorization: Bearer <token>`. "
    "A token reads, or reads and writes, what its person may read or write in the web app; "
    "national staff's tokens only read, and only the national endpoints (every network's "
    "aggregate figures, never a person's data), which take no network's token; "
    "errors are RFC 9457 problem details; GET answers carry an ETag for conditional requests."
)


@cache
def openapi_document(bp: APIBlueprint) -> dict[str, Any]:
    """Return the document (built once: the routes are declared at import)."""
    spec = APISpec(
        openapi="3.1.0",
        info=Info(title=TITLE, version=VERSION, description=DESCRIPTION),
        paths=bp.paths,
        components=Components(schemas=bp.components_schemas),
    )
    document = spec.model_dump(mode="json", by_alias=True, exclude_none=True)
    components = document.setdefault("components", {})
    components.setdefault("schemas", {})["Problem"] = Problem.model_json_schema()
    components["securitySchemes"] = {"bearer": {"type": "http", "scheme": "bearer"}}
    for methods in document["paths"].values():
        for method, operation in methods.items():
            _add_common_answers(method, operation)
    return document


def _add_common_answers(method: str, operation: dict[str, Any]) -> None:
    responses = operation.setdefault("responses", {})
    errors = ERRORS if method == "get" else {**ERRORS, **WRITE_ERRORS}
    for status, description in errors.items():
        responses[status] = {
            "description": description,
            "content": {MEDIA_TYPE: {"schema": {"$ref": "#/components/schemas/Problem"}}},
        }
    if method == "get":
        responses["304"] = {"description": "Not modified since the ETag sent in If-None-Match"}
    for status, response in responses.items():
        if int(status) == 429:
            response["headers"] = {"Retry-After": {"schema": {"type": "integer"}}}
