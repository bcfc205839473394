"""English: every word list and phrase the pure core reads or says in English."""

from __future__ import annotations

from . import Lexicon
from .en_replies import REPLIES

LEXICON = Lexicon(
    language="en",
    replies=REPLIES,
    stop_words=frozenset(
        {"a", "an", "the", "to", "of", "in", "on", "off", "is", "are", "it", "my", "me"}
        | {"please", "turn", "set", "make", "what", "how", "and"}
    ),
    question_starts=frozenset(
        {"what", "whats", "which", "who", "whos", "how", "hows", "when", "where", "why"}
        | {"is", "are", "was", "were", "does", "do", "did", "has", "have", "isnt", "arent"}
    ),
    command_words=frozenset(
        {"open", "close", "shut", "start", "stop", "switch", "raise", "lower", "run", "send"}
        | {"increase", "decrease", "brighten", "resume", "skip", "next", "previous", "back"}
        | {"check", "mark", "done", "put", "tell", "show", "get", "give", "want", "need", "can"}
        | {"you", "could", "would", "will", "do", "does", "be", "was", "at", "for", "with"}
        | {"up", "down", "bit", "little", "lot", "now", "too", "all", "every", "some", "more"}
        | {"less", "again", "also", "then", "halfway", "half", "way", "percent", "here", "there"}
        | {"this", "that", "room", "home", "house", "right", "currently", "still", "very", "so"}
        | {"i", "we", "our", "your", "its", "has", "have", "any", "which", "where", "why", "when"}
        | {"who", "by", "from", "into", "onto", "off", "on", "quite", "much", "slightly"}
        | {"unpause", "skip", "one", "quiet", "mute", "unmute", "playing", "paused", "go"}
    ),
    kind_words={
        "light": (
            "light",
            "lights",
            "lamp",
            "lamps",
            "bright",
            "brighter",
            "dim",
            "dimmer",
            "dark",
        ),
        "fan": ("fan", "fans"),
        "cover": ("cover", "blind", "blinds", "shade", "shades", "curtain", "curtains"),
        "lock": ("lock", "locks", "unlock", "locked", "door"),
        "vacuum": ("vacuum", "robot", "clean", "cleaning", "dock", "mop", "mopping"),
        "media_player": (
            *("tv", "music", "speaker", "volume", "play", "pause", "louder", "quieter", "loud"),
            *("radio", "song", "track", "television", "telly"),
        ),
        "valve": ("valve", "water", "sprinkler", "irrigation", "hose"),
        "climate": (
            *("thermostat", "heating", "temperature", "warmer", "cooler", "heat", "ac"),
            *("degrees", "warm", "cold", "colder", "heater", "cooling"),
        ),
        "todo": ("list", "shopping", "todo", "add"),
        "script": ("script", "scene", "routine"),
        "switch": ("switch", "plug", "outlet"),
        "sensor": ("temperature", "humidity", "sensor", "warm", "cold", "outside"),
        "binary_sensor": (
            *("window", "windows", "door", "doors", "motion", "moving", "leak", "leaking"),
            "moisture",
            *("occupied", "occupancy", "anyone", "smoke", "contact"),
        ),
    },
    direction_words={
        1: ("brighter", "brighten", "louder", "warmer", "hotter", "up", "increase", "raise"),
        -1: (
            *("dim", "dimmer", "darker", "quieter", "softer", "cooler", "colder", "down"),
            *("decrease", "lower", "reduce"),
        ),
    },
    too_word="too",
    too_direction_words={
        1: ("dark", "dim", "quiet", "cold", "cool", "low", "soft", "chilly"),
        -1: ("bright", "loud", "warm", "hot", "high", "noisy", "light"),
    },
    amount_words=frozenset(
        {"half", "halfway", "quarter", "full", "fully", "max", "maximum", "min", "minimum"}
        | {"all", "lowest", "highest", "percent", "degree", "degrees"}
        | {"one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten"}
        | {"twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety"}
    ),
    all_words=frozenset({"all", "every", "everything", "both", "each", "everywhere"}),
    one_thing_plurals=frozenset({"blinds", "curtains", "shades", "drapes", "shutters"}),
    default_list_words=(
        frozenset({"shopping", "grocery", "groceries"}),
        frozenset({"todo", "to-do"}),
    ),
    opposite_words={
        "HassVacuumStart": (
            frozenset({"stop", "pause", "halt", "dock"}),
            frozenset({"start", "begin", "resume", "clean"}),
        ),
        "HassTurnOn": (frozenset({"off"}), frozenset({"on"})),
        "HassTurnOff": (frozenset({"on"}), frozenset({"off"})),
        "HassTurnOn cover": (
            frozenset({"close", "shut", "lower"}),
            frozenset({"open", "raise", "up"}),
        ),
        "HassTurnOff cover": (
            frozenset({"open", "raise"}),
            frozenset({"close", "shut", "lower", "down"}),
        ),
        "HassTurnOn lock": (frozenset({"unlock"}), frozenset({"lock"})),
        "HassTurnOff lock": (frozenset({"lock"}), frozenset({"unlock"})),
    },
    kind_verbs={"open": "open", "close": "close", "shut": "close", "lock": "lock"}
    | {"unlock": "unlock"},
    switch_words=frozenset({"on", "off", "switch", "turn", "start", "stop", "run"}),
    joining_words=frozenset({"and", "then", "also", "plus"}),
    class_nouns={"cover": ("door", "gate", "garage", "window", "awning", "shutter")},
    same_words={"outside": "outdoor", "outdoor": "outside"},
    binary_states={
        **dict.fromkeys(("door", "window", "opening", "garage_door"), ("open", "closed")),
        "motion": ("motion detected", "no motion"),
        **dict.fromkeys(("occupancy", "presence"), ("occupied", "not occupied")),
        "moisture": ("wet, leak detected", "dry"),
        **dict.fromkeys(("smoke", "gas", "carbon_monoxide"), ("detected", "clear")),
        "running": ("running", "not running"),
        "lock": ("unlocked", "locked"),
        "battery": ("battery low", "battery normal"),
        "problem": ("problem", "no problem"),
    },
)
