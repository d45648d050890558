"""The industry chains as enterprise services see them, filled in by the module that keeps them.

The chains and their links live in the investment module, a floor above this one. It registers a
provider in its ``AppConfig.ready()``; supply and demand read the links through it:

    from onezone.support.chains import ChainLink, register_chain_links

    def provide(zone_ids):
        return [ChainLink(id=n.pk, zone_id=n.zone_id, chain_id=n.chain_id, ...) for n in nodes]

    register_chain_links(provide)

Without a provider every zone simply has no chains: needs and offers match by industry code alone.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass

# A chain has a handful of levels; a parent loop in bad data must not hold a thread.
MAX_DEPTH = 32


@dataclass(frozen=True)
class ChainLink:
    """One link (环节) of a chain in a zone; ``parent_id`` is the link it takes its input from."""

    id: int
    zone_id: int
    chain_id: int
    chain_name: str
    name: str
    stage: str = ""
    industry_code: str = ""
    parent_id: int | None = None

    @property
    def label(self) -> str:
        return f"{self.chain_name}·{self.name}"

    @property
    def key(self) -> str:
        """The same link in another zone of the province has the same chain and link names."""
        return self.label


Provider = Callable[[Iterable[int]], list[ChainLink]]
_provider: list[Provider] = []


def register_chain_links(provider: Provider) -> None:
    """Set (or replace) the function that answers the chain links of some zones."""
    _provider[:] = [provider]


def chain_links(zone_ids: Iterable[int]) -> dict[int, ChainLink]:
    """The links of the zones by id; empty without a provider."""
    ids = sorted(set(zone_ids))
    if not _provider or not ids:
        return {}
    return {link.id: link for link in _provider[0](ids)}


def chains_of(links: dict[int, ChainLink], zone_id: int) -> list[tuple[int, str]]:
    """The zone's chains (id, name) in the order their links came."""
    seen: dict[int, str] = {}
    for link in links.values():
        if link.zone_id == zone_id:
            seen.setdefault(link.chain_id, link.chain_name)
    return list(seen.items())


def upstream_keys(links: dict[int, ChainLink], link_id: int | None) -> frozenset[str]:
    """The keys of every link above ``link_id`` on its chain (its input, that link's input, ...)."""
    keys: list[str] = []
    link = links.get(link_id) if link_id is not None else None
    for _ in range(MAX_DEPTH):
        if link is None or link.parent_id is None:
            break
        link = links.get(link.parent_id)
        if link is not None:
            keys.append(link.key)
    return frozenset(keys)
