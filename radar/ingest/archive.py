"""Back-fill history from dated headline archives (``radar import-archive FILE``).

Feeds only show the present, yet judging staying power needs years of mentions, so a new
install imports archives: JSON Lines or CSV, optionally gzip-compressed (recognised by its
magic bytes, not the file name), read as a stream so a file of millions of rows never sits
in memory. Each row needs ``date`` (``YYYY-MM-DD`` or an ISO datetime), ``title`` and
``source``; ``url``, ``summary``, ``lang`` and ``id`` are optional.

Rows are cleaned exactly like feed entries (visible text, de-tracked and canonical links,
language, the same identity key as ``parse_feed``), so an archived headline and the same
headline fetched later from a feed are recognised as one story. Each distinct ``source``
becomes a disabled feed of origin 'archive' (``archive-<slug>``), an independent source in
later evidence that the scheduler never polls.

Parsing (``read_archive``, ``parse_record``) is pure; ``import_archive`` is the one function
that writes, in batches of one transaction each, so an interrupted import keeps what it
committed and running it again only adds what is missing. A row that cannot be used is
counted and reported (first few line numbers and reasons) and never stops the import.

Progress: ``import_archive`` calls ``progress(rows_read_so_far)`` after every batch and
``count_rows(path)`` gives the total for a progress bar (one extra decompression pass: about
a second per 600,000 rows, a few percent of the import itself).
"""

from __future__ import annotations

import csv
import gc
import gzip
import html
import io
import json
import re
import threading
import zlib
from collections.abc import Callable, Generator, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from functools import lru_cache
from itertools import islice
from pathlib import Path
from queue import Full, Queue
from typing import Any
from urllib.parse import urlsplit

import sqlite_utils

from radar.errors import ParseError
from radar.ingest.lang import detect_language
from radar.ingest.parse import item_key
from radar.ingest.sanitize import to_text
from radar.records import Item
from radar.store.bulk import bulk_session, ensure_archive_feeds, insert_feeds_bulk
from radar.store.db import transaction
from radar.urls import canonical_url, strip_tracking

MAX_BAD_EXAMPLES = 10
# Rows per transaction: each commit rewrites every index page the batch touched (story
# headlines and URLs land all over their indexes), so fewer, larger commits cost less; on a
# million rows 50,000 used about 10% less CPU than 20,000. The write lock is held for a few
# seconds per batch (other writers wait; readers are never blocked under WAL).
IMPORT_BATCH = 50_000
CHUNK = 5_000  # rows parsed, queued and written at a time (bounds memory)
REQUIRED = ("date", "title", "source")
_GZIP_MAGIC = b"\x1f\x8b"
_BOM = b"\xef\xbb\xbf"
_TITLE_LIMIT = 500
_YEARS = (1900, 2100)
_FUTURE_SLACK = timedelta(days=1)  # time zones: a row dated "tomorrow" in UTC is plausible
_SOURCE_LIMIT = 200
_LINK_SCHEMES = ("http://", "https://", "ftp://")
_SPACE = re.compile(r"\s+")
_LANG_TAG = re.compile(r"([a-z]{2})(?:[-_][A-Za-z0-9]{2,8})*")
# ISO 639-1 codes: a row's ``lang`` is a language hint only if it is one of these. GitHub
# trending's ``lang`` is a programming language ("go", "python"), which must not be taken
# for a natural language ("go" is not an ISO code; "Python" is not two letters).
_ISO_639_1_CODES = (
    "aa ab ae af ak am an ar as av ay az ba be bg bh bi bm bn bo br bs ca ce ch co cr cs cu cv "
    "cy da de dv dz ee el en eo es et eu fa ff fi fj fo fr fy ga gd gl gn gu gv ha he hi ho hr "
    "ht hu hy hz ia id ie ig ii ik io is it iu ja jv ka kg ki kj kk kl km kn ko kr ks ku kv kw "
    "ky la lb lg li ln lo lt lu lv mg mh mi mk ml mn mr ms mt my na nb nd ne ng nl nn no nr nv "
    "ny oc oj om or os pa pi pl ps pt qu rm rn ro ru rw sa sc sd se sg si sk sl sm sn so sq sr "
    "ss st su sv sw ta te tg th ti tk tl tn to tr ts tt tw ty ug uk ur uz ve vi vo wa wo xh yi "
    "yo za zh zu"
)
_ISO_639_1 = frozenset(_ISO_639_1_CODES.split())


class ArchiveError(ParseError):
    """The file as a whole is unusable (unknown format, CSV header without a required column,
    corrupt or truncated compression); rows already committed stay and re-running is safe."""


@dataclass(frozen=True)
class BadRow:
    """A row that was skipped, with its line number (1-based, physical) and why."""

    line: int
    reason: str


@dataclass(frozen=True)
class ArchiveRow:
    """A usable row: the cleaned item and the source (feed) it belongs to."""

    line: int
    source: str
    item: Item


@dataclass(frozen=True)
class SourceResult:
    """What one archive source (one feed) contributed."""

    name: str
    feed_id: str
    rows: int
    inserted: int


@dataclass(frozen=True)
class ImportResult:
    """Counts of one import: ``rows`` read = inserted + duplicates + bad."""

    rows: int
    inserted: int
    duplicates: int
    bad: int
    bad_examples: tuple[BadRow, ...]
    sources: tuple[SourceResult, ...]


# --- reading ---------------------------------------------------------------------------


_Stream = gzip.GzipFile | io.BufferedReader


@contextmanager
def _open_stream(path: Path) -> Iterator[_Stream]:
    """Open a file for reading, inflating it on the fly when it starts with gzip's magic."""
    with open(path, "rb") as raw:
        magic = raw.read(2)
        raw.seek(0)
        if magic == _GZIP_MAGIC:
            with gzip.GzipFile(fileobj=raw, mode="rb") as inflated:
                yield inflated
        else:
            yield raw


def _is_jsonl(stream: _Stream, name: str) -> bool:
    """JSON Lines when the first non-blank byte opens an object; otherwise CSV."""
    head = stream.peek(512)[:512].removeprefix(_BOM).lstrip()
    if head[:1] == b"[":
        raise ArchiveError(
            f"archive: {name}: a JSON array is not supported (it would have to be read whole);"
            " write one JSON object per line (JSON Lines)"
        )
    return head[:1] == b"{"


def _jsonl_records(stream: _Stream) -> Iterator[tuple[int, Mapping[str, Any] | BadRow]]:
    for number, raw in enumerate(stream, start=1):
        line = raw.removeprefix(_BOM) if number == 1 else raw
        if not line.strip():
            continue
        try:
            record = json.loads(line)
        except (ValueError, UnicodeDecodeError) as exc:
            yield number, BadRow(number, f"not valid JSON ({_short(exc)})")
            continue
        if not isinstance(record, dict):
            yield number, BadRow(number, "not a JSON object")
            continue
        yield number, record


def _csv_records(stream: _Stream, name: str) -> Iterator[tuple[int, Mapping[str, Any] | BadRow]]:
    # Undecodable bytes become U+FFFD rather than losing the row: a CSV record may span
    # lines, so a decoding error could not be pinned to one row anyway.
    text = io.TextIOWrapper(stream, encoding="utf-8-sig", errors="replace", newline="")
    try:
        yield from _csv_rows(csv.DictReader(text), name)
    finally:
        text.detach()  # the caller owns (and closes) the byte stream


def _csv_rows(
    reader: csv.DictReader[str], name: str
) -> Iterator[tuple[int, Mapping[str, Any] | BadRow]]:
    header = [(column or "").strip().lower() for column in reader.fieldnames or []]
    if not header:
        return
    missing = [column for column in REQUIRED if column not in header]
    if missing:
        raise ArchiveError(
            f"archive: {name}: the CSV header lacks {', '.join(missing)} "
            f"(found: {', '.join(header)[:200]})"
        )
    reader.fieldnames = header
    while True:
        try:
            record = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:  # e.g. a NUL byte or an oversized field: skip that record
            yield reader.line_num, BadRow(reader.line_num, f"unreadable CSV ({_short(exc)})")
            continue
        yield reader.line_num, record


def read_archive(path: Path) -> Iterator[ArchiveRow | BadRow]:
    """Yield every row of an archive as a cleaned ``ArchiveRow`` or a ``BadRow``, streaming.

    Raises ``ArchiveError`` for problems of the whole file (a CSV header without a required
    column, corrupt or truncated gzip data) since no later row could be trusted either.
    """
    path = Path(path)
    line = 0
    try:
        with _open_stream(path) as stream:
            records = (
                _jsonl_records(stream)
                if _is_jsonl(stream, path.name)
                else _csv_records(stream, path.name)
            )
            for line, record in records:
                yield record if isinstance(record, BadRow) else _parse_or_bad(line, record)
    except (EOFError, gzip.BadGzipFile, zlib.error) as exc:
        raise ArchiveError(
            f"archive: {path.name}: compressed data is corrupt or truncated after line {line} "
            f"({_short(exc)}); rows before it were read, re-running after fixing it is safe"
        ) from exc


def count_rows(path: Path) -> int:
    """Count the rows of an archive cheaply (for a progress bar's total).

    JSON Lines: non-blank lines. CSV: lines after the header, which overcounts rows that
    contain quoted line breaks, so treat it as an estimate there.
    """
    path = Path(path)
    try:
        with _open_stream(path) as stream:
            jsonl = _is_jsonl(stream, path.name)
            lines = sum(1 for line in stream if line.strip())
    except (EOFError, gzip.BadGzipFile, zlib.error) as exc:
        raise ArchiveError(
            f"archive: {path.name}: compressed data is corrupt or truncated"
        ) from exc
    return lines if jsonl else max(lines - 1, 0)


# --- cleaning ----------------------------------------------------------------------------


def _short(exc: BaseException) -> str:
    return str(exc).splitlines()[0][:120] if str(exc) else type(exc).__name__


def _field(record: Mapping[str, Any], name: str) -> str:
    value = record.get(name)
    if value is None:
        return ""
    text = (value if isinstance(value, str) else str(value)).strip()
    if not text.isascii():
        try:
            text.encode()
        except UnicodeEncodeError:  # a lone surrogate ("\ud800" in JSON) cannot be stored
            text = text.encode("utf-8", "replace").decode()
    return text


@lru_cache(maxsize=8192)
def parse_date(text: str) -> datetime | None:
    """Read ``YYYY-MM-DD`` (midnight UTC) or an ISO datetime (UTC if it has no offset).

    Years outside 1900-2100 count as unreadable: they are typing errors, and story windows
    around year 1 or 9999 would overflow.
    """
    try:
        if len(text) == 10:
            day = date.fromisoformat(text)
            moment = datetime(day.year, day.month, day.day, tzinfo=UTC)
        else:
            moment = datetime.fromisoformat(text)
            moment = moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment
            moment = moment.astimezone(UTC)
    except (ValueError, OverflowError):
        return None
    return moment if _YEARS[0] <= moment.year <= _YEARS[1] else None


def language_hint(value: str) -> str | None:
    """A row's ``lang`` as a hint only when it is an ISO 639-1 code ('ja', 'en-US')."""
    match = _LANG_TAG.fullmatch(value.strip())
    if match and match.group(1) in _ISO_639_1:
        return match.group(1)
    return None


def _clean_link(url: str) -> str:
    # Archive converters sometimes keep HTML-escaped ampersands; a link that is not a web
    # or FTP address (e.g. Reddit's "Self" for text posts) is dropped, never shown as a link.
    url = url.replace("&amp;", "&")
    if not url.lower().startswith(_LINK_SCHEMES):
        return ""
    return strip_tracking(url)


def _link_problem(link: str) -> str | None:
    """Why a kept link cannot be parsed (a port past 65535, an unclosed IPv6 bracket)."""
    if not link:
        return None
    try:
        urlsplit(link).port  # noqa: B018 -- reading the port validates it
    except ValueError as exc:
        return _short(exc)
    return None


def parse_record(line: int, record: Mapping[str, Any]) -> ArchiveRow | BadRow:
    """Clean one archive record into an Item, as ``parse_feed`` cleans a feed entry."""
    missing = [name for name in REQUIRED if not _field(record, name)]
    if missing:
        return BadRow(line, f"missing {', '.join(missing)}")
    raw_date = _field(record, "date")
    published = parse_date(raw_date)
    if published is None:
        return BadRow(line, f"unreadable date {raw_date[:40]!r}")
    title = to_text(_field(record, "title"), limit=_TITLE_LIMIT)
    if not title:
        return BadRow(line, "title has no visible text")
    source = _SPACE.sub(" ", _field(record, "source"))[:_SOURCE_LIMIT]
    link = _clean_link(_field(record, "url"))
    problem = _link_problem(link)
    if problem:
        return BadRow(line, f"unreadable url {link[:80]!r} ({problem})")
    summary_text = to_text(_field(record, "summary"))
    guid = _field(record, "id") or None
    hint = language_hint(_field(record, "lang"))
    key = item_key(guid, link, title, published)
    # A link key already holds the canonical URL; reusing it halves the URL parsing per row.
    canonical = key[2:] if key.startswith("l:") else canonical_url(link)
    item = Item(
        key=key,
        guid=guid,
        link=link,
        canonical_url=canonical,
        title=title,
        summary_html=html.escape(summary_text, quote=False),
        summary_text=summary_text,
        published=published,
        date_missing=False,
        lang=detect_language(f"{title} {summary_text[:200]}", hint),
    )
    return ArchiveRow(line, source, item)


def _parse_or_bad(line: int, record: Mapping[str, Any]) -> ArchiveRow | BadRow:
    """``parse_record``, with any failure on this one row recorded as a bad row.

    The row boundary is where an archive's hostility stops: a value no cleaning step
    foresaw must cost that row, never the rows after it.
    """
    try:
        return parse_record(line, record)
    except Exception as exc:  # recorded on the row, with its type
        return BadRow(line, f"unusable row ({type(exc).__name__}: {_short(exc)})")


# --- importing ---------------------------------------------------------------------------

_END = object()


def _put(queue: Queue[object], value: object, stop: threading.Event) -> bool:
    while not stop.is_set():
        try:
            queue.put(value, timeout=0.1)
            return True
        except Full:
            continue
    return False


def _read_batches(path: Path, size: int) -> Generator[list[ArchiveRow | BadRow], None, None]:
    """Yield parsed rows in lists of ``size``, reading and cleaning in a background thread.

    Cleaning a row is pure Python (about 35 us) while most of a batch's write time is spent
    inside SQLite, which releases the GIL, so on two cores the two overlap. At most four
    chunks wait in the queue, so memory stays bounded whatever the file size. An
    ``ArchiveError`` arrives after the rows read before it, and closing this generator
    (an error or Ctrl-C in the writer) stops the thread.
    """
    queue: Queue[object] = Queue(maxsize=4)
    stop = threading.Event()

    def produce() -> None:
        batch: list[ArchiveRow | BadRow] = []
        try:
            for parsed in read_archive(path):
                batch.append(parsed)
                if len(batch) >= size:
                    if not _put(queue, batch, stop):
                        return
                    batch = []
        except BaseException as exc:  # handed to the writer thread, which re-raises it
            if batch and not _put(queue, batch, stop):
                return
            _put(queue, exc, stop)
            return
        if batch and not _put(queue, batch, stop):
            return
        _put(queue, _END, stop)

    thread = threading.Thread(target=produce, name="archive-reader", daemon=True)
    thread.start()
    try:
        while (got := queue.get()) is not _END:
            if isinstance(got, BaseException):
                raise got
            yield got  # type: ignore[misc]
    finally:
        stop.set()
        thread.join()


@dataclass
class _Tally:
    feed_id: str
    rows: int = 0
    inserted: int = 0


@dataclass
class _Import:
    """Running counts of one import, and the step that writes one chunk of parsed rows."""

    db: sqlite_utils.Database
    now: datetime
    rows: int = 0
    bad: int = 0
    examples: list[BadRow] = field(default_factory=list)
    tallies: dict[str, _Tally] = field(default_factory=dict)

    def write(self, chunk: list[ArchiveRow | BadRow]) -> None:
        """Store one chunk inside the caller's transaction (feeds first, then items)."""
        by_source: dict[str, list[Item]] = {}
        latest = self.now + _FUTURE_SLACK
        for parsed in chunk:
            if isinstance(parsed, ArchiveRow) and parsed.item.published > latest:
                # A dated history cannot hold tomorrow's news; such rows would also sit at
                # the top of every "latest" list.
                parsed = BadRow(parsed.line, "date is in the future")
            if isinstance(parsed, BadRow):
                self.bad += 1
                if len(self.examples) < MAX_BAD_EXAMPLES:
                    self.examples.append(parsed)
            else:
                by_source.setdefault(parsed.source, []).append(parsed.item)
        unseen = [source for source in by_source if source not in self.tallies]
        for source, feed_id in ensure_archive_feeds(self.db, unseen, self.now).items():
            self.tallies[source] = _Tally(feed_id)
        by_feed = {self.tallies[source].feed_id: items for source, items in by_source.items()}
        inserted = insert_feeds_bulk(self.db, by_feed, self.now)
        for source, items in by_source.items():
            tally = self.tallies[source]
            tally.rows += len(items)
            tally.inserted += inserted[tally.feed_id]
        self.rows += len(chunk)

    def result(self) -> ImportResult:
        inserted = sum(t.inserted for t in self.tallies.values())
        return ImportResult(
            rows=self.rows,
            inserted=inserted,
            duplicates=self.rows - self.bad - inserted,
            bad=self.bad,
            bad_examples=tuple(self.examples),
            sources=tuple(
                SourceResult(name, t.feed_id, t.rows, t.inserted)
                for name, t in self.tallies.items()
            ),
        )


@contextmanager
def _young_collections_only() -> Iterator[None]:
    """Switch off automatic cyclic garbage collection for an import (``import_archive``
    collects the young generations itself after every transaction instead).

    Queued chunks keep thousands of parsed rows alive long enough to reach the oldest
    generation, so the automatic collector ran a full collection about every other chunk:
    on a million rows about 13 s of GIL-holding work (15% of the CPU the import used). The
    import makes no reference cycles (rows are freed by reference counting; none were found
    after 200,000 rows), so only cycles made by other code are left to the young
    collections until automatic collection is switched back on.
    """
    if not gc.isenabled():
        yield
        return
    gc.disable()
    try:
        yield
    finally:
        gc.enable()


def import_archive(
    db: sqlite_utils.Database,
    path: Path,
    now: datetime,
    *,
    progress: Callable[[int], None] | None = None,
    batch_size: int = IMPORT_BATCH,
) -> ImportResult:
    """Import an archive file into the store; return what was read, added and skipped.

    ``now`` is recorded as the items' fetch time. Rows are parsed in a background thread
    and written in chunks of up to ``CHUNK`` rows, after each of which ``progress``
    receives the number of rows (good and bad) processed so far; every ``batch_size`` rows
    are one transaction, so an interrupted import keeps whole transactions. Re-importing a
    file, or a file overlapping an earlier one, adds only rows whose (source, key) is not
    stored yet. An ``ArchiveError`` (damaged file) is raised after the rows read before the
    damage are committed.
    """
    state = _Import(db, now)
    chunk_size = max(1, min(batch_size, CHUNK))
    per_transaction = max(1, batch_size // chunk_size)
    with bulk_session(db), _young_collections_only():
        chunks = _read_batches(Path(path), chunk_size)
        try:
            while True:
                before = state.rows
                damage: ArchiveError | None = None
                with transaction(db):
                    try:
                        for chunk in islice(chunks, per_transaction):
                            state.write(chunk)
                            if progress:
                                progress(state.rows)
                    except ArchiveError as exc:  # commit what came before the damage
                        damage = exc
                gc.collect(1)
                if damage is not None:
                    raise damage
                if state.rows == before:
                    break
        finally:
            chunks.close()
    return state.result()
