"""No private hosts: the address rule, and a connection layer that applies it where it counts.

Checking a host name and then letting the HTTP client look it up again is not enough: a
name server with a short TTL can answer a public address to the check and 127.0.0.1 (or a
cloud metadata address) to the connection ("DNS rebinding"). So `GuardedBackend` is the
httpcore network backend of the fetch client: it looks the host up once, refuses the
connection if any answer is private, and connects to the very address it checked. TLS
still verifies and sends SNI for the host name (httpcore takes them from the URL), and the
Host header is untouched. Every redirect hop that opens a connection goes through it.

The rule itself (`is_public_address`) is a pure function: IPv6 forms that carry an IPv4
address (IPv4-mapped, IPv4-compatible, NAT64, 6to4) are judged by the IPv4 address they
lead to, so `64:ff9b::a9fe:a9fe` is the metadata address 169.254.169.254, not a public one.
"""

from __future__ import annotations

import asyncio
import ipaddress
import socket
import ssl
from collections.abc import Iterable
from urllib.parse import urlsplit

import httpcore
import httpx

from radar.errors import BlockedAddressError, FetchError

_NAT64 = (ipaddress.IPv6Network("64:ff9b::/96"), ipaddress.IPv6Network("64:ff9b:1::/48"))
_IPV4_COMPATIBLE = ipaddress.IPv6Network("::/96")
_SITE_LOCAL = ipaddress.IPv6Network("fec0::/10")


def embedded_ipv4(ip: ipaddress.IPv6Address) -> ipaddress.IPv4Address | None:
    """The IPv4 address an IPv6 address stands for, when it is one of the translated forms."""
    if ip.ipv4_mapped:
        return ip.ipv4_mapped
    if ip.sixtofour:
        return ip.sixtofour
    if ip in _IPV4_COMPATIBLE or any(ip in net for net in _NAT64):
        return ipaddress.IPv4Address(int(ip) & 0xFFFFFFFF)
    return None


def is_public_address(address: str) -> bool:
    """Say whether an IP address is on the public internet (not loopback, private, ...).

    Anything that does not parse as an address is not public: refusing is the safe answer.
    """
    try:
        ip: ipaddress.IPv4Address | ipaddress.IPv6Address = ipaddress.ip_address(address)
    except ValueError:
        return False
    if isinstance(ip, ipaddress.IPv6Address):
        if ip.scope_id or ip in _SITE_LOCAL:
            return False
        ip = embedded_ipv4(ip) or ip
    return ip.is_global and not ip.is_multicast


def _refusal(host: str, address: str) -> BlockedAddressError:
    what = (
        f"{address} is a private address"
        if host.strip("[]") == address
        else f"{host} resolves to the private address {address}"
    )
    return BlockedAddressError(
        f"fetch: {what}; allow it with --allow-private or http.allow_private"
    )


async def public_addresses(host: str, port: int | None = None) -> list[str]:
    """Look ``host`` up once; return its addresses, or refuse if any of them is private.

    One private answer refuses the host: a name that resolves to both a public and a
    private address is exactly what an attacker would serve.
    """
    try:
        infos = await asyncio.get_running_loop().getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (OSError, UnicodeError) as exc:
        raise FetchError(f"fetch: cannot resolve {host}: {exc}") from exc
    addresses = list(dict.fromkeys(str(info[4][0]) for info in infos))
    for address in addresses:
        if not is_public_address(address):
            raise _refusal(host, address)
    if not addresses:
        raise FetchError(f"fetch: cannot resolve {host}: no address")
    return addresses


async def ensure_public(url: str) -> None:
    """Refuse URLs whose host resolves to a loopback, private or link-local address.

    An early check, for lists of URLs that are not fetched yet (OPML import); fetching
    itself is guarded where it connects, by `GuardedBackend`.
    """
    host = urlsplit(url).hostname
    if not host:
        raise FetchError(f"fetch: {url!r} has no host")
    await public_addresses(host)


class GuardedBackend(httpcore.AsyncNetworkBackend):
    """Connect only to addresses that passed `is_public_address`, resolved exactly once."""

    def __init__(self) -> None:
        self._inner = httpcore.AnyIOBackend()

    async def connect_tcp(
        self,
        host: str,
        port: int,
        timeout: float | None = None,
        local_address: str | None = None,
        socket_options: Iterable[httpcore.SOCKET_OPTION] | None = None,
    ) -> httpcore.AsyncNetworkStream:
        try:
            async with asyncio.timeout(timeout):
                addresses = await public_addresses(host, port)
        except TimeoutError as exc:
            raise httpcore.ConnectTimeout(f"looking up {host} took too long") from exc
        failure: Exception | None = None
        for address in addresses:  # try each checked address in turn, as a browser does
            try:
                return await self._inner.connect_tcp(
                    address, port, timeout=timeout, local_address=local_address,
                    socket_options=socket_options,
                )  # fmt: skip
            except (httpcore.ConnectError, httpcore.ConnectTimeout) as exc:
                failure = exc
        assert failure is not None  # public_addresses never returns an empty list
        raise failure

    async def connect_unix_socket(
        self,
        path: str,
        timeout: float | None = None,
        socket_options: Iterable[httpcore.SOCKET_OPTION] | None = None,
    ) -> httpcore.AsyncNetworkStream:
        raise BlockedAddressError("fetch: local sockets are never fetched")

    async def sleep(self, seconds: float) -> None:
        await self._inner.sleep(seconds)


class GuardedTransport(httpx.AsyncHTTPTransport):
    """httpx's own transport, with its connection pool built on `GuardedBackend`.

    httpx has no public hook for a network backend, so the pool httpx built is replaced by
    the same pool with the guard; `tests/ingest/test_netguard.py` proves a rebinding host
    is refused through a real client, so an httpx change that bypassed this would fail it.
    Environment proxies (HTTP_PROXY) are not used: through a proxy the address connected
    to could not be checked.
    """

    def __init__(self, limits: httpx.Limits, ssl_context: ssl.SSLContext | None = None) -> None:
        context = ssl_context or httpx.create_ssl_context()
        super().__init__(limits=limits, verify=context)  # one certificate load, not two
        self._pool = httpcore.AsyncConnectionPool(
            ssl_context=context,
            max_connections=limits.max_connections,
            max_keepalive_connections=limits.max_keepalive_connections,
            keepalive_expiry=limits.keepalive_expiry,
            network_backend=GuardedBackend(),
        )
