"""A big poll parses in a second process: same items as parsing here, and a worker that dies
costs one feed's error, never the run."""

from __future__ import annotations

import asyncio
import os
import signal
import sys

import pytest
from feeds import numbered, rss
from feedserver import Route

from radar.ingest import pipeline, workers
from radar.ingest.pipeline import run_fetch
from radar.ingest.workers import ParseWorker, WorkerDied
from radar.records import FeedSpec, FeedState, Fetched
from radar.store.db import open_db
from radar.store.feeds import sync_feeds
from tests.conftest import FIXED_NOW

ITEM_COLUMNS = "feed_id, key, guid, link, canonical_url, title, summary_html, summary_text, lang"


def _poll(db_path, settings, server, paths):  # type: ignore[no-untyped-def]
    db = open_db(db_path)
    try:
        sync_feeds(
            db, [FeedSpec(id=p.strip("/"), name=p, url=server.url(p)) for p in paths],
            "config", FIXED_NOW,
        )  # fmt: skip
        summary = run_fetch(db, settings, lambda: FIXED_NOW, everything=True)
        rows = db.execute(f"SELECT {ITEM_COLUMNS} FROM items ORDER BY feed_id, key").fetchall()
        return summary, rows
    finally:
        db.close()


def test_a_poll_parsed_in_the_worker_stores_what_parsing_here_stores(
    feed_server, settings, tmp_path, monkeypatch: pytest.MonkeyPatch
) -> None:
    paths = [f"/f{i}" for i in range(4)]
    for i, path in enumerate(paths):
        feed_server.routes[path] = Route(body=rss(numbered(3 + i)))
    feed_server.routes["/broken"] = Route(body=b"<!doctype html><html><p>not a feed")
    here = _poll(tmp_path / "here.db", settings, feed_server, [*paths, "/broken"])
    monkeypatch.setattr(workers, "INLINE_BODIES", 0)  # every body goes to the worker
    there = _poll(tmp_path / "worker.db", settings, feed_server, [*paths, "/broken"])
    assert there[1] == here[1]
    assert len(there[1]) == 3 + 4 + 5 + 6
    assert there[0].errors == here[0].errors
    assert "HTML page" in there[0].errors["broken"]


def test_an_error_inside_the_worker_comes_back_as_that_error() -> None:
    async def run() -> None:
        async with ParseWorker(inline=0) as worker:
            assert await worker.run(divmod, 7, 2) == (3, 1)
            with pytest.raises(ZeroDivisionError):
                await worker.run(divmod, 1, 0)
            assert await worker.run(divmod, 9, 4) == (2, 1)  # still alive

    asyncio.run(run())


def test_a_worker_that_dies_costs_that_call_and_the_rest_run_here() -> None:
    """Calls queued behind the one that killed the worker are not lost: they run here."""

    async def run() -> list[object]:
        async with ParseWorker(inline=0) as worker:
            queued = [worker.run(os._exit, 3), worker.run(os.getpid), worker.run(os.getpid)]
            answers = await asyncio.gather(*queued, return_exceptions=True)
            return [*answers, await worker.run(os.getpid)]

    died, *rest = asyncio.run(run())
    assert isinstance(died, WorkerDied)  # the process ended mid-call, for real
    assert rest == [os.getpid()] * 3


def test_a_feed_whose_parse_loses_the_worker_is_that_feeds_error(settings) -> None:
    """The kernel's out-of-memory killer ends the worker: one feed records it, plainly."""
    state = FeedState(id="big", url="http://127.0.0.1/big")
    fetched = Fetched(url=state.url, status=200, body=rss(numbered(2)), headers={})

    async def run():  # type: ignore[no-untyped-def]
        async with ParseWorker(inline=0) as worker:
            worker_pid = await worker.run(os.getpid)  # asked in the worker: its own id
            os.kill(worker_pid, signal.SIGKILL)
            dead = await pipeline._judged(worker, state, FIXED_NOW, fetched, settings)
            alive = await pipeline._judged(worker, state, FIXED_NOW, fetched, settings)
            return dead, alive

    dead, alive = asyncio.run(run())
    assert dead.error is not None and "parser process died" in dead.error
    assert not dead.items
    assert alive.error is None and len(alive.items) == 2


def test_a_worker_that_cannot_start_leaves_the_parsing_here(
    monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    """An interpreter that exits at once (here /bin/false) never costs a feed."""
    monkeypatch.setattr(sys, "executable", "/bin/false")

    async def run() -> list[int]:
        async with ParseWorker(inline=0) as worker:
            return [await worker.run(os.getpid) for _ in range(3)]

    assert asyncio.run(run()) == [os.getpid()] * 3
    assert "did not start" in caplog.text
