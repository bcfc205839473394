"""The privacy boundary: nothing of the home is in anything the fast path sends."""

from __future__ import annotations

import re

import pytest
from homeassistant.core import HomeAssistant

from bench.realtime_standin import RealtimeStandin
from custom_components.hybrid_voice.engine.home_model import EntityInfo, ExposedHome
from custom_components.hybrid_voice.fast.cloud_request import (
    DEFAULT_FAST_INSTRUCTIONS,
    MAX_HISTORY_TURNS,
    FastTurn,
    HomeNameInRequest,
    PrivateWords,
    build_cloud_request,
)

from .conftest import ask, connected_session

HOME = ExposedHome(
    entities=[
        EntityInfo("cover.garage_door", "Garage Door", "cover", "Garage", state="opening"),
        EntityInfo(
            "climate.aquarium_heater",
            "Aquarium Heater",
            "climate",
            "Sunroom",
            aliases=("Fish Tank",),
            state="24.5",
        ),
        EntityInfo("lock.back_gate", "Back Gate", "lock", None, state="jammed"),
        EntityInfo(
            "todo.shopping_list",
            "Shopping List",
            "todo",
            None,
            state="11",
            items=("oat milk", "birthday candles"),
        ),
    ],
    areas=["Garage", "Sunroom", "Nursery"],
)
FLOORS = ["Upstairs Loft"]
VOCABULARY = PrivateWords.of(HOME, FLOORS)
CHIT_CHAT = ["tell me a joke", "what is the capital of France?", "how far away is the moon?"]


def _home_words() -> list[str]:
    """Every id, name, alias, area, floor, state and list item of the test home."""
    words = [*HOME.areas, *FLOORS]
    for entity in HOME.entities:
        words += [entity.entity_id, entity.entity_id.split(".")[1], *entity.names, entity.state]
        words += entity.items
    return words


def _words(text: str) -> str:
    return " ".join(part for part in re.split(r"[^a-z0-9._]+", text.casefold()) if part)


def _mentions(recorded: str, word: str) -> bool:
    """`word` (an id, a name, a state) appears in `recorded`.

    As whole words, or, if it is long enough not to occur by chance, anywhere.
    """
    whole = f" {_words(word)} " in f" {_words(recorded)} "
    return whole or (len(word) >= 4 and word.casefold() in recorded.casefold())


@pytest.mark.parametrize(
    "text",
    [
        "open the garage door",
        "is the fish tank warm enough?",
        "what's on my shopping list",
        "do we still need OAT MILK",
        "turn off cover.garage_door",
        "is anyone in the nursery",
        "what's the temperature in the upstairs loft",
    ],
)
def test_a_request_naming_the_home_is_refused(text: str) -> None:
    with pytest.raises(HomeNameInRequest):
        build_cloud_request(DEFAULT_FAST_INSTRUCTIONS, VOCABULARY, text=text)


def test_instructions_naming_the_home_are_refused() -> None:
    with pytest.raises(HomeNameInRequest):
        build_cloud_request("You live next to the Aquarium Heater.", VOCABULARY)


def test_the_request_holds_only_the_words_and_the_hand_off_tool() -> None:
    history = [FastTurn(f"question {n}", f"answer {n}") for n in range(5)]
    history.insert(4, FastTurn("my garage door", "I cannot see your home."))
    request = build_cloud_request(
        DEFAULT_FAST_INSTRUCTIONS, VOCABULARY, text="tell me a joke", history=history
    )
    assert [tool["name"] for tool in request.session["tools"]] == ["hand_off_to_home"]
    assert request.session["type"] == "realtime"
    assert request.session["output_modalities"] == ["text"]
    assert request.response is not None
    assert request.response["conversation"] == "none"
    texts = [item["content"][0]["text"] for item in request.response["input"]]
    # The last turns without the one that names the garage door, then the request.
    kept = [turn for turn in history if "garage" not in turn.user][-MAX_HISTORY_TURNS:]
    expected = [text for turn in kept for text in (turn.user, turn.assistant)]
    assert texts == [*expected, "tell me a joke"]


def test_ordinary_words_inside_longer_words_are_not_home_names() -> None:
    # "Garage" is a home name; "garages" and "sunrooms" as words of a question are not
    # the same word, and a request about the world goes out.
    request = build_cloud_request(
        DEFAULT_FAST_INSTRUCTIONS, VOCABULARY, text="why do old houses have big garages?"
    )
    assert request.response is not None


async def test_nothing_of_the_home_reaches_the_cloud(
    hass: HomeAssistant, standin: RealtimeStandin
) -> None:
    history: list[FastTurn] = []
    async with connected_session(hass, standin) as (session, _recorder):
        for text in CHIT_CHAT:
            request = build_cloud_request(
                DEFAULT_FAST_INSTRUCTIONS, VOCABULARY, text=text, history=history
            )
            assert request.response is not None
            reply = "".join([delta async for delta in session.reply(request.response)])
            history.append(FastTurn(text, reply))
        for text in ("open the garage door", "add oat milk to the shopping list"):
            with pytest.raises(HomeNameInRequest):
                build_cloud_request(DEFAULT_FAST_INSTRUCTIONS, VOCABULARY, text=text)
        # The history is replayed: the stand-in saw the earlier turns again.
        assert "".join(await ask(session, "one more joke")) != ""
    recorded = standin.recorded_text()
    assert "capital of France" in recorded
    leaked = [word for word in _home_words() if _mentions(recorded, word)]
    assert leaked == []
