"""English router words: what marks an utterance as about the home or as general.

The router (engine/router.py) reads them to choose the think path or the fast path.
"""

from __future__ import annotations

from .router_words import RouterWords

ROUTER_WORDS = RouterWords(
    lead_fillers=frozenset(
        {"hey", "ok", "okay", "please", "pls", "plz", "yo", "so", "um", "uh", "er", "right"}
        | {"now", "just", "well", "alright", "can", "could", "would", "will", "you", "u"}
        | {"kindly", "go", "ahead", "mum", "mom", "dad", "say", "says", "said", "and", "then"}
        | {"oh", "ah", "quickly", "quick", "hmm", "computer", "assistant", "nabu", "jarvis"}
        | {"mind", "there", "not", "never", "do not"}
    ),
    tail_fillers=frozenset(
        {"please", "pls", "plz", "now", "thanks", "thank", "you", "for", "me", "would", "will"}
        | {"could", "again", "right", "away", "quickly", "asap", "mate", "buddy", "then"}
    ),
    command_verbs=frozenset(
        {"turn", "switch", "dim", "brighten", "open", "close", "shut", "lock", "unlock"}
        | {"pause", "resume", "unpause", "skip", "mute", "unmute", "raise", "lower"}
        | {"increase", "decrease", "activate", "deactivate", "run", "put", "toggle", "arm"}
        | {"disarm", "vacuum", "clean", "mop", "water", "heat", "cool", "warm", "boost"}
        | {"kill", "crank", "bump", "fire", "send", "dock", "mark", "cancel", "enable"}
        | {"disable", "fill", "empty", "feed", "stick", "pop", "crack", "restart", "trigger"}
        | {"launch", "tick", "cross", "delete", "clear", "remove", "set", "stop", "start"}
        | {"light", "roll", "lift", "drop", "unlatch", "latch", "shuffle", "repeat", "next"}
        | {"previous", "rewind", "record", "reset", "silence", "quiet", "hush", "locking"}
        | {"turning", "switching", "closing", "opening", "dimming", "starting", "stopping"}
    ),
    determiners=frozenset(
        {"the", "my", "our", "your", "this", "that", "these", "those", "all", "any", "every"}
        | {"each", "both", "some", "there"}
    ),
    own_words=frozenset({"my", "our", "we", "i", "us", "me"}),
    pronouns=frozenset({"it", "they", "them"}),
    value_prepositions=frozenset({"to"}),
    of_words=frozenset({"of"}),
    routine_words=frozenset({"time"}),
    routine_links=frozenset({"to", "for"}),
    count_openings=frozenset({"how many"}),
    weak_command_verbs=frozenset(
        {"play", "add", "make", "let", "get", "show", "check", "find", "bring"}
    ),
    setting_words=frozenset(
        {"on", "off", "louder", "quieter", "softer", "brighter", "dimmer", "darker"}
        | {"warmer", "cooler", "colder", "hotter", "higher", "lower", "open", "closed"}
        | {"shut", "locked", "unlocked", "percent", "%", "degree"}
    ),
    device_nouns=frozenset(
        {"light", "lamp", "lighting", "bulb", "spotlight", "spot", "lantern", "fan"}
        | {"blind", "shade", "curtain", "shutter", "drape", "awning", "door", "gate"}
        | {"garage", "window", "lock", "deadbolt", "thermostat", "heating", "heater"}
        | {"ac", "aircon", "temperature", "temp", "humidity", "tv", "telly", "television"}
        | {"music", "song", "track", "playlist", "album", "podcast", "volume", "speaker"}
        | {"soundbar", "radio", "vacuum", "robot", "roomba", "sprinkler", "irrigation"}
        | {"hose", "valve", "list", "shopping", "todo", "chore", "plug", "socket", "outlet"}
        | {"switch", "sensor", "battery", "power", "energy", "electricity", "alarm", "camera"}
        | {"doorbell", "motion", "leak", "mail", "post", "mailbox", "parcel", "package"}
        | {"scene", "script", "routine", "automation", "boiler", "radiator", "dehumidifier"}
        | {"humidifier", "purifier", "kettle", "oven", "dishwasher", "dryer", "washer"}
        | {"fridge", "freezer", "pump", "pool", "air", "co2", "level", "tank"}
        | {"media", "player", "stereo", "blackout", "coffee"}
    ),
    place_words=frozenset(
        {"here", "inside", "indoors", "upstairs", "downstairs", "outside", "outdoors"}
        | {"everything", "anything", "everywhere", "anyone", "anybody", "someone"}
        | {"somebody", "nobody", "everyone", "everybody", "device", "appliance", "gadget"}
    ),
    place_nouns=frozenset({"house", "flat", "apartment", "home", "room", "floor", "place"}),
    state_words=frozenset(
        {"on", "off", "open", "opened", "closed", "shut", "locked", "unlocked", "running"}
        | {"playing", "paused", "docked", "charging", "cleaning", "heating", "cooling"}
        | {"idle", "away", "armed", "disarmed", "left", "switched", "turned", "set", "full"}
        | {"empty", "low", "working", "doing", "at", "reading", "showing", "still"}
        | {"currently", "moment"}
    ),
    state_prepositions=frozenset({"on", "off", "at", "away"}),
    after_state=frozenset(
        {"in", "and", "or", "upstairs", "downstairs", "still", "yet", "right", "now"}
        | {"again", "already", "anywhere", "somewhere", "please", "outside", "inside"}
    ),
    indirect_words=frozenset(
        {"cold", "freezing", "chilly", "hot", "boiling", "roasting", "warm", "stuffy"}
        | {"humid", "damp", "muggy", "sweltering", "baking", "icy", "frosty", "dark", "dim"}
        | {"gloomy", "bright", "blinding", "loud", "noisy", "oven", "sauna", "stink"}
        | {"smell", "smelly", "leaving", "heading", "off", "home", "back", "bed"}
        | {"bedtime", "sleep", "sleeping", "asleep", "nap", "wake", "awake", "guest"}
        | {"party", "movie", "film", "concentrate", "focus", "relax", "dinner", "breakfast"}
        | {"lunch", "thirsty", "reading", "visitor", "company", "arrived", "arriving"}
        | {"shower", "bath", "cooking", "workout", "work", "working", "call", "meeting"}
    ),
    indirect_phrases=frozenset(
        {"good night", "goodnight", "night night", "can not see", "can barely see"}
        | {"can not hear", "can barely hear", "lock up", "heading out", "going out"}
        | {"i am off", "we are off", "i am back", "we are back", "i am home", "we are home"}
        | {"i am up", "getting up", "locking up", "are we out", "i am going", "we are going"}
        | {"about to", "i will be", "we will be", "gonna", "off to", "planning to"}
        | {"we are out of", "i am out of", "run out of", "ran out of", "running out of"}
        | {"do we need", "do i need", "do we have any", "low on", "we need", "have we got"}
    ),
    personal_words=frozenset(
        {"timer", "alarm", "remind", "reminder", "calendar", "schedule", "appointment"}
        | {"agenda", "weather", "forecast", "rain", "raining", "rained", "snow", "snowing"}
        | {"snowed", "rainfall"}
        | {"sunset", "sunrise", "date", "umbrella", "commute", "traffic"}
    ),
    personal_phrases=frozenset(
        {"what time", "the time", "what day", "cold out", "hot out", "warm out", "nice out"}
        | {"chilly out", "freezing out", "raining out", "like out", "my day", "my week"}
        | {"my plans", "my schedule"}
    ),
    place_prepositions=frozenset({"in", "on", "at"}),
    near_words=frozenset(
        {"the", "a", "my", "our", "your", "here", "today", "tomorrow", "tonight", "this"}
        | {"morning", "afternoon", "evening", "night", "week", "weekend", "noon", "an"}
        | {"minute", "hour", "second", "midnight", "monday", "tuesday", "wednesday"}
        | {"thursday", "friday", "saturday", "sunday", "half", "about", "around", "there"}
    ),
    function_words=frozenset(
        {"the", "a", "an", "of", "and", "to", "in", "on", "at", "for", "with", "my", "our"}
        | {"your", "by", "from", "up", "down", "off", "out", "it", "is", "good", "one"}
    ),
    remark_subjects=frozenset({"i", "you", "that", "this", "we", "me", "your", "life"}),
    indefinite_articles=frozenset({"a", "an"}),
    topic_words=frozenset({"about", "regarding"}),
    question_starts=frozenset(
        {"what", "who", "when", "where", "why", "how", "which", "whose", "whom"}
        | {"is", "are", "was", "were", "do", "does", "did", "can", "could", "should"}
        | {"would", "will", "has", "have", "had", "shall", "may", "might"}
    ),
    general_verbs=frozenset(
        {"tell", "explain", "define", "describe", "translate", "say", "sing", "recommend"}
        | {"suggest", "write", "spell", "calculate", "convert", "name", "teach", "summarize"}
        | {"summarise", "compare", "recite", "guess", "imagine", "pretend", "help", "give"}
    ),
    knowledge_openings=frozenset(
        {"who invented", "who founded", "who made", "who created", "who designed"}
        | {"who discovered", "who built", "who was", "who is", "who were", "who wrote"}
        | {"how far", "how big", "how tall", "how old", "how many", "how deep", "how heavy"}
        | {"why do", "why does", "why are", "how do", "how does", "how is", "how are"}
        | {"what is the difference", "what kind of", "what type of", "tell me about"}
        | {"what is the capital", "what is the history of", "when was", "when did"}
        | {"how did"}
    ),
    origin_openings=frozenset(
        {"who invented", "who founded", "who made", "who created", "who designed"}
        | {"who discovered", "who built"}
    ),
    made_of=frozenset({"made of", "made from", "invented by", "named after"}),
    assistant_openings=frozenset(
        {"do you", "are you", "can you tell", "what is your", "who are you", "have you"}
        | {"did you", "would you rather", "you are"}
    ),
    chitchat_phrases=frozenset(
        {"hello", "hi", "hey", "hiya", "howdy", "yo", "greetings", "thanks", "thank you"}
        | {"cheers", "good morning", "good afternoon", "good evening", "bye", "goodbye"}
        | {"how are you", "how is it going", "what is up", "how is your day", "i love you"}
        | {"i am bored", "i am sad", "i am happy", "i am tired", "you are", "that is"}
        | {"what can you do", "sup", "nice", "cool", "awesome", "wow", "lol", "haha"}
        | {"morning", "afternoon", "evening", "see you", "see ya", "later", "take care"}
        | {"good job", "well done", "nice one", "sorry", "welcome", "great", "ok cool"}
    ),
    joke_words=frozenset({"joke", "pun", "riddle", "funny", "laugh", "limerick", "knock"}),
    maths_words=frozenset(
        {"plus", "minus", "times", "multiplied", "divided", "over", "squared", "cubed"}
        | {"root", "power", "percent", "%", "sum", "product", "half", "double", "triple"}
        | {"+", "-", "*", "/", "x", "convert", "equal", "equals", "factorial"}
    ),
    number_words=frozenset(
        {"zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine"}
        | {"ten", "eleven", "twelve", "thirteen", "fourteen", "fifteen", "sixteen"}
        | {"seventeen", "eighteen", "nineteen", "twenty", "thirty", "forty", "fifty"}
        | {"sixty", "seventy", "eighty", "ninety", "hundred", "thousand", "million"}
    ),
    unit_words=frozenset(
        {"inch", "foot", "feet", "yard", "mile", "meter", "metre", "centimeter", "km"}
        | {"centimetre", "millimeter", "kilometer", "kilometre", "ounce", "pound", "gram"}
        | {"kilo", "kilogram", "ton", "tonne", "liter", "litre", "gallon", "pint", "cup"}
        | {"celsius", "fahrenheit", "kelvin", "acre", "hectare", "second", "minute", "hour"}
        | {"day", "week", "year", "calorie", "mph", "kph", "tablespoon", "teaspoon"}
    ),
    follow_up_openings=frozenset(
        {"and", "also", "what about", "how about", "same", "no", "nah", "nope", "yes"}
        | {"yeah", "yep", "sure", "ok", "okay", "actually", "instead", "the", "not", "only"}
        | {"never mind", "a bit", "a little", "more", "less", "why", "but", "then", "too"}
    ),
    back_references=frozenset(
        {"it", "that", "them", "those", "this", "these", "one", "there", "again"}
        | {"instead", "too", "well", "also", "another", "other", "same", "him", "her"}
        | {"just", "happened"}
    ),
    contractions=(
        ("what's", "what is"),
        ("it's", "it is"),
        ("that's", "that is"),
        ("there's", "there is"),
        ("here's", "here is"),
        ("how's", "how is"),
        ("who's", "who is"),
        ("where's", "where is"),
        ("when's", "when is"),
        ("let's", "let us"),
        ("he's", "he is"),
        ("she's", "she is"),
        ("i'm", "i am"),
        ("can't", "can not"),
        ("won't", "will not"),
        ("shan't", "shall not"),
        ("n't", " not"),
        ("'re", " are"),
        ("'ll", " will"),
        ("'ve", " have"),
        ("'d", " would"),
        ("'s", ""),
        ("whats", "what is"),
        ("im", "i am"),
        ("hows", "how is"),
        ("whos", "who is"),
        ("thats", "that is"),
    ),
)
