"""The six series APIs on one real local server, answering in their documented formats.

Built on the project's `LocalServer`. Each API lives under its own prefix (``/wm``, ``/hn``,
``/se``, ``/npm``, ``/qiita``, ``/gdelt``) and answers from small tables of counts a test
fills in; ``once`` queues one-off answers (a 429, a malformed body) for the next request to a
prefix. Every request is recorded with the moment it arrived, so tests can check pacing.
"""

from __future__ import annotations

import contextlib
import gzip
import json
import re
import socket
import time
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta
from http.server import BaseHTTPRequestHandler
from urllib.parse import parse_qs, unquote, urlsplit

from radar.demo.server import LocalServer


@dataclass
class Reply:
    """One canned answer."""

    status: int = 200
    body: bytes = b""
    headers: dict[str, str] = field(default_factory=dict)


def _json(payload: object, status: int = 200, **headers: str) -> Reply:
    return Reply(
        status, json.dumps(payload).encode(), {"Content-Type": "application/json", **headers}
    )


def _month(day: date) -> str:
    return f"{day:%Y-%m}"


def _from_epoch(text: str) -> date:
    return date(1970, 1, 1) + timedelta(seconds=int(text))  # a date adds whole days only


class SeriesApis(LocalServer):
    """Fake Wikimedia, HN Algolia, Stack Exchange, npm, Qiita and GDELT on 127.0.0.1."""

    def __init__(self) -> None:
        self.requests: list[tuple[float, str]] = []
        self.queued: dict[str, list[Reply]] = defaultdict(list)
        self.pageviews: dict[tuple[str, str], dict[str, int]] = {}
        self.hn: dict[str, dict[str, int]] = {}
        self.stackexchange: dict[str, dict[str, int]] = {}
        self.se_backoff: int | None = None
        self.npm: dict[str, dict[str, int]] = {}  # package ("" = registry) -> day -> downloads
        self.qiita: dict[str, dict[str, int]] = {}
        self.qiita_remaining = 60
        self.qiita_reset = 0
        self.gdelt: dict[str, dict[str, int]] = {}  # query -> day YYYYMMDD -> articles
        super().__init__(self._answer)

    def once(self, prefix: str, *replies: Reply) -> None:
        self.queued[prefix].extend(replies)

    def paths(self, prefix: str) -> list[str]:
        return [path for _, path in self.requests if path.startswith(prefix)]

    def _answer(self, handler: BaseHTTPRequestHandler) -> None:
        # headers and body leave in two writes: without this, Nagle's algorithm and delayed
        # ACKs add ~40 ms to every answer, a delay real servers do not have
        handler.connection.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        self.requests.append((time.monotonic(), handler.path))
        parts = urlsplit(handler.path)
        prefix = "/" + parts.path.split("/")[1]
        query = {k: v[0] for k, v in parse_qs(parts.query).items()}
        if self.queued[prefix]:
            reply = self.queued[prefix].pop(0)
        else:
            route = {
                "/wm": self._wikimedia, "/hn": self._hn, "/se": self._stackexchange,
                "/npm": self._npm, "/qiita": self._qiita, "/gdelt": self._gdelt,
            }.get(prefix)  # fmt: skip
            reply = route(parts.path, query) if route else Reply(404, b"not found")
        handler.send_response(reply.status)
        for name, value in reply.headers.items():
            handler.send_header(name, value)
        handler.send_header("Content-Length", str(len(reply.body)))
        handler.end_headers()
        with contextlib.suppress(BrokenPipeError, ConnectionResetError):
            handler.wfile.write(reply.body)

    # Wikimedia: /wm/metrics/pageviews/per-article/{project}/{access}/{agent}/{article}/
    # monthly/{start}/{end}
    def _wikimedia(self, path: str, query: dict[str, str]) -> Reply:
        _, _, _, _, _, project, access, agent, article, granularity, start, end = path.split("/")
        title = unquote(article).replace("_", " ")  # the API's titles use underscores
        views = self.pageviews.get((project, title))
        if views is None:
            return _json({
                "type": "https://mediawiki.org/wiki/HyperSwitch/errors/not_found",
                "title": "Not found.", "method": "get",
                "detail": "The date(s) you used are valid, but we either do not have data for "
                          "those date(s), or the project you asked for is not loaded yet.",
                "uri": path,
            }, 404)  # fmt: skip
        items = [
            {"project": project, "article": article, "granularity": granularity,
             "timestamp": month.replace("-", "") + "0100", "access": access, "agent": agent,
             "views": count}
            for month, count in sorted(views.items())
            if start[:6] <= month.replace("-", "") <= end[:6]
        ]  # fmt: skip
        return _json({"items": items})

    # Algolia: /hn/search_by_date?query=&tags=story&numericFilters=created_at_i>=A,created_at_i<B
    def _hn(self, path: str, query: dict[str, str]) -> Reply:
        bounds = re.findall(r"created_at_i[<>]=?(\d+)", query.get("numericFilters", ""))
        month = _month(_from_epoch(bounds[0]))
        term = query.get("query", "")
        if term:
            hits = self.hn.get(term, {}).get(month, 0)
        else:
            hits = sum(counts.get(month, 0) for counts in self.hn.values()) + 1000
        per_page = int(query.get("hitsPerPage", "20"))
        return _json({
            "hits": [{"title": f"story {i}", "objectID": str(i)}
                     for i in range(min(hits, per_page))],
            "nbHits": hits, "page": 0, "nbPages": -(-hits // per_page), "hitsPerPage": per_page,
            "exhaustiveNbHits": True, "query": term, "params": "",
        })  # fmt: skip

    # Stack Exchange: /se/questions?fromdate=&todate=&tagged=&site=stackoverflow&filter=total
    def _stackexchange(self, path: str, query: dict[str, str]) -> Reply:
        if query.get("filter") != "total" or query.get("site") != "stackoverflow":
            return _json({"error_id": 400, "error_name": "bad_parameter",
                          "error_message": "filter"}, 400)  # fmt: skip
        month = _month(_from_epoch(query["fromdate"]))
        tag = query.get("tagged", "")
        if tag:
            total = self.stackexchange.get(tag, {}).get(month, 0)
        else:
            total = sum(c.get(month, 0) for c in self.stackexchange.values()) + 5000
        payload: dict[str, object] = {"total": total}
        if self.se_backoff:
            payload["backoff"] = self.se_backoff
        body = gzip.compress(json.dumps(payload).encode())  # the API always compresses
        return Reply(200, body, {"Content-Type": "application/json", "Content-Encoding": "gzip"})

    # npm: /npm/downloads/range/{start}:{end}[/{package}]
    def _npm(self, path: str, query: dict[str, str]) -> Reply:
        rest = path.removeprefix("/npm/downloads/range/")
        span, _, package = rest.partition("/")
        start, end = (date.fromisoformat(d) for d in span.split(":"))
        if (end - start).days > 549:
            return _json({"error": "range too long"}, 400)
        package = unquote(package)
        if package and package not in self.npm:
            return _json({"error": f"package {package} not found"}, 404)
        if package:
            daily = self.npm[package]
        else:
            daily = defaultdict(int)
            for counts in self.npm.values():
                for day, n in counts.items():
                    daily[day] += n * 10
        days = []
        day = start
        while day <= end:
            days.append({"downloads": daily.get(day.isoformat(), 0), "day": day.isoformat()})
            day += timedelta(days=1)
        payload = {"start": start.isoformat(), "end": end.isoformat(), "downloads": days}
        if package:
            payload["package"] = package
        return _json(payload)

    # Qiita: /qiita/items?page=1&per_page=1&query=tag:X created:>=A created:<=B
    def _qiita(self, path: str, query: dict[str, str]) -> Reply:
        if self.qiita_remaining <= 0:
            return _json({"message": "Rate limit exceeded", "type": "rate_limit_exceeded"}, 403,
                         **{"Rate-Limit": "60", "Rate-Remaining": "0",
                            "Rate-Reset": str(self.qiita_reset)})  # fmt: skip
        self.qiita_remaining -= 1
        text = query.get("query", "")
        month = re.search(r"created:>=(\d{4}-\d{2})", text)[1]  # type: ignore[index]
        tag = re.search(r"tag:(\S+)", text)
        if tag:
            count = self.qiita.get(tag[1], {}).get(month, 0)
        else:
            count = sum(c.get(month, 0) for c in self.qiita.values()) + 800
        base = "http://qiita.test/api/v2/items"
        link = f'<{base}?page=1>; rel="first", <{base}?page=2>; rel="next"'
        return _json(
            [{"id": "c686397e4a0f4f11683d", "title": "sample"}][: min(count, 1)],
            **{"Total-Count": str(count), "Link": link, "Rate-Limit": "60",
               "Rate-Remaining": str(self.qiita_remaining), "Rate-Reset": str(self.qiita_reset)},
        )  # fmt: skip

    # GDELT: /gdelt/doc/doc?query=...&mode=timelinevolraw&format=json&startdatetime=&enddatetime=
    def _gdelt(self, path: str, query: dict[str, str]) -> Reply:
        if query.get("mode") != "timelinevolraw":
            return Reply(200, b"Invalid mode.", {"Content-Type": "text/html"})
        counts = self.gdelt.get(query["query"])
        if counts is None:
            return Reply(
                200, b"The specified phrase is too short.\n", {"Content-Type": "text/html"}
            )
        start = date(*map(int, re.match(r"(\d{4})(\d{2})(\d{2})", query["startdatetime"]).groups()))  # type: ignore[union-attr]
        end = date(*map(int, re.match(r"(\d{4})(\d{2})(\d{2})", query["enddatetime"]).groups()))  # type: ignore[union-attr]
        data, day = [], start
        while day <= end:
            data.append({"date": f"{day:%Y%m%d}T000000Z", "value": counts.get(f"{day:%Y%m%d}", 0),
                         "norm": 100_000})  # fmt: skip
            day += timedelta(days=1)
        return _json({
            "query_details": {"title": query["query"], "date_resolution": "day"},
            "timeline": [{"series": "Article Count", "data": data}],
        })  # fmt: skip
