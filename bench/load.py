"""A small HTTP/1.1 load client: N connections looping GETs on one URL for a few seconds.

Plain asyncio streams, so that the client costs little CPU next to the servers on a 2-core
machine (wrk is not needed, nor root). A connection is reused while the server keeps it open
(gunicorn's sync workers close it after each answer: then it reconnects, for both servers alike).
"""

from __future__ import annotations

import asyncio
import statistics
import time
from dataclasses import dataclass, field

# Flask-Login's "strong" session protection ties a session to the browser's User-Agent.
USER_AGENT = "accompagnement-bench"


@dataclass
class Result:
    """What one load run saw."""

    latencies: list[float] = field(default_factory=list)
    statuses: dict[int, int] = field(default_factory=dict)
    seconds: float = 0.0
    size: int = 0

    @property
    def rate(self) -> float:
        return len(self.latencies) / self.seconds if self.seconds else 0.0

    @property
    def mean_ms(self) -> float:
        return statistics.fmean(self.latencies) * 1000 if self.latencies else 0.0

    @property
    def p99_ms(self) -> float:
        if not self.latencies:
            return 0.0
        ordered = sorted(self.latencies)
        return ordered[min(len(ordered) - 1, int(len(ordered) * 0.99))] * 1000

    def merge(self, other: Result) -> None:
        """Add another run's figures to these (rate over the sum of durations)."""
        self.latencies += other.latencies
        self.seconds += other.seconds
        self.size = other.size or self.size
        for status, count in other.statuses.items():
            self.statuses[status] = self.statuses.get(status, 0) + count


async def _get(
    port: int, request: bytes, stream: tuple[asyncio.StreamReader, asyncio.StreamWriter] | None
) -> tuple[int, bytes, tuple[asyncio.StreamReader, asyncio.StreamWriter] | None]:
    if stream is None:
        stream = await asyncio.open_connection("127.0.0.1", port)
    reader, writer = stream
    writer.write(request)
    head = await reader.readuntil(b"\r\n\r\n")
    lines = head.decode("latin-1").split("\r\n")
    status = int(lines[0].split()[1])
    headers = {k.strip().lower(): v.strip() for k, _, v in (x.partition(":") for x in lines[1:])}
    if "content-length" in headers:
        body = await reader.readexactly(int(headers["content-length"]))
    else:
        body = await reader.read()
    if headers.get("connection", "").lower() == "close" or "content-length" not in headers:
        writer.close()
        return status, body, None
    return status, body, stream


async def _worker(port: int, request: bytes, deadline: float, result: Result) -> None:
    stream = None
    while time.monotonic() < deadline:
        started = time.perf_counter()
        try:
            status, body, stream = await _get(port, request, stream)
        except (ConnectionError, asyncio.IncompleteReadError):
            stream = None
            result.statuses[0] = result.statuses.get(0, 0) + 1
            continue
        result.latencies.append(time.perf_counter() - started)
        result.statuses[status] = result.statuses.get(status, 0) + 1
        result.size = len(body)
    if stream is not None:
        stream[1].close()


def run(
    port: int,
    path: str,
    cookie: str,
    *,
    connections: int,
    seconds: float,
    bearer: str | None = None,
) -> Result:
    """Load `path` with `connections` concurrent connections for `seconds`, sending the
    session `cookie` (when not empty) and an API token in `Authorization: Bearer` (when given)."""
    credentials = f"Cookie: {cookie}\r\n" if cookie else ""
    if bearer:
        credentials += f"Authorization: Bearer {bearer}\r\n"
    request = (
        f"GET {path} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\n{credentials}"
        f"User-Agent: {USER_AGENT}\r\nAccept-Language: fr\r\n\r\n"
    ).encode()
    result = Result()

    async def everyone() -> None:
        deadline = time.monotonic() + seconds
        started = time.monotonic()
        await asyncio.gather(
            *(_worker(port, request, deadline, result) for _ in range(connections))
        )
        result.seconds = time.monotonic() - started

    asyncio.run(everyone())
    return result
