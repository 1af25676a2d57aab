"""Behind TRUSTED_PROXIES reverse proxies the app sees the client's address and scheme; with
none (the default) a client's X-Forwarded-* headers change nothing."""

from __future__ import annotations

from collections.abc import Callable

from flask import Flask, request

FORWARDED = {"X-Forwarded-For": "203.0.113.7", "X-Forwarded-Proto": "https"}


def _seen(app: Flask, headers: dict[str, str]) -> str:
    @app.get("/_seen")
    def seen() -> str:
        return f"{request.remote_addr} {request.scheme}"

    return app.test_client().get("/_seen", headers=headers).get_data(as_text=True)


def test_behind_one_proxy_the_client_address_is_the_forwarded_one(
    other_app: Callable[..., Flask],
) -> None:
    assert _seen(other_app(TRUSTED_PROXIES=1), FORWARDED) == "203.0.113.7 https"


def test_only_the_proxy_s_own_hop_is_believed(other_app: Callable[..., Flask]) -> None:
    spoofed = {**FORWARDED, "X-Forwarded-For": "198.51.100.1, 203.0.113.7"}
    assert _seen(other_app(TRUSTED_PROXIES=1), spoofed) == "203.0.113.7 https"


def test_without_a_proxy_forwarded_headers_are_ignored(other_app: Callable[..., Flask]) -> None:
    assert _seen(other_app(), FORWARDED) == "127.0.0.1 http"
