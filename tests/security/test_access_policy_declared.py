"""Every route declares who may call it (ASVS V8.1.1): a new route without a policy fails here."""

from __future__ import annotations

from flask import Flask
from security_suite import ANONYMOUS, policy_of

from accompagnement.access import ROLES


def test_every_endpoint_declares_an_access_policy(app: Flask) -> None:
    missing = sorted(
        endpoint
        for endpoint in app.view_functions
        if endpoint != "static" and not policy_of(app, endpoint)
    )
    assert missing == [], f"routes without @public, @signed_in or @roles(...): {missing}"


def test_policies_name_only_known_roles(app: Flask) -> None:
    known = {ANONYMOUS, *ROLES}
    strange = {
        endpoint: sorted(policy_of(app, endpoint) - known)
        for endpoint in app.view_functions
        if endpoint != "static" and policy_of(app, endpoint) - known
    }
    assert strange == {}


def test_the_user_administration_is_for_coordinators_only(app: Flask) -> None:
    admin = [endpoint for endpoint in app.view_functions if endpoint.startswith("admin.")]
    assert "admin.users" in admin
    assert {endpoint: policy_of(app, endpoint) for endpoint in admin} == {
        endpoint: frozenset({"coordinator"}) for endpoint in admin
    }


def test_a_view_without_policy_is_detected(app: Flask) -> None:
    """The check above can fail: a bare view function has no policy."""

    def bare() -> str:
        return "bare"

    assert not getattr(bare, "access_policy", None)
