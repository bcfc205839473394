"""Adding to a to-do list an item it already has is read as a mistake. No Home Assistant."""

from __future__ import annotations

import pytest

from custom_components.hybrid_voice.engine.home_model import EntityInfo
from custom_components.hybrid_voice.engine.plan import PlanError
from custom_components.hybrid_voice.engine.plan_reader import PlanReader

SHOPPING = EntityInfo("todo.shopping", "Shopping List", "todo", items=("bananas", "nappies"))
TOOLS = {"HassListAddItem": {"name": {"type": "string"}, "item": {"type": "string"}}}


def test_an_item_already_on_the_list_is_not_added_again() -> None:
    reader = PlanReader([SHOPPING], TOOLS, {SHOPPING.entity_id})
    with pytest.raises(PlanError, match="Bananas is already on Shopping List"):
        reader.read('["add_item Shopping List Bananas"]')
    plan = reader.read('["add_item Shopping List yoghurt"]')
    assert [call.args for call in plan.calls] == [{"name": "Shopping List", "item": "yoghurt"}]
