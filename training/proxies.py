"""Which peers may tell the app the client's real address and scheme (`X-Forwarded-*`).

An exam's network restriction and the per-address rate limits read `request.remote_addr`. Behind
a reverse proxy that is the proxy, so the proxy's `X-Forwarded-For` is believed instead — but only
when the request really comes from a configured proxy (`TRUSTED_PROXIES`). A client that reaches
the app directly and forges the header keeps its own address.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Iterable
from typing import Any

from werkzeug.middleware.proxy_fix import ProxyFix

Network = ipaddress.IPv4Network | ipaddress.IPv6Network


def parse_networks(text: str) -> tuple[Network, ...]:
    """'10.0.0.5, 10.1.0.0/16 ::1' → networks; a bad entry stops the app from starting."""
    entries = text.replace(",", " ").split()
    try:
        return tuple(ipaddress.ip_network(entry, strict=False) for entry in entries)
    except ValueError as error:
        raise ValueError(f"TRUSTED_PROXIES: {error}") from error


class TrustedProxyFix:
    """ProxyFix for requests whose immediate peer is a trusted proxy; others pass untouched."""

    def __init__(self, app: Any, networks: Iterable[Network], hops: int) -> None:
        self.app = app
        self.networks = tuple(networks)
        self.fixed = ProxyFix(app, x_for=hops, x_proto=hops, x_host=hops)

    def trusts(self, peer: str | None) -> bool:
        try:
            address = ipaddress.ip_address(peer or "")
        except ValueError:  # a unix socket or no peer at all
            return False
        return any(address in network for network in self.networks)

    def __call__(self, environ: dict[str, Any], start_response: Any) -> Any:
        if self.trusts(environ.get("REMOTE_ADDR")):
            return self.fixed(environ, start_response)
        return self.app(environ, start_response)
