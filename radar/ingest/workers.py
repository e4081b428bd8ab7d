"""Parse feed bodies in a second process once a run has many of them: the GIL is the limit.

Parsing is pure Python (feedparser), and so is most of a fetch around it (httpx, the story
grouper), so on one interpreter a big first poll runs at the speed of one core whatever
the machine has. A run that brings more than ``INLINE_BODIES`` bodies to parse hands the
rest to one worker process while this one keeps fetching and storing: a 2,000-feed first
poll then uses both cores of a small office machine. A poll of a few changed feeds (the
usual case) never pays for starting the worker.

The worker is ``python -m radar.ingest.workers``, reading calls as pickled frames on its
stdin and answering on its stdout. It is started with ``asyncio`` rather than
``multiprocessing`` because multiprocessing's workers import the parent's ``__main__``
again, which for the Streamlit app is the app page itself. The pickles travel only between
this process and the child it started.

The worker is also a fault boundary: a body that kills it (a parser crash, the kernel's
out-of-memory killer) becomes that one feed's error, and the run parses the rest here.
"""

from __future__ import annotations

import asyncio
import importlib
import logging
import os
import pickle
import struct
import sys
from collections import deque
from collections.abc import Callable
from pathlib import Path
from typing import Any, BinaryIO, TypeVar

INLINE_BODIES = 40  # bodies parsed in this process before the worker starts
_FRAME = struct.Struct("!Q")  # the length of each pickled frame
_READY = b"radar parse worker 1\n"  # the worker's greeting: it started and found the package
START_SECONDS = 30.0
log = logging.getLogger("radar.ingest")
_R = TypeVar("_R")


class WorkerDied(RuntimeError):
    """The worker process ended while parsing one body (that body's feed records it)."""


class _NotReached(Exception):
    """A call still queued when the worker died: it is run in this process instead."""


class ParseWorker:
    """Run a parse call here for the first few bodies of a run, then in a worker process.

    One worker: it parses while this process fetches and stores, which is what two cores
    allow. ``call`` must be a module-level function (the worker imports it by name).
    """

    def __init__(self, inline: int | None = None) -> None:
        self._inline = INLINE_BODIES if inline is None else inline
        self._starting: asyncio.Future[asyncio.subprocess.Process | None] | None = None
        self._answers: asyncio.Task[None] | None = None
        self._waiting: deque[asyncio.Future[Any]] = deque()  # the worker answers in order
        self._broken = False

    async def __aenter__(self) -> ParseWorker:
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        child = await self._starting if self._starting is not None else None
        if child is None:
            return
        if child.stdin is not None:
            child.stdin.close()
        try:
            await asyncio.wait_for(child.wait(), timeout=5)
        except TimeoutError:
            child.kill()
            await child.wait()
        if self._answers is not None:
            await self._answers

    async def run(self, call: Callable[..., _R], *args: object) -> _R:
        """``call(*args)``, here or in the worker; raise WorkerDied if the worker died on it.

        Callers may overlap: the next body is already in the pipe while the worker parses
        the current one, so the worker never waits for this process between two bodies.
        """
        if self._inline > 0 or self._broken:
            self._inline -= 1
            return call(*args)
        if self._starting is None:
            self._starting = asyncio.ensure_future(self._start())
        child = await self._starting
        if child is None:  # it could not start: parse here
            return call(*args)
        assert child.stdin is not None
        frame = pickle.dumps((call.__module__, call.__qualname__, args), pickle.HIGHEST_PROTOCOL)
        answer: asyncio.Future[Any] = asyncio.get_running_loop().create_future()
        self._waiting.append(answer)
        try:
            child.stdin.write(_FRAME.pack(len(frame)) + frame)
            await child.stdin.drain()
        except OSError:
            pass  # the worker is gone: the answers reader fails every waiting call
        try:
            ok, value = await answer
        except _NotReached:  # queued behind the body that killed the worker: parse it here
            return call(*args)
        if not ok:
            raise value
        return value

    async def _start(self) -> asyncio.subprocess.Process | None:
        """Start the worker and wait for its greeting; None (parse here) if it cannot start."""
        child = None
        try:
            child = await asyncio.create_subprocess_exec(
                sys.executable, "-m", __name__,
                stdin=asyncio.subprocess.PIPE, stdout=asyncio.subprocess.PIPE,
                env={**os.environ, "PYTHONPATH": _search_path()}, limit=2**26,
            )  # fmt: skip
            assert child.stdout is not None
            greeting = await asyncio.wait_for(child.stdout.readexactly(len(_READY)), START_SECONDS)
            if greeting != _READY:
                raise OSError("unexpected greeting")
        except (OSError, asyncio.IncompleteReadError, TimeoutError) as exc:
            self._broken = True
            log.warning("the parse worker did not start (%s); this run parses in-process", exc)
            if child is not None and child.returncode is None:
                child.kill()
                await child.wait()
            return None
        self._answers = asyncio.create_task(self._read_answers(child))
        return child

    async def _read_answers(self, child: asyncio.subprocess.Process) -> None:
        """Hand each answer to the oldest waiting call; when the worker ends, fail the rest."""
        assert child.stdout is not None
        try:
            while self._waiting or not child.stdout.at_eof():
                size = _FRAME.unpack(await child.stdout.readexactly(_FRAME.size))[0]
                answer = pickle.loads(await child.stdout.readexactly(size))
                waiting = self._waiting.popleft()
                if not waiting.done():  # a cancelled call's answer is dropped
                    waiting.set_result(answer)
        except (OSError, asyncio.IncompleteReadError):
            pass
        self._broken = True  # gone, whether closed or dead: later calls run here
        if self._waiting:
            log.warning("the parse worker died; the rest of this run is parsed in-process")
        died: Exception = WorkerDied("the parser process died while reading this feed")
        while self._waiting:  # the oldest was being parsed; the others never reached it
            waiting = self._waiting.popleft()
            if not waiting.done():
                waiting.set_exception(died)
            died = _NotReached()


def _serve(source: BinaryIO, sink: BinaryIO) -> None:
    """The worker's loop: answer each call frame with ``(True, result)`` or ``(False, error)``."""
    while header := source.read(_FRAME.size):
        module, name, args = pickle.loads(source.read(_FRAME.unpack(header)[0]))
        try:
            answer: tuple[bool, Any] = (True, getattr(importlib.import_module(module), name)(*args))
        except Exception as exc:  # sent back: the caller's feed boundary records it
            answer = (False, exc)
        try:
            frame = pickle.dumps(answer, pickle.HIGHEST_PROTOCOL)
        except Exception as exc:  # what cannot travel is sent as its text
            problem = exc if answer[0] else answer[1]
            frame = pickle.dumps((False, RuntimeError(f"{type(problem).__name__}: {problem}")))
        sink.write(_FRAME.pack(len(frame)) + frame)
        sink.flush()


def _search_path() -> str:
    """The worker imports this very package, whatever the caller's directory or install."""
    here = str(Path(__file__).resolve().parents[2])
    return os.pathsep.join([here, *filter(None, [os.environ.get("PYTHONPATH")])])


if __name__ == "__main__":
    sys.stdout.buffer.write(_READY)
    sys.stdout.buffer.flush()
    _serve(sys.stdin.buffer, sys.stdout.buffer)
