"""The router: home utterances stay local, general ones go to the cloud, with reasons."""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from bench.routing import vocabulary
from bench.routing_dataset import homes_of, load_part
from custom_components.hybrid_voice.engine.home_model import EntityInfo, ExposedHome
from custom_components.hybrid_voice.engine.request import parse_request
from custom_components.hybrid_voice.engine.router import (
    ConversationState,
    HomeVocabulary,
    home_vocabulary,
    route_utterance,
)

HOME = HomeVocabulary.build(
    device_names=["Apple TV", "Moon Lamp", "moon", "Kitchen Light", "Front Door", "Dusty"],
    place_names=["Kitchen", "Living Room", "Upstairs", "Main Level"],
    domains=["media_player", "light", "lock", "vacuum"],
)
THINK_TURN = ConversationState(previous_path="think")
FAST_TURN = ConversationState(previous_path="fast")


@dataclass(frozen=True)
class Parsed:
    text: str


@pytest.mark.parametrize(
    "text",
    [
        "turn on the kitchen light",
        "could you pause the apple tv",
        "is the front door locked?",
        "what's dusty doing",
        "lights off upstairs",
        "it's freezing in here",
        "I'm leaving",
        "movie time",
        "set a timer for ten minutes",
        "are we out of milk",
        "is it on?",
    ],
)
def test_home_utterances_stay_local(text: str) -> None:
    decision = route_utterance(text, HOME, ConversationState(), "en")
    assert decision.path == "think", decision
    assert decision.reason


@pytest.mark.parametrize(
    "text",
    [
        "what's the capital of France?",
        "tell me a joke",
        "what is 7 times 8",
        "how are you today?",
        "tell me about apples",
        "who invented the television",
    ],
)
def test_general_utterances_go_to_the_cloud(text: str) -> None:
    decision = route_utterance(text, HOME, ConversationState(), "en")
    assert decision.path == "fast", decision


def test_a_name_of_the_home_keeps_a_question_local_unless_it_means_any_such_thing() -> None:
    assert route_utterance("is the moon lamp on", HOME).path == "think"
    assert route_utterance("how do I grow tomatoes in a kitchen", HOME).path == "fast"


def test_a_follow_up_to_a_local_turn_stays_local() -> None:
    for text in ("and the living room", "a bit more", "why?", "turn it off again"):
        assert route_utterance(text, HOME, THINK_TURN).path == "think", text
    assert route_utterance("and in the kitchen?", HOME, FAST_TURN).path == "think"


def test_a_follow_up_to_a_cloud_turn_stays_in_the_cloud_unless_it_is_about_the_home() -> None:
    assert route_utterance("tell me another one", HOME, FAST_TURN).path == "fast"
    assert route_utterance("and what about Spain?", HOME, FAST_TURN).path == "fast"
    assert route_utterance("turn it off", HOME, FAST_TURN).path == "think"


def test_an_answer_to_a_question_of_the_home_stays_local() -> None:
    asked = ConversationState(previous_path="think", awaiting_reply=True)
    decision = route_utterance("tell me a joke", HOME, asked)
    assert decision.path == "think"
    assert route_utterance("tell me a joke", HOME, THINK_TURN).path == "fast"


@pytest.mark.parametrize("language", ["de", "xx", "", "zh-Hans"])
def test_a_language_without_router_words_stays_local(language: str) -> None:
    decision = route_utterance("what is the capital of France", HOME, None, language)
    assert decision.path == "think"
    assert "language" in decision.reason


def test_an_english_variant_uses_the_english_words() -> None:
    assert route_utterance("tell me a joke", HOME, None, "en-GB").path == "fast"
    assert route_utterance("tell me a joke", HOME, None, "en_US").path == "fast"


def test_a_parsed_request_is_read_by_its_text() -> None:
    assert route_utterance(Parsed("turn on the kitchen light"), HOME).path == "think"
    exposed = ExposedHome([EntityInfo("light.kitchen_light", "Kitchen Light", "light")])
    parsed = parse_request("is the kitchen light on", "en", exposed)
    assert route_utterance(parsed, home_vocabulary(exposed)).path == "think"
    joke = parse_request("tell me a joke", "en", exposed)
    assert route_utterance(joke, home_vocabulary(exposed)).path == "fast"


@pytest.mark.parametrize("text", ["", "   ", "?!", "\u2019"])
def test_nothing_to_read_stays_local(text: str) -> None:
    assert route_utterance(text, HOME).path == "think"


def test_the_same_utterance_gets_the_same_decision() -> None:
    first = route_utterance("how far is it from London to Paris", HOME)
    assert route_utterance("how far is it from London to Paris", HOME) == first


def test_no_labelled_home_utterance_of_the_tuning_set_goes_to_the_cloud() -> None:
    """The privacy rule on every tuning utterance labelled local.

    The held-out part is measured by `python -m bench.routing`, never asserted on: a
    test on it would be tuning on it.
    """
    cases = load_part("tuning")
    homes = {name: vocabulary(home) for name, home in homes_of(cases).items()}
    leaked = [
        case.text
        for case in cases
        if case.about_home
        and route_utterance(
            case.text,
            homes[case.home],
            ConversationState(previous_path=case.previous),  # type: ignore[arg-type]
            case.language,
        ).path
        == "fast"
    ]
    assert leaked == []


def test_the_vocabulary_of_an_exposed_home_has_its_names_aliases_areas_and_floors() -> None:
    exposed = ExposedHome(
        [EntityInfo("vacuum.rosie", "Rosie", "vacuum", "Hall", aliases=("the robot",))],
        ["Hall"],
    )
    vocabulary = home_vocabulary(exposed, floors=["Attic"])
    for text in ("is rosie docked", "send the robot home", "hall lights off", "attic fan on"):
        assert route_utterance(text, vocabulary).path == "think", text
    assert vocabulary.domains == frozenset({"vacuum"})
    assert route_utterance("who was rosie the riveter", vocabulary).path == "fast"
