"""What one think turn shows the model and lets it do.

From the request and the home: the devices it may act on (a floor, the speaker's room,
or a question back when a phrase fits several), the plan schema that offers only those,
the states the turn shows, the judge of the model's replies, and the messages.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from homeassistant.components import conversation

from custom_components.hybrid_voice.engine.actions import own_verbs
from custom_components.hybrid_voice.engine.claims import said_words
from custom_components.hybrid_voice.engine.lexicon import ReplyPhrases
from custom_components.hybrid_voice.engine.list_contents import asked_list, list_contents
from custom_components.hybrid_voice.engine.places import (
    choice_question,
    floor_in,
    left_to_do,
    narrow,
    points_back,
    says_all,
    single_verbs,
)
from custom_components.hybrid_voice.engine.plan import plan_schema
from custom_components.hybrid_voice.engine.plan_reader import PlanReader
from custom_components.hybrid_voice.engine.prompt import build_turn_message, prefix_messages
from custom_components.hybrid_voice.engine.readings import asked_sensor, reading
from custom_components.hybrid_voice.engine.replies import phrases_for
from custom_components.hybrid_voice.engine.request import parse_request
from custom_components.hybrid_voice.engine.selection import select_relevant
from custom_components.hybrid_voice.engine.states_asked import asked_states, states_answer
from custom_components.hybrid_voice.engine.targets import allowed_targets
from custom_components.hybrid_voice.models import EntityInfo, ExposedHome

from .history import history_messages, remembered_names
from .places import completed_text
from .rounds import RoundJudge, tool_parameters

# Tokens of per-turn device states when every device is already in the prefix, and
# at most this many devices: more states make a small model misread them. Every token
# of the turn costs prompt time, so only the devices that score within TURN_STATE_GAP
# of the best one are shown.
TURN_STATE_BUDGET = 200
MAX_TURN_STATES = 8
TURN_STATE_GAP = 1.0


@dataclass
class ThinkSettings:
    """What the entry's options say about the think path."""

    model: str
    persona: str
    language: str
    entity_budget: int
    timeout: float


@dataclass(frozen=True)
class TurnView:
    """What the model is shown and may do in one turn."""

    phrases: ReplyPhrases
    by_name: dict[str, EntityInfo]
    instead: str | None  # said instead of a model round: a question back, a list's items
    reader: PlanReader
    about: list[str]  # names of the devices the request may act on
    schema: dict[str, Any]
    judge: RoundJudge
    messages: list[dict[str, Any]]


def view_turn(
    settings: ThinkSettings,
    chat_log: conversation.ChatLog,
    user_input: conversation.ConversationInput,
    home: ExposedHome,
    speaker_area: str | None,
) -> TurnView:
    """The view of the home and the request that one turn gives the model."""
    phrases = phrases_for(settings.language)
    entities = home.entities
    tools = tool_parameters(chat_log.llm_api)
    remembered = remembered_names(chat_log, home, settings.language)
    english = settings.language.lower().startswith("en")
    text = completed_text(chat_log, user_input.text) if english else user_input.text
    request = parse_request(text, settings.language, home)
    by_name = {entity.name: entity for entity in entities}
    question = request.question
    said = said_words(text)
    targets = allowed_targets(entities, request, remembered)
    # A floor, the speaker's room, or a question back when "the door" fits two.
    place = narrow(
        entities,
        targets.allowed,
        targets.named,
        text,
        home.floors,
        speaker_area,
        question,
        targets.remembered,
    )
    instead = choice_question(place.ask) if english and place.ask else None
    if english and question and (listed := asked_list(entities, place.allowed, text)):
        instead = list_contents(listed, phrases)
    about = [entity for entity in entities if entity.entity_id in place.allowed]
    if english and question and not instead and (sensor := asked_sensor(about, request.kinds)):
        instead = reading(sensor, phrases)
    if english and question and not instead:
        asked = asked_states(text, entities, about if place.by_place else None)
        instead = states_answer(*asked, phrases) if asked else None
    # A question acts on nothing; a command only on the devices it points at. The
    # grammar offers only those, and the turn shows the states of the devices it
    # is about: another device's state only tempts a small model.
    actable = [] if question else about
    allowed = {entity.entity_id for entity in actable}
    reader = PlanReader(entities, tools, allowed, targets.named, request.direction)
    about_names = sorted(entity.name for entity in actable)
    schema = plan_schema(actable, tools)
    prefix, all_listed = prefix_messages(
        settings.persona, settings.language, home, tools, settings.entity_budget
    )
    relevant = select_relevant(
        about or entities,
        request,
        TURN_STATE_BUDGET if all_listed else settings.entity_budget,
        remembered,
        gap=TURN_STATE_GAP,
    )[:MAX_TURN_STATES]
    if place.by_place:
        relevant = about[:MAX_TURN_STATES]  # every device of the floor or room counts
    elif actable and says_all(text):
        # "Close all the garage doors": each one that can close and is not closed
        # counts, not only the best named.
        verbs = single_verbs(said)
        every = [entity for entity in about if not verbs or verbs & own_verbs(entity.domain)]
        every = left_to_do(every, verbs) or every
        relevant = select_relevant(every, request, settings.entity_budget)[:MAX_TURN_STATES]
    judge = RoundJudge(
        phrases,
        said if english else frozenset(),
        by_name,
        shown=relevant,
        command=bool(actable),
        question=question,
    )
    floor = floor_in(request.words_of(text), home.floors) if place.by_place else None
    turn = build_turn_message(text, relevant, floor or "")
    # A request that points at devices of its own needs no earlier turns: without
    # them the model server reuses the fixed prompt and evaluates only this turn.
    # So does a reply to the "which one" question, completed into the request it
    # answers ("make it 22 degrees: Thermostat"): the question only distracts.
    completed = text != user_input.text
    own = english and (completed or not points_back(text))
    standalone = own and bool(targets.allowed - targets.remembered)
    messages: list[dict[str, Any]] = [
        *prefix,
        *([] if standalone else history_messages(chat_log, entities)),
        {"role": "user", "content": turn},
    ]
    return TurnView(phrases, by_name, instead, reader, about_names, schema, judge, messages)
