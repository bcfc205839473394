"""The home as the pure core sees it: exposed devices, areas, and calls that ran."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class EntityInfo:
    """One exposed entity as the model may name it."""

    entity_id: str
    name: str
    domain: str
    area: str | None = None
    aliases: tuple[str, ...] = ()
    state: str = ""
    attributes: tuple[tuple[str, str], ...] = field(default=())
    items: tuple[str, ...] = ()  # the open items of a to-do list
    floor: str | None = None  # the floor of its area
    device_class: str | None = None  # "garage" for a garage door

    @property
    def names(self) -> tuple[str, ...]:
        """The name and every alias."""
        return (self.name, *self.aliases)


@dataclass(frozen=True)
class ExposedHome:
    """The entities exposed to conversation agents, and the names of all areas."""

    entities: list[EntityInfo]
    areas: list[str] = field(default_factory=list)
    floors: Mapping[str, tuple[str, ...]] = field(default_factory=dict)  # name -> aliases


@dataclass(frozen=True)
class ToolCallRecord:
    """A Home Assistant tool call that ran: its name, its arguments, its result."""

    tool: str
    args: Mapping[str, Any]
    result: Mapping[str, Any]
