"""No private hosts: the address rule, and the guard on the address actually connected to."""

from __future__ import annotations

import asyncio
import ipaddress
import shutil
import socket
import ssl
import subprocess
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from feeds import numbered, rss
from feedserver import FeedServer, Route

from radar.config import HttpSettings, Settings
from radar.errors import BlockedAddressError
from radar.ingest import netguard
from radar.ingest.fetch import fetch_feed, make_client
from radar.ingest.netguard import GuardedTransport, ensure_public, is_public_address
from radar.ingest.pipeline import run_fetch
from radar.records import FeedSpec, FeedState
from radar.store.feeds import sync_feeds
from tests.conftest import FIXED_NOW

STRICT = HttpSettings(timeout=1.0, connect_timeout=1.0, max_body_bytes=200_000)


@pytest.mark.parametrize(
    ("address", "public"),
    [
        ("8.8.8.8", True), ("2606:4700::1111", True),
        ("127.0.0.1", False), ("10.1.2.3", False), ("172.16.0.1", False),
        ("192.168.0.1", False), ("169.254.169.254", False), ("100.64.0.1", False),
        ("0.0.0.0", False), ("255.255.255.255", False), ("224.0.0.1", False),
        ("::1", False), ("::", False), ("fe80::1", False), ("fe80::1%1", False),
        ("fc00::1", False), ("ff02::1", False),
        # site-local (deprecated, still routed inside some networks)
        ("fec0::1", False), ("feff::1", False),
        # IPv6 forms carrying an IPv4 address are judged by that address
        ("::ffff:127.0.0.1", False), ("::ffff:a9fe:a9fe", False), ("::ffff:8.8.8.8", True),
        ("64:ff9b::a9fe:a9fe", False), ("64:ff9b::7f00:1", False), ("64:ff9b::808:808", True),
        ("64:ff9b:1::a9fe:a9fe", False),
        ("2002:a9fe:a9fe::1", False), ("2002:7f00:1::1", False), ("2002:808:808::1", True),
        ("::a9fe:a9fe", False), ("::127.0.0.1", False),
        ("2001::1", False),  # Teredo
        ("not an address", False), ("", False),
    ],
)  # fmt: skip
def test_address_rule(address: str, public: bool) -> None:
    assert is_public_address(address) is public


@pytest.mark.parametrize(
    "url",
    ["http://[64:ff9b::a9fe:a9fe]/latest/meta-data", "http://[2002:a9fe:a9fe::1]/",
     "http://[::a9fe:a9fe]/", "http://[fec0::1]/", "http://[::ffff:169.254.169.254]/"],
)  # fmt: skip
def test_ipv6_forms_of_private_targets_are_refused(url: str) -> None:
    with pytest.raises(BlockedAddressError, match="private address"):
        asyncio.run(ensure_public(url))

    async def fetch() -> None:
        async with make_client(STRICT) as client:
            await fetch_feed(client, FeedState(id="x", url=url), STRICT, FIXED_NOW)

    with pytest.raises(BlockedAddressError, match="private address"):
        asyncio.run(fetch())


@pytest.fixture
def internal(feed_server: FeedServer) -> Iterator[FeedServer]:
    """An "internal service" on 127.0.0.2, same port as the feed server (which, on
    127.0.0.1, stands in for a public site in these tests)."""
    try:
        server = FeedServer(host="127.0.0.2", port=feed_server.httpd.server_address[1]).start()
    except OSError as exc:
        pytest.skip(f"cannot listen on 127.0.0.2: {exc}")
    server.routes["/a"] = Route(body=b"secret")
    server.routes["/inside"] = Route(body=b"secret")
    yield server
    server.stop()


@pytest.fixture
def public_stand_in(monkeypatch: pytest.MonkeyPatch) -> None:
    """127.0.0.1 counts as public (we cannot serve from a public address offline)."""
    real = netguard.is_public_address
    monkeypatch.setattr(netguard, "is_public_address", lambda a: a == "127.0.0.1" or real(a))


def _strict(settings: Settings) -> Settings:
    return Settings(db_path=settings.db_path, http=STRICT)


def test_rebinding_host_is_refused_on_the_address_connected_to(
    feed_server, internal, public_stand_in, db, settings, monkeypatch
) -> None:
    """DNS rebinding: the name answers a public address first, then the internal one.

    A test double stands in for the resolver (the one mock here): a real rebinding needs a
    name server we control. Everything else is real: the client, the pool, both servers.
    Before the fix the check used the first answer and the connection a second lookup, so
    the request reached the internal server.
    """
    real_lookup = socket.getaddrinfo
    answers = iter(["127.0.0.1"])  # first answer public, every later one internal
    lookups: list[str] = []

    def rebinding_lookup(host, port, *args, **kwargs):  # type: ignore[no-untyped-def]
        name = host.decode() if isinstance(host, bytes) else host  # anyio passes bytes
        if name != "feeds.rebind.test":
            return real_lookup(host, port, *args, **kwargs)
        address = next(answers, "127.0.0.2")
        lookups.append(address)
        return [(socket.AF_INET, socket.SOCK_STREAM, 6, "", (address, port or 0))]

    monkeypatch.setattr(socket, "getaddrinfo", rebinding_lookup)
    port = feed_server.httpd.server_address[1]
    feed_server.routes["/a"] = Route(body=rss(numbered(2)))
    url = f"http://feeds.rebind.test:{port}/a"
    sync_feeds(db, [FeedSpec(id="a", name="a", url=url)], "config", FIXED_NOW)

    first = run_fetch(db, _strict(settings), lambda: FIXED_NOW, everything=True)
    second = run_fetch(db, _strict(settings), lambda: FIXED_NOW, everything=True)

    assert internal.requests == []  # nothing ever reached the internal server
    assert first.new_items == 2  # the checked (public) address is the one connected to
    assert feed_server.requests[0][1]["Host"] == f"feeds.rebind.test:{port}"  # name kept
    assert lookups == ["127.0.0.1", "127.0.0.2"]  # one lookup per connection, no second one
    assert second.failed == 1 and "private address 127.0.0.2" in second.errors["a"]


def test_redirect_to_a_private_address_is_refused(
    feed_server, internal, public_stand_in, db, settings
) -> None:
    port = feed_server.httpd.server_address[1]
    feed_server.routes["/hop"] = Route(
        status=302, headers={"Location": f"http://127.0.0.2:{port}/inside"}
    )
    sync_feeds(db, [FeedSpec(id="hop", name="hop", url=feed_server.url("/hop"))], "config",
               FIXED_NOW)  # fmt: skip
    summary = run_fetch(db, _strict(settings), lambda: FIXED_NOW, everything=True)
    assert summary.failed == 1 and "private address" in summary.errors["hop"]
    assert [path for path, _ in feed_server.requests] == ["/hop"]
    assert internal.requests == []


def test_allow_private_still_reaches_loopback(feed_server, db, settings) -> None:
    feed_server.routes["/a"] = Route(body=rss(numbered(1)))
    sync_feeds(db, [FeedSpec(id="a", name="a", url=feed_server.url("/a"))], "config", FIXED_NOW)
    assert run_fetch(db, settings, lambda: FIXED_NOW, everything=True).new_items == 1
    refused = run_fetch(db, _strict(settings), lambda: FIXED_NOW, everything=True)
    assert refused.errors["a"].startswith("fetch: 127.0.0.1 is a private address; allow it")


_IPV4_SAMPLES = [
    "0.0.0.0", "0.255.255.255", "10.0.0.0", "10.255.255.255", "100.64.0.0", "100.127.255.255",
    "127.0.0.1", "127.255.255.254", "169.254.0.1", "169.254.169.254", "172.16.0.1",
    "172.31.255.255", "192.0.0.8", "192.0.2.1", "192.168.1.1", "198.18.0.1", "198.51.100.7",
    "203.0.113.9", "224.0.0.1", "239.255.255.255", "240.0.0.1", "255.255.255.255",
    "1.1.1.1", "8.8.8.8", "93.184.216.34", "172.15.255.255", "172.32.0.0", "100.128.0.0",
    "11.0.0.1", "223.255.255.254",
]  # fmt: skip


@pytest.mark.parametrize("v4", _IPV4_SAMPLES)
def test_ipv6_forms_are_judged_like_the_ipv4_address_they_carry(v4: str) -> None:
    value = int(ipaddress.IPv4Address(v4))
    forms = [
        ipaddress.IPv6Address(0xFFFF << 32 | value),  # IPv4-mapped
        ipaddress.IPv6Address(0x0064_FF9B << 96 | value),  # NAT64 well-known prefix
        ipaddress.IPv6Address(0x2002 << 112 | value << 80 | 1),  # 6to4
    ]
    if value > 1:  # ::, ::1 are the unspecified and loopback addresses themselves
        forms.append(ipaddress.IPv6Address(value))  # IPv4-compatible
    expected = is_public_address(v4)
    assert {str(form): is_public_address(str(form)) for form in forms} == dict.fromkeys(
        map(str, forms), expected
    )


@pytest.fixture
def tls_pair(tmp_path: Path) -> tuple[Path, Path]:
    """A throwaway self-signed certificate for feeds.tls.test only (no IP in it)."""
    if shutil.which("openssl") is None:
        pytest.skip("openssl not installed")
    cert, key = tmp_path / "cert.pem", tmp_path / "key.pem"
    subprocess.run(
        ["openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1",
         "-nodes", "-days", "1", "-subj", "/CN=feeds.tls.test",
         "-addext", "subjectAltName=DNS:feeds.tls.test", "-keyout", str(key), "-out", str(cert)],
        check=True, capture_output=True,
    )  # fmt: skip
    return cert, key


def test_https_keeps_the_host_name_for_sni_and_the_certificate(
    tls_pair, public_stand_in, monkeypatch
) -> None:
    """The guard connects to the checked IP, yet TLS still names and verifies the host.

    The certificate names only feeds.tls.test, so it verifies only if the client checks
    it against the host name, not the address it connected to. The resolver is a test
    double (feeds.tls.test -> 127.0.0.1); the TLS server, the check and the client are real.
    """
    cert, key = tls_pair
    server_tls = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    server_tls.load_cert_chain(cert, key)
    names: list[str | None] = []

    def record_sni(_sock: ssl.SSLObject, name: str | None, _ctx: ssl.SSLContext) -> None:
        names.append(name)

    server_tls.sni_callback = record_sni  # type: ignore[assignment]
    server = FeedServer(tls=server_tls).start()
    server.routes["/a"] = Route(body=b"<rss/>")
    real_lookup = socket.getaddrinfo

    def lookup(host, port, *args, **kwargs):  # type: ignore[no-untyped-def]
        name = host.decode() if isinstance(host, bytes) else host
        if name != "feeds.tls.test":
            return real_lookup(host, port, *args, **kwargs)
        return [(socket.AF_INET, socket.SOCK_STREAM, 6, "", ("127.0.0.1", port or 0))]

    monkeypatch.setattr(socket, "getaddrinfo", lookup)
    client_tls = ssl.create_default_context(cafile=str(cert))
    url = f"https://feeds.tls.test:{server.httpd.server_address[1]}/a"

    async def get() -> httpx.Response:
        transport = GuardedTransport(httpx.Limits(max_connections=2), ssl_context=client_tls)
        async with httpx.AsyncClient(transport=transport) as client:
            return await client.get(url)

    try:
        response = asyncio.run(get())
    finally:
        server.stop()
    assert (response.status_code, response.content) == (200, b"<rss/>")
    assert names == ["feeds.tls.test"]
    assert server.requests[0][1]["Host"] == f"feeds.tls.test:{server.httpd.server_address[1]}"
