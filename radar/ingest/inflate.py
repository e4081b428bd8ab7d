"""Undo gzip/deflate Content-Encoding without ever holding more than the size cap.

httpx decompresses each network chunk in full before the caller can count it, so a 64 KB
chunk of a gzip bomb becomes ~64 MB in memory at once (deflate reaches ~1000:1), times the
number of feeds fetched in parallel. Here every zlib call is told how much output it may
produce (`max_length`), so the cap applies to decompressed bytes as they are made.
"""

from __future__ import annotations

import zlib

from radar.errors import FetchError

_WBITS = {"gzip": zlib.MAX_WBITS | 16, "x-gzip": zlib.MAX_WBITS | 16, "deflate": zlib.MAX_WBITS}
MAX_LAYERS = 3
ACCEPT_ENCODING = "gzip, deflate"


class BodyTooLarge(FetchError):
    """The body, after decompression, is larger than the cap."""


class _Layer:
    """One zlib stream; 'deflate' also accepts the raw form some servers send."""

    def __init__(self, name: str) -> None:
        self._name = name
        self._zlib = zlib.decompressobj(_WBITS[name])
        self._first = True

    def feed(self, data: bytes, budget: int) -> bytes:
        """At most ``budget + 1`` bytes out: one more than allowed is enough to refuse."""
        try:
            out = self._zlib.decompress(data, budget + 1)
        except zlib.error:
            if not (self._first and self._name == "deflate"):
                raise
            self._zlib = zlib.decompressobj(-zlib.MAX_WBITS)
            out = self._zlib.decompress(data, budget + 1)
        self._first = False
        return out


class CappedDecoder:
    """Feed raw body chunks in, get decoded bytes out; raise once the cap is passed.

    Unknown encodings are passed through untouched, as httpx does (servers send
    ``Content-Encoding: utf-8`` more often than one would think); the parser then judges
    the bytes.
    """

    def __init__(self, content_encoding: str | None, limit: int) -> None:
        names = [n.strip().lower() for n in (content_encoding or "").split(",") if n.strip()]
        known = [n for n in names if n in _WBITS]
        if len(known) > MAX_LAYERS:
            raise FetchError(f"fetch: {len(known)} layers of compression (at most {MAX_LAYERS})")
        self._layers = [_Layer(n) for n in reversed(known)]  # the last one applied comes off first
        self._sizes = [0] * (len(self._layers) + 1)  # bytes seen in, then out of, each layer
        self._limit = limit

    def _count(self, index: int, size: int) -> None:
        self._sizes[index] += size
        if self._sizes[index] > self._limit:
            what = "body once decompressed" if index else "body"
            raise BodyTooLarge(f"fetch: {what} exceeds the {self._limit:,}-byte limit (cut off)")

    def feed(self, chunk: bytes) -> bytes:
        """Decode one raw chunk; corrupt data and oversize bodies raise FetchError."""
        self._count(0, len(chunk))
        data = chunk
        for index, layer in enumerate(self._layers, start=1):
            try:
                data = layer.feed(data, self._limit - self._sizes[index])
            except zlib.error as exc:
                raise FetchError(f"fetch: body could not be decompressed ({exc})") from exc
            self._count(index, len(data))
        return data
