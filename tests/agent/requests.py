"""English requests read against a test home, as the turn reads them."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from custom_components.hybrid_voice.engine.claims import false_claim
from custom_components.hybrid_voice.engine.home_model import EntityInfo, ExposedHome
from custom_components.hybrid_voice.engine.request import ParsedRequest, parse_request
from custom_components.hybrid_voice.engine.targets import Targets, allowed_targets


def english(text: str, entities: Sequence[EntityInfo] = ()) -> ParsedRequest:
    """`text` read as an English request in a home of `entities`."""
    return parse_request(text, "en", ExposedHome(list(entities)))


def targets_of(
    entities: Sequence[EntityInfo], text: str, remembered: Iterable[str] = ()
) -> Targets:
    """What the English request `text` may act on in a home of `entities`."""
    return allowed_targets(entities, english(text, entities), remembered)


def claim_reason(
    answer: str, shown: Sequence[EntityInfo], home: Sequence[EntityInfo] = ()
) -> str | None:
    """Why `false_claim` finds the answer false, or None."""
    claim = false_claim(answer, shown, home)
    return claim.reason if claim is not None else None
