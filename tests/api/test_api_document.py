"""The OpenAPI document and the documentation page, served from this site with the CSP intact."""

from __future__ import annotations

from accompagnement.security import CSP


def test_the_document_is_openapi_3_1_with_every_endpoint(client):
    document = client.get("/api/v1/openapi.json").get_json()
    assert document["openapi"] == "3.1.0"
    assert {
        "/api/v1/projects",
        "/api/v1/projects/{project_id}",
        "/api/v1/projects/{project_id}/transitions",
        "/api/v1/projects/{project_id}/forms/{stage}",
        "/api/v1/projects/{project_id}/checklist/{stage}/{item}",
        "/api/v1/pipeline",
        "/api/v1/report",
        "/api/v1/activities",
        "/api/v1/members",
        "/api/v1/observatory/reports",
        "/api/v1/national/networks",
        "/api/v1/national/pipeline",
        "/api/v1/national/report",
    } == set(document["paths"])
    assert document["components"]["securitySchemes"]["bearer"]["scheme"] == "bearer"


def test_every_error_of_the_document_is_a_problem(client):
    document = client.get("/api/v1/openapi.json").get_json()
    for methods in document["paths"].values():
        for operation in methods.values():
            for status, response in operation["responses"].items():
                if int(status) >= 400:
                    assert list(response["content"]) == ["application/problem+json"]


def test_the_docs_page_loads_vendored_files_and_no_inline_script(client):
    page = client.get("/api/v1/docs")
    html = page.get_data(as_text=True)
    assert page.status_code == 200
    assert page.headers["Content-Security-Policy"] == CSP
    assert "/static/vendor/swagger-ui/swagger-ui-bundle.js" in html
    assert "<script>" not in html and "http://" not in html and "https://" not in html
    for path in ("vendor/swagger-ui/swagger-ui-bundle.js", "vendor/swagger-ui/LICENSE"):
        with client.get(f"/static/{path}") as served:
            assert served.status_code == 200


def test_an_unknown_api_address_is_a_problem(client):
    answer = client.get("/api/v1/nothing-here")
    assert answer.status_code == 404
    assert answer.mimetype == "application/problem+json"
