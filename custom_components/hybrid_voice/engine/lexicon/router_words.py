"""The kinds of words the router reads an utterance with, for one language.

A language's router module (`lexicon/en_router.py`) defines `ROUTER_WORDS` beside
its lexicon; a language without them is never routed to the cloud. Every entry is lower
case; phrases are space-separated words in the router's normal form (contractions
written out: "what is", "i am", "can not"), and plural nouns are listed in the
singular (the router folds a final "s").
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class RouterWords:
    """Word lists that mark an utterance as about the home, or as clearly not."""

    # Words (and written-out contractions) skipped before the first real word:
    # "hey", "please", "can you" ... so "could you dim the lamp" starts with "dim".
    lead_fillers: frozenset[str]
    # Words skipped at the end: "please", "now", "for me".
    tail_fillers: frozenset[str]
    # First words that give an order to the home ("turn", "dim", "lock").
    command_verbs: frozenset[str]
    # First words that give an order but also start general requests ("play a
    # game", "make me laugh", "add 5 and 7"): they only count with no general sign.
    weak_command_verbs: frozenset[str]
    # Last words that set a device ("lights off", "soundbar louder").
    setting_words: frozenset[str]
    # Nouns for a kind of device or something the home measures ("lamp", "humidity").
    device_nouns: frozenset[str]
    # Words that point at one thing ("the", "my", "all"); the speaker's own ("my", "we");
    # pronouns that stand for a device ("it").
    determiners: frozenset[str]
    own_words: frozenset[str]
    pronouns: frozenset[str]
    # "to" before a value at the end ("mercury to 20"); "of" after a noun that is not a
    # device ("the speed of light").
    value_prepositions: frozenset[str]
    of_words: frozenset[str]
    # "movie time", "time to relax", "time for tea".
    routine_words: frozenset[str]
    routine_links: frozenset[str]
    # "how many (inches in a foot)".
    count_openings: frozenset[str]
    # Words for a place in the home or all of it ("upstairs", "everything", "devices").
    place_words: frozenset[str]
    # Nouns for the home or a part of it; they count said of this one ("the house",
    # "at home", "who is home"), not of any ("the oldest house in england").
    place_nouns: frozenset[str]
    # States a device can be in; with a yes/no question they ask about the home.
    state_words: frozenset[str]
    # State words that are also prepositions ("on", "at"): a state only at the end or
    # before one of `after_state` ("is the light on in the hall").
    state_prepositions: frozenset[str]
    after_state: frozenset[str]
    # How a room or a person feels, or what they are about to do: in a statement
    # they ask the home for something ("it is freezing", "i am leaving").
    indirect_words: frozenset[str]
    # Phrases that ask the home for something whatever the sentence form.
    indirect_phrases: frozenset[str]
    # The user's own day: time, timers, reminders, calendar, local weather.
    personal_words: frozenset[str]
    personal_phrases: frozenset[str]
    # Words after a personal word that leave the home ("weather on mars",
    # "time in tokyo"): in/on/at followed by anything but these.
    place_prepositions: frozenset[str]
    near_words: frozenset[str]
    # Words of a name too plain to point at it alone ("the" of Feed the Chickens).
    function_words: frozenset[str]
    # First words of a remark said to the assistant ("i had a rough day", "you are").
    remark_subjects: frozenset[str]
    # Articles that make a noun any such thing, not the home's ("a greenhouse").
    indefinite_articles: frozenset[str]
    # Words after which a noun is a subject to talk about ("a joke about coffee").
    topic_words: frozenset[str]
    # Question words and yes/no question starts.
    question_starts: frozenset[str]
    # First words of a request for knowledge or talk ("explain", "tell", "translate").
    general_verbs: frozenset[str]
    # Openings that ask about the world, not the home: under these, a device noun or a
    # one-word name is any such thing ("how far is the moon", "who invented the tv").
    knowledge_openings: frozenset[str]
    # Openings under which every name is a thing in the world ("who invented the tv").
    origin_openings: frozenset[str]
    # Phrases that ask what something is made of, with the same effect anywhere.
    made_of: frozenset[str]
    # Openings about the assistant itself ("do you like music", "are you a robot").
    assistant_openings: frozenset[str]
    # Chit-chat: greetings, thanks, feelings said to the assistant.
    chitchat_phrases: frozenset[str]
    # Jokes and riddles.
    joke_words: frozenset[str]
    # Arithmetic and unit conversion.
    maths_words: frozenset[str]
    number_words: frozenset[str]
    unit_words: frozenset[str]
    # First words or phrases of a reply that leans on the previous turn.
    follow_up_openings: frozenset[str]
    # Words that point back at the previous turn ("it", "that one", "again").
    back_references: frozenset[str]
    # Written-out contractions: "what's" -> "what is", "can't" -> "can not".
    contractions: tuple[tuple[str, str], ...]
