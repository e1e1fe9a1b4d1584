"""Deterministic red-flag triage of one message, with negation, time and experiencer.

The lexicon (`catalogue/red_flags.yml`) says which phrases raise which flag. This module
decides whether a phrase that was found really applies to the person now:

- negated:     "no numbness", "I don't have a fever, chills or sweats", "bladder control is fine"
- in the past: "had a fever last year", "when I was pregnant with my son" (a phrase takes the
               time of the nearest time marker before it, else the first one after it, so
               "had a fever last year, now I can't pee" still counts the second phrase)
- someone else: "my mum had cancer", "our toddler has a temperature" (but not "my partner
               says my spine has changed shape": an "I" or "my" after the mention brings it back)

Negation is read from spaCy tokens (a blank English tokenizer, so "don't" is split into
"do" + "n't"); clauses are split at punctuation and at words like "but" that end a
negation's reach. spaCy is imported on first use, so processes that only read results
(the action server) never load it.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import asdict, dataclass, field, replace
from functools import lru_cache
from pathlib import Path
from typing import Any

from actions.core.lexicon import (
    KNOWN_NEEDS,
    LEVELS,
    RED_FLAGS_FILE,
    Lexicon,
    RedFlag,
    Wording,
    ZoneRule,
    read_lexicon,
)  # fmt: skip
from actions.core.literal_gate import EVERYTHING_MAY_MATCH, LiteralGate, Prefiltered, Scan
from actions.core.paths import CORPUS_DIR
from actions.core.pregnancy_patterns import answer_patterns

# Everyday complaints of the classifier's corpus: what most messages look like.
_ORDINARY_FILES = ("negatives_short_plain.yml", "negatives_everyday_night_and_severe.yml")


@lru_cache(maxsize=1)
def _ordinary_sample() -> str:
    """The ordinary files' text, lower-cased like a message; empty when they are missing
    (then the gate picks its strings by length alone: slower, never different)."""
    paths = [CORPUS_DIR / name for name in _ORDINARY_FILES]
    return "\n".join(path.read_text(encoding="utf-8").lower() for path in paths if path.exists())


__all__ = [
    "KNOWN_NEEDS", "LEVELS", "RED_FLAGS_FILE", "Assessment", "Facts", "FlagHit", "RedFlag", "RedFlagChecker",
    "SituationHit", "concept_level_and_reason", "default_checker", "load_red_flags", "prepare",
]  # fmt: skip

NEGATION_CUES = {
    "no", "not", "n't", "never", "without", "nor", "neither", "none", "deny", "denies",
    "denied", "nope", "nothing", "negative", "free", "zero", "nt", "nah", "nowt",
    # contractions typed without an apostrophe or misspelt, which the tokenizer leaves whole
    "havnt", "hvnt", "havent", "hasnt", "hadnt", "dint", "didnt", "didint", "dnt", "dont", "dosnt", "dosent",
    "doesnt", "isnt", "wasnt", "werent", "arent", "aint", "cnt", "nothin",
    # dialect and other languages' "no" typed in English messages: "nuh swell", "nae swelling", "non-tender"
    "nuh", "nae", "nobody", "noone",
    # Arabic "mafi" (there is none), Geordie "nee": "mafi fever", "nee fever nowt"
    "mafi", "nee",
    # Tagalog "walang" (there is no): "walang chest pain, walang numbness"
    "walang", "wala",
    # Spanish and Portuguese "sin"/"sem", French "pas de"/"sans", Polish "bez", German "kein(e)/ohne",
    # Hindi "nahi": "sin fiebre", "sem febre", "pas de fièvre" (2026-12-04, with those words for fever)
    "sin", "sem", "pas", "sans", "bez", "kein", "keine", "keinen", "ohne", "nahi", "nahin",
}  # fmt: skip
# A cue followed by one of these words expresses doubt or "for no reason", not absence:
# "not sure if", "no idea why", "don't know why", "without trying". The flag stays.
NOT_A_DENIAL = {
    "sure", "idea", "certain", "know", "knowing", "tell", "clue", "reason", "explanation", "apparent",
    "obvious", "trying", "dieting", "warning", "meaning", "stop",
}  # fmt: skip
# Cues that deny only before one of these words: "nowhere near the worst", not "out of nowhere".
_CUE_WITH_NEXT = {"nowhere": {"near", "close"}}
# Words after a phrase that take it back: "bladder control is fine", "cancer-free". They
# count only as the phrase's predicate: at the end of the clause or before a comma or "and".
POST_NEGATION = {
    "fine", "normal", "ok", "okay", "none", "no", "nope", "nah", "absent", "free", "negative", "nahi", "nahin",
}  # fmt: skip
_POST_FILLER = {
    "is", "are", "was", "were", "'s", "'re", "s", "re", "seems", "seem", "feels", "feel", "looks", "look",
    "all", "totally", "completely", "perfectly", "absolutely", "quite", "pretty", "been", "has", "have",
    "working", "as", "-", ":", ",", "=", "still", "back", "to",
    "bhi",  # Hindi "also": "fever bhi nahi" (no fever either)
}  # fmt: skip
_POST_END = {",", ".", ";", "-", "and", "but", "so", "though", "too", "thanks", "thank", ")", "!", "?",
             "hai", "hain", "he"}  # Hindi "is": "numbness nahi hai" (there is no numbness)  # fmt: skip
# After a comma, one of these words starts a new statement that a negation before the comma
# does not reach ("no fever, I can't feel my bum"); list items do not ("no fever, chills or sweats").
_RESTART = {
    "i", "im", "ive", "id", "my", "me", "it", "its", "there", "theres", "he", "she", "they", "we", "now", "then",
    "oh", "plus", "also", "so", "but", "still", "today", "tonight", "yesterday", "just", "since", "though",
    "although", "yet", "anyway", "btw", "however", "this", "that", "these", "recently", "lately", "suddenly",
    "only", "except", "apart", "instead", "what", "which",
}  # fmt: skip
_PUNCT_BREAK = {",", "-", "–", "—", ":", "(", ")", "...", "/"}
_LIST_GLUE = {",", "or", "nor", "and", "any", "/", "&"}  # not counted: "no fever, chills or sweats"
NEGATION_WINDOW = 6  # words before a phrase that a cue may stand in
# A denial that opens a list reaches every item (clinical notes: "denies A, B, C or D").
_LIST_NEGATORS = {"no", "denies", "denied", "deny", "denying", "negative", "nil", "without"}
_NOT_A_LIST_WORD = {"is", "are", "was", "were", "has", "have", "had", "feel", "feels", "felt", "get", "got", "but"}
LIST_NEGATION_WINDOW = 24  # words
LIST_ITEM_WORDS = 4
_CONTEXT = 300  # characters either side of a phrase read for negation, time and experiencer
_SENTENCE_END = re.compile(r"(?:[;!?\n]|(?<!\d)\.|\.(?!\d))+")
_CLAUSE_BREAK = re.compile(
    # A full stop ends a clause, but not inside a number ("a temp of 38.5").
    r"(?:[;!?\n]|(?<!\d)\.|\.(?!\d))+|,?\s+\b(?:but|however|although|though|whereas|except|apart from|other than|yet)\b"
    r"(?! (?:it'?s|that'?s|it|that|they|those|which) (?:\w+ )?(?:gone|went away|cleared|healed|resolved|sorted|over|"
    r"fine now|better now|fully|came (?:back|right|good))|"
    # "I had a fever once, but that was years ago": the time of the clause before
    r" (?:that|it) was (?:\w+ )?(?:years|yrs|ages|months|decades|a long time|long ago|in (?:19|20)\d\d|"
    r"back in|when (?:i|he|she|they) (?:was|were)))|"
    r",?\s+\b(?:and|so|plus) (?=(?:i|i'm|im|i've|ive|i'd|my|it|it's|its|now|then|today|there|there's|since)\b)"
)
# Time markers. A phrase takes the time of the nearest marker before it in its clause, or
# failing that the first one after it: "had a fever last year, now I can't pee".
_NUMBER_WORD = (
    r"(?:ten|eleven|twelve|thirteen|fourteen|fifteen|sixteen|seventeen|eighteen|nineteen|twenty|thirty|forty|"
    r"fifty|sixty|seventy|eighty|ninety)(?:[- ](?:one|two|three|four|five|six|seven|eight|nine))?"
)
_PAST_WORDS = re.compile(
    r"\b(?:last|las'?|past) (?:year|summer|winter|spring|autumn|fall|christmas|decade)\b|"
    # "my father had a stroke before": such an event "before" is over (not "never had this before")
    r"\b(?:had|has had|'d had|did have) (?:a |an )?(?:stroke|mini[- ]stroke|tia|heart attack|seizure|bleed) "
    r"(?:before|previously|in the past)\b|"
    r"\b(?:\d+|a|an|one|two|three|four|five|six|seven|eight|nine|ten|a few|few|a couple of|couple of|a couple o'?|"
    r"several|many|some) (?:years?|yrs?|decades?|months?|winters?|summers?) (?:ago|back|before)\b|"
    r"\b(?:long time|ages|years|yrs|donkey's years|decades) (?:ago|back)\b|\b(?:years|yrs|ages|decades) ago\b|"
    r"\ba (?:good |long )?while (?:ago|back)\b|\b(?:the )?last time (?:i|got|had|it)\b|"
    # Hindi typed in English letters: "do saal pehle" (two years ago), "theek ho gayi" (it got better)
    r"\b(?:saal|mahine|mahina|hafte) pehle\b|\btheek ho (?:gaya|gayi|gai)\b|"
    r"\bas a (?:child|kid|teenager|teen|baby|student|boy|girl|youngster|toddler|bairn|wean|nipper|wee one|"
    r"wee lad|wee lass|young one|infant)\b|\bin (?:my )?childhood\b|"
    # "in my twenties I had...", "I once wet myself", "I was three": a time of life that is
    # over, not a description of the writer now ("a man in my forties", "once again")
    r"(?<!i'm )(?<!im )(?<!i am )(?<!am )(?<!man )(?<!woman )(?<!guy )(?<!lady )(?<!male )(?<!female )"
    r"\bin my (?:teens|twenties|thirties|forties|fifties|sixties|seventies|\d0s)\b|"
    r"\bin my (?:younger (?:age|days|years)|young days|youth)\b|\bas a young (?:man|woman|lad|lass|girl|boy)\b|"
    r"\b(?:i|he|she|we|they) once\b(?! again| more)|\bi was (?:only |just )?(?:\d|one|two|three|four|five|six|"
    r"seven|eight|nine|ten|eleven|twelve)\b(?! (?:weeks?|months?|days?|hours?|mins?|minutes|times)\b)|"
    r"\bwhen (?:i|ah|a) (?:was|wis|were) (?:(?:like|about|around|only|just) )?"
    rf"(?:\d+|{_NUMBER_WORD}|younger|young|little|small|a (?:kid|child|teenager|teen|baby|student|boy|girl|toddler|"
    r"bairn|wean|nipper|wee \w+|young \w+)|"
    r"at (?:school|uni|university|college)|pregnant|expecting)\b|"
    r"\b(?:at|in) (?:uni|university|college|school|high school|secondary school|primary school|sixth form)\b|"
    r"\bin the (?:sixties|seventies|eighties|nineties|60s|70s|80s|90s|'\d0s|(?:19|20)\d0'?s)\b|\bin '\d\d\b|"
    r"\bwhen i had (?:flu|the flu|covid|a cold|glandular fever|my (?:son|daughter|baby|kids?|children|first|second|"
    r"third|twins|op|operation|surgery))\b|"
    r"(?<!than it )(?<!than i )(?<!than they )(?<!as it )(?<!as i )\bused to\b|"
    r"\bin (?:19|20)\d\d\b|\((?:19|20)\d\d\)|(?<!since )(?<!from )\b(?:19[5-9]\d|20[01]\d|202[0-4])\b|"
    r"\bback in\b|\bin the past\b|"
    # someone who has died: "my late husband had cancer, God rest him", "she passed away in the spring"
    r"\bgod rest (?:him|her|them|his soul|her soul)\b|\b(?:my|our|his|her) late\b|\bpassed (?:away|on)\b|"
    # a month named as the time of a thing told in the past: "had a fever in jan" (not "shivering in
    # June" now, "since" or "started in" a month, nor "may")
    r"\b(?:had|got|caught|was|were|went|did)\b(?:\s+[\w'-]+){0,8}?(?<!started)(?<!began)(?<!since)\s+in (?:early |"
    r"late |mid[- ]?)?(?:jan|january|feb|february|march|april|june|july|aug|august|sept?|september|oct|october|"
    r"nov|november)\b(?! \d{1,2}\b)|"
    r"\bbefore (?:i had|my) (?:kids|children|son|daughter)\b|"
    r"\b(?:with|during|in) (?:my|her|our|their) (?:last|first|previous|other|earlier) "
    r"(?:pregnancy|pregnancies|baby|child)\b|"
    r"\bbefore (?:the )?(?:lockdown|covid|pandemic)\b|"
    # it is over: "long gone", "cleared up", "fully healed", "fine since", "back to normal"
    r"\b(?:long|all|aw|totally|completely) gone\b|\bgone (?:now|noo)\b|\ball good now\b|"
    r"\b(?:got|had) (?:it|them) (?:removed|taken off|taken out|cut out)\b|\bthey took (?:it|them) (?:off|out)\b|"
    r"\b(?:gp|doctor|doc|hospital|physio|they|antibiotics|tablets|meds|medication|surgery|an op) sorted (?:it|that)"
    r"(?: out)?\b|\b(?:antibiotics|tablets|meds|medication|surgery|the op|an op|treatment|physio|a course of \w+) "
    r"(?:fixed|cured|cleared|sorted) (?:it|that|them|me)\b|\bonce (?:lost|had|got|went)\b|"
    r"\b(?:it'?s|its|it has|that'?s|they'?re|they have|(?:it|that) (?:all )?went) (?:all |long |totally )?"
    r"gone\b(?! \w)|"
    r"\bcleared(?: up)?\b|\bfully (?:healed|recovered)\b|\bfull (?:recovery|motor recovery)\b|"
    r"\bsorted (?:it |that )?out\b|\bhealed(?: up)?\b|\bresolved\b|\brecovered\b|"
    r"\b(?:fine|normal|ok|okay|grand|alright|right as rain) (?:ever )?since\b|"
    r"\bno (?:problems?|issues?|trouble|symptoms?|recurrence|sequelae) (?:ever )?since\b|"
    # over and done (2026-12-04, development set 4): "never happened again", "none since", "a one-off",
    # "ancient history", "aw sorted lang syne", "previous pyelonephritis", "faded within a minute"
    r"\bnever (?:happened|came back|had (?:it|one|another)) (?:again|since)\b|\bnone since\b|\bno recurrence\b|"
    r"\ba one[- ]off\b|\bancient history\b|\blang syne\b|\b(?:all|aw|totally|totaly|completely) sorted\b|"
    r"\b(?:previous|prior)\b|\bfaded (?:within|in|after) (?:a|an|one|a few|\d+|about a|about) "
    r"(?:minute|min|moment|second|sec)s?\b|"
    r"\bback to normal\b|\b(?:it |that )?passed(?: now)?\b(?! (?:water|urine|out|stool|blood))|"
    r"\b(?<!never )(?<!n't )(?<!not )went away\b|"
    # over and done: "I once had", "home and well now", "pulled through"; and a passing
    # moment: "pins and needles, gone in a minute", "fine as soon as I stood up"
    r"\bonce had\b|\b(?:home|out of hospital|discharged)(?: now)? and (?:well|fine|ok|okay|recovering|doing \w+)\b|"
    r"\bpulled through\b|\bgone (?:in|within|after) (?:a|an|one|a few|\d+|about a|about) "
    r"(?:minute|min|moment|second|sec)s?\b|"
    r"\bfine (?:as soon as|once|when) (?:i|he|she|they|we) (?:stood|walked|moved|got up|get up|stand|walk|move)\b|"
    r"\bwoke (?:up )?(?:fine|ok|okay|alright)\b|"
    r"\bcame (?:back|right|good) (?:after|within|in) (?:about |like |a |an )?"
    r"(?:\d+|a few|few|ten|twenty|thirty|half an?|an?)? ?"
    r"(?:mins?|minutes|secs?|seconds|moments?|hours?|hrs?)\b|"
    r"\bcame (?:back|right|good) (?:once|when|as soon as|the (?:moment|minute|second|instant)) (?:i|he|she|they|we) "
    r"(?:got off|stood|walked|moved|got up|stamped)\b|"
    r"\bwore off\b|"
    # better again: "fully better now", "all better", "I'm well now" (2026-12-03, development set 3)
    r"\b(?:all|fully|completely|totally|much|loads) better\b|\b(?:better|well) now\b|\bwell again\b|"
    r"\b(?:i'?m|im|i am|mi|am) (?:\w+ )?(?:well|fine|ok|okay|grand|better) now\b|"
    r"\bbachpan (?:mein|me)\b"
)
# asked of every clause a phrase is found in; most have none of its words
_PAST = Prefiltered(_PAST_WORDS, _ordinary_sample)
# Hearsay: a flag word that something else talks about, not the person: "a podcast did an
# episode on aortic dissection", "the guy on TV was talking about sepsis", "she asked if I
# had chest pain". A marker before the phrase in its clause takes it back, for every flag.
_HEARSAY = re.compile(
    r"\b(?:on (?:the )?(?:tv|telly|radio|news|youtube|tiktok|instagram|facebook|internet)|podcast|documentary|"
    r"(?:an? |the )?(?:episode|article|video|programme|program|film|movie|series|leaflet|poster) (?:on|about)|"
    r"(?:talking|talked|talks|reading|read|heard|hearing|learning|learnt|learned|watching|watched) about|"
    r"asked (?:me )?(?:if|whether)|wondered (?:if|whether)|shift full of|attended (?:an?|the) (?:rtc|crash|call|job)|"
    # a quiz, a play or a shift at work: "questions on a stroke storyline", "a night shift of RTCs"
    r"questions? (?:on|about)|quiz|(?:hospital|medical) drama|(?:night |day )?shift of|in resus|"
    # a lecture or course, a story told at table, calls taken at work (2026-12-04, development set 4)
    r"(?:lecture|lesson|seminar|module|class|course|training|talk) (?:was |is )?(?:on|about|covered|covering)|"
    r"\bwe (?:covered|learnt|learned|did|practised|practiced)\b|\bcall-?outs?\b|"
    r"\bcalls? (?:involving|about|for|with)\b|\b(?:told|telling|tells) (?:(?!i\b)[\w-]+ ){0,8}?about\b|"
    # a job full of other people's emergencies: "I'm a paramedic, my days are full of chest pains"
    r"(?:days|nights|shifts?|job|work|calls) (?:are |is )?(?:full of|all about)|"
    # a story, a course or a what-if, not the person (2026-12-03, development set 3): "in the
    # TV series the man had chest pain", "first aid taught us face droop", "what if I got a fever"
    r"\bin (?:the|a|my|this|that) (?:[\w-]+ ){0,3}(?:series|film|movie|novel|book|show|drama|episode|play|"
    r"musical|story|game|soap)\b|\bfirst aid\b|\bwarning signs?\b|\bhypothetic\w*|\bwhat if\b|"
    r"\bif (?:i|you|someone) (?:ever|were to)\b|\bin case (?:i|you) ever\b|\bhow does (?:your|the|this) bot\b|"
    r"\b(?:audit|test|testing) (?:question|scenario)\b|\bquote from\b|\bthe vet (?:said|says|thinks)\b)"
)
# A flag word naming a thing, not the person's state: "the sepsis team", "the retention and
# incontinence clinic", "a stroke awareness course".
_A_THING_NAMED = re.compile(
    r" (?:and [\w-]+ )?(?:clinics?|teams?|wards?|units?|nurses?|specialists?|services?|awareness|leaflets?|"
    r"storylines?|study|studies|research|course|training|lectures?|quiz|simulation|drills?|pathways?|"
    r"protocols?|guidelines?|audits?|bundles?)\b"
)
# A state the phrase's own words deny: "my legs are not numb", "my bum isn't numb", "I'm not dying".
_NEGATED_STATE = re.compile(
    r"\b(?:is|are|was|were|am|'m|feel|feels|'s|'re)(?: not|n't|nt)(?: \w+)? (?:numb|tingl\w*|weak|swollen|red|hot|"
    r"warm|dead|heavy|wobbly|blurr\w*|dying|confused|drooping)$"
)
_PRESENT = re.compile(
    r"\b(?:now|nowadays|these days|today|tonight|this (?:morning|afternoon|evening|week)|at the moment|"
    r"currently|at present|yesterday|last night|since (?:then|yesterday|this morning|last night))\b"
)
# Someone else: a mention before the phrase with no "I"/"my" between it and the phrase's
# end ("my mum had cancer"), unlike "my partner says my spine has changed shape".
# Pets are named like people ("my dog has a limp"), but their symptoms are never the person's.
_PETS = r"dog|cat|pup|puppy|kitten|pet|perro|perrito|gato"
# grandparents in Southern US, Scots and other families' words: "my granddaddy", "meemaw", "oma"
_GRANDPARENTS = r"granddaddy|grandaddy|grampa|gramps|granma|meemaw|memaw|peepaw|pawpaw|nonna|nonno|oma|opa"
_PEOPLE = (
    r"(?:mum|mom|mummy|mommy|mother|dad|daddy|father|parents?|wife|husband|hubby|spouse|partner|other half|"
    r"fianc[eé]e?|boyfriend|girlfriend|friend|freind|frend|mate|pal|bestie|flatmate|flat mate|housemate|"
    r"roommate|room mate|"
    r"sister|brother|sibling|twin|gran|granny|grandma|grandmother|grandad|granddad|grandpa|grandfather|"
    r"grandparents?|nan|nana|nanna|nanny|aunt|auntie|aunty|uncle|son|daughter|child|kids?|children|toddler|"
    r"little one|boy|girl|grandson|granddaughter|grandchild|grandkids?|grandchildren|boss|colleague|"
    r"co-?worker|workmate|neighbou?r|cousin|niece|nephew|in-laws?|mother-in-law|father-in-law|"
    r"step(?:dad|mum|mom|son|daughter|father|mother)|client|patient|pupil|student|teammate|team-mate|"
    # regional and other languages' words people type in English messages
    r"mam|maw|ma|ma ma|da|pa|lass|missus|missis|fella|bro|sis|hubs|bf|gf|oga|bhaiya|didi|dadi|nani|abuela|abuelo|"
    r"tita|tito|lola|lolo|mama|papa|baba|bàbá|iya|ìyá|ammi|abbu|madda|mudda|puppa|khali|khalti|wean|bairn|"
    r"young one|wee one|"
    rf"youngest|eldest|oldest|{_PETS}|"
    # people in a story or at work: "a man whose back pain was cancer", "me marra had a stroke"
    r"man|woman|lady|guy|bloke|chap|person|resident|coach|teacher|instructor|footballer|marra|tata|tatay|nanay|"
    # Jamaican and other dialect words for family (2026-12-04, blind set 9): "mi bredda", "mi sistah"
    r"bredda|breddah|bredren|brudda|sistah|sista|cuz|cuzzy|bhai|"
    rf"{_GRANDPARENTS}|grandpappy|grampy|granpa|grandmama|gramma|grammy|mawmaw|papaw|babcia|dziadek|avó|avô|"
    r"vovó|vovô)s?"
)
# Kinship words that name a person even without "my" at the start of a sentence ("Mum had cancer").
_KIN = (
    r"(?:mum|mom|mam|mother|dad|father|nan|gran|granny|grandma|grandad|grandpa|husband|wife|spouse|brother|sister|son|"
    r"daughter|aunt|auntie|aunty|uncle|cousin|bestie|boss|neighbou?r|housemate|flatmate|colleague|granddad|"
    rf"nana|nanna|bhaiya|didi|dadi|nani|tita|tito|lola|lolo|abuela|abuelo|ammi|abbu|khali|khalti|mama|papa|"
    rf"{_GRANDPARENTS})"
)
_OTHER_PERSON = re.compile(
    rf"(?:\b(?:my|our|his|her|their|one of my|one of our|me|mi|mah|ma|wor|meri|mera|mere|ngo|mój|moja|meu|minha|"
    rf"mon|mein|meine|the)|"
    rf"(?<!i'm )(?<!im )(?<!i am )(?<!as )\b(?:a|an)) (?:[\w-]+ ){{0,3}}?{_PEOPLE}\b|"
    # Tagalog and Yoruba put "my" after the word: "tita ko", "bàbá mi"
    rf"\b{_PEOPLE} (?:ko|mi)\b|"
    rf"(?:^|[.,;:!?(] ){_KIN}(?:'s)?\b(?! (?:and|&) (?:i|me)\b)|"
    r"\b(?:he|she|him|his)\b|"
    r"\bher (?:\w+ )?(?:legs?|back|neck|head|arms?|face|bladder|bowels?|waters|baby|bump|temperature|temp|"
    r"fever|speech|chest|skin|spine|hips?)\b"
)
_ANIMALS = rf"(?:{_PETS}|horse|pony|rabbit|hamster)s?"
# not an animal's thing: "tripped over the dog's lead and my knee is bruised"
# ... nor an animal the writer fell over, walked or was pulled by ("tripped over my own dog")
_ANIMAL = re.compile(
    r"(?<!over )(?<!by )(?<!walking )(?<!with )(?<!walked )"
    rf"\b(?:my|our|the|his|her|their|a) (?:\w+ )?{_ANIMALS}\b(?!'s)"
)
# the words up to the animal: an "I" or "my" after it ("my dog pulled me over") is the writer's own
_ANIMAL_MENTION_END = re.compile(rf"^.*\b{_ANIMALS}\b")
_FAMILY_HISTORY = re.compile(
    r"\bfamily history\b|\bruns in (?:the|my|our) family\b|\bin (?:the|my|our) family\b|\bf/?hx\b|\bfamily hx\b"
)
# Someone else's relative ("his grandad", "her sister"), and a pronoun that takes the phrase
# back to the person cared for ("her husband says her legs are numb").
_RELATIVE_OF_OTHER = re.compile(rf"\b(?:his|her|their) (?:[\w-]+ )?{_PEOPLE}\b")
_THEIR_OWN = re.compile(r"\b(?:he|she|him|his|her|they|them|their|he's|she's|hes|shes)\b")
_OF_MINE = re.compile(r"^ of (?:mine|ours)\b")
# a "my" that is a place, not the writer: "my mother in my country has a fever"
_MY_PLACE = re.compile(r"\b(?:in|from|back in|back home in) my (?:home )?(?:country|village|town|hometown|city)\b")
_FIRST_PERSON = re.compile(r"\b(?:i|i'm|im|i've|ive|i'd|me|my|myself|mine)\b")
_UNITS = (  # a number followed by one of these is not an age
    r"(?! ?(?:weeks?|wks?|months?|days?|hours?|hrs?|mins?|minutes|kg|kilos?|stone|lbs?|%|/|out of|cm|times|degrees))"
)
_AGE = [
    # not a likeness: "the back of a 90-year-old", "like an 80 year old"
    re.compile(r"(?<!of a )(?<!of an )(?<!like a )(?<!like an )\b(\d{1,3}) ?[- ]?(?:years?|yrs?|yr) ?[- ]?old\b"),
    re.compile(r"\baged? (\d{1,3})\b"),
    re.compile(r"\b(\d{2}) ?(?:y/o|yo|yrs?)\b"),
    re.compile(rf"\b(?:i'm|im|i am) (\d{{2}})\b{_UNITS}"),
    re.compile(rf"\b(?:just )?turned (\d{{2}})\b{_UNITS}"),
    re.compile(rf"\bbeing (\d{{2}})\b{_UNITS}(?! (?:of|out|percent|per))"),  # "being 80 means..."
    re.compile(r"(?:^|[.;!?,] )at (?:the )?(?:age (?:of )?)?(\d{2}),? (?=i\b|i'm|im\b|my\b|and\b)"),
    re.compile(r"\bat the age of (\d{2})\b"),
    re.compile(rf"\b(?:man|woman|male|female|guy|lady|bloke|lad|gent|gentleman|fella|chap),? (\d{{2}})\b{_UNITS}"),
    re.compile(r"(?:^|(?:i'm|im|i am) )(\d{2}) ?(?:m|f|male|female)\b"),
    re.compile(r"\bin my (\d)0s\b"),
]  # fmt: skip
_WEEKS = re.compile(r"\b(\d{1,2}) ?(?:\+ ?\d ?)?(?:weeks?|wks?|wk)\b|\b(\d{1,2}) ?\+ ?\d\b")
_MONTHS = re.compile(r"\b(\d|one|two|three|four|five|six|seven|eight|nine) ?months?\b")
_NUMBER_WORDS = {"one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9}


@dataclass(frozen=True)
class Facts:
    """What is known about the person; remembered across the conversation."""

    pregnant: bool | None = None  # True also when the person may be pregnant
    pregnancy_weeks: int | None = None
    age: int | None = None
    pregnancy_possible: bool = False  # "might be pregnant", "trying for a baby", "period is late"

    def updated_by(self, newer: Facts) -> Facts:
        """These facts with whatever `newer` says instead (None keeps the old value)."""
        if newer.pregnant is None:
            pregnant, possible = self.pregnant, self.pregnancy_possible
        elif newer.pregnant and newer.pregnancy_possible and self.pregnant and not self.pregnancy_possible:
            pregnant, possible = True, False  # "might be" never weakens a clear "I'm pregnant"
        else:
            pregnant, possible = newer.pregnant, newer.pregnancy_possible
        return Facts(
            pregnant=pregnant,
            pregnancy_possible=possible,
            pregnancy_weeks=newer.pregnancy_weeks if newer.pregnancy_weeks is not None else self.pregnancy_weeks,
            age=newer.age if newer.age is not None else self.age,
        )

    def satisfies(self, need: str) -> bool:
        if need == "pregnant":
            return self.pregnant is True
        if need == "age_over_50":
            return self.age is not None and self.age >= 50
        if need == "age_over_70":
            return self.age is not None and self.age >= 70
        return False


@dataclass(frozen=True)
class FlagHit:
    flag: str
    level: str
    reason: str
    evidence: str  # the words that raised it
    needs: tuple[str, ...] = ()  # facts that must hold for the hit to count ("pregnant")
    concept: str = ""  # the clinical concept (a label id of the classifier); the flag's name if empty
    rules_out: tuple[str, ...] = ()  # body zones where no point may be pressed

    def __post_init__(self) -> None:
        if not self.concept:
            object.__setattr__(self, "concept", self.flag)


@dataclass(frozen=True)
class SituationHit:
    """A situation found: no doctor needed for it, but no points in some zones."""

    situation: str
    advice: str  # one plain sentence for the user
    evidence: str
    rules_out: tuple[str, ...]


@dataclass(frozen=True)
class Assessment:
    level: str
    hits: tuple[FlagHit, ...] = ()
    facts: Facts = field(default_factory=Facts)
    situations: tuple[SituationHit, ...] = ()

    @property
    def ruled_out(self) -> tuple[str, ...]:
        """Body zones where no point may be pressed, from the flags and situations found."""
        return tuple(dict.fromkeys(zone for item in (*self.hits, *self.situations) for zone in item.rules_out))

    @property
    def advice(self) -> tuple[str, ...]:
        """One plain sentence per situation found ("Don't press on a fresh injury...")."""
        return tuple(dict.fromkeys(situation.advice for situation in self.situations))

    def as_dict(self) -> dict[str, Any]:
        return {
            "level": self.level,
            "hits": [{**asdict(hit), "needs": list(hit.needs), "rules_out": list(hit.rules_out)} for hit in self.hits],
            "facts": asdict(self.facts),
            "situations": [{**asdict(found), "rules_out": list(found.rules_out)} for found in self.situations],
            "ruled_out": list(self.ruled_out),
            "advice": list(self.advice),
        }

    @staticmethod
    def from_dict(data: Any) -> Assessment:
        """Rebuild from parse data; anything malformed reads as no flags."""
        if not isinstance(data, dict):
            return Assessment("none")
        hits = []
        for hit in data.get("hits") or []:
            if isinstance(hit, dict) and hit.get("level") in LEVELS:
                hits.append(FlagHit(str(hit.get("flag")), hit["level"], str(hit.get("reason", "")),
                                    str(hit.get("evidence", "")), tuple(hit.get("needs") or ()),
                                    str(hit.get("concept") or ""), strings(hit.get("rules_out"))))  # fmt: skip
        situations = tuple(
            SituationHit(str(found.get("situation")), str(found.get("advice", "")), str(found.get("evidence", "")),
                         strings(found.get("rules_out")))
            for found in data.get("situations") or [] if isinstance(found, dict)
        )  # fmt: skip
        raw_facts = data.get("facts") if isinstance(data.get("facts"), dict) else {}
        facts = Facts(**{k: v for k, v in raw_facts.items() if k in Facts.__dataclass_fields__})
        level = data.get("level") if data.get("level") in LEVELS else "none"
        return Assessment(level, tuple(hits), facts, situations)

    def resolved(self, remembered: Facts) -> Assessment:
        """The assessment once facts from earlier turns are added ("pregnant" + "bleeding")."""
        facts = remembered.updated_by(self.facts)
        hits = tuple(h for h in self.hits if all(facts.satisfies(need) for need in h.needs))
        return Assessment(_top_level(hits), hits, facts, self.situations)

    def with_hit(self, hit: FlagHit) -> Assessment:
        """This assessment with one more hit (from the classifier); the level can only rise."""
        hits = tuple(sorted((*self.hits, hit), key=lambda h: -LEVELS.index(h.level)))
        confirmed = [h for h in hits if not h.needs]
        return replace(self, level=_top_level(tuple(confirmed)) if confirmed else self.level, hits=hits)


def strings(value: Any) -> tuple[str, ...]:
    """The items of a list or tuple as strings; anything else (malformed parse data) is empty."""
    return tuple(str(item) for item in value) if isinstance(value, list | tuple) else ()


@lru_cache(maxsize=1)
def _tokenizer() -> Any:
    import spacy  # noqa: PLC0415 - deferred: only the process that triages pays for spaCy

    return spacy.blank("en").tokenizer


def normalise(text: str) -> str:
    """The text as the lexicon reads it: lower case, straight quotes, single spaces."""
    return " ".join(text.lower().replace("’", "'").replace("‘", "'").split())


# "Fever? Chills? Nope, just flat-pack furniture": a red flag asked back as a short question
# and answered no. Each question of the run gets a "nope" of its own, so the usual negation
# reading takes the flag back; a doubt ("no idea", "not sure") answers nothing.
_ECHOED_QUESTIONS = re.compile(
    r"((?:(?:^|(?<=[.?!;\n] ))[^.?!;\n]{1,60}\? ?)+)"
    r"(?=(?:no+|nope|nah|naw|nae|nay|nowt|never|none|not (?:really|at all|that|one bit)|i wish|been there)\b"
    r"(?! (?:idea|clue|sure|seriously)))"
)
_QUESTION = re.compile(r"[^?]+\? ?")


def deny_echoed_questions(text: str) -> str:
    """The normalised text with "nope " before each short question that the next words deny."""

    def denied(run: re.Match[str]) -> str:
        # "nope", not "no": "no bladder control?" would itself read as a red flag
        return "".join(f"nope {question.group(0).lstrip()}" for question in _QUESTION.finditer(run.group(1)))

    return _ECHOED_QUESTIONS.sub(denied, text)


def _clauses(text: str) -> list[tuple[int, str]]:
    """(offset, clause) pairs; a negation or a time phrase reaches no further than its clause."""
    parts, start = [], 0
    for match in _CLAUSE_BREAK.finditer(text):
        parts.append((start, text[start : match.start()]))
        start = match.end()
    parts.append((start, text[start:]))
    return [(offset, clause) for offset, clause in parts if clause.strip()]


def _sentences(text: str, clauses: list[tuple[int, str]]) -> list[list[tuple[int, str]]]:
    """The clauses grouped by sentence (a sentence ends at . ! ? ; or a new line)."""
    ends = [match.end() for match in _SENTENCE_END.finditer(text)]
    sentences: dict[int, list[tuple[int, str]]] = {}
    for offset, clause in clauses:
        sentences.setdefault(bisect_right(ends, offset), []).append((offset, clause))
    return list(sentences.values())


@lru_cache(maxsize=1024)  # the same words before a phrase are read for every flag that has it
def _words(text: str) -> tuple[str, ...]:
    return tuple(t.lower_ for t in _tokenizer()(text) if not t.is_space)


def _denied_in_a_list(before: list[str]) -> bool:
    """The phrase is an item of a list that a denial opens: "denies saddle anaesthesia,
    sphincter disturbance, bilateral leg symptoms, fever or weight loss". Each item is at most
    a few words, with no word that starts a new statement ("no fever, and now my leg is numb")."""
    items, words = 0, 0
    for token in reversed(before[-LIST_NEGATION_WINDOW:]):
        if token in _LIST_GLUE:
            items += words > 0
            words = 0
            continue
        if token in _LIST_NEGATORS:
            return items > 0
        if token.replace("'", "") in _RESTART or token in _NOT_A_LIST_WORD or not token.isalpha():
            return False
        words += 1
        if words > LIST_ITEM_WORDS:
            return False
    return False


def _is_negated(clause: str, start: int, end: int) -> bool:
    """A cue in the few words before the phrase, or a denial right after it ("... is fine").

    The phrase itself is not read, so a red flag worded with a negation ("can't feel",
    "no control") still counts. A cue does not reach past a comma that starts a new
    statement, and a cue used for doubt ("not sure if", "no idea why") is not a denial.
    """
    before = _words(clause[:start])
    window: list[str] = []
    words = 0
    for i in range(len(before) - 1, -1, -1):
        if words == NEGATION_WINDOW:
            break
        token = before[i]
        window.insert(0, token)
        words += token not in _LIST_GLUE
        if token.replace("'", "") in _RESTART and i > 0 and before[i - 1] in _PUNCT_BREAK:
            break
    for i, token in enumerate(window):
        following = window[i + 1] if i + 1 < len(window) else ""
        if following == "-" and i + 2 < len(window):  # "can't-stop", "no-fever"
            following = window[i + 2]
        if token == "non-" and i == len(window) - 1:  # "non-tender" denies only its own word
            return True
        if token in NEGATION_CUES and following not in NOT_A_DENIAL:
            return True
        if following in _CUE_WITH_NEXT.get(token, ()):
            return True
    if _denied_in_a_list(before):
        return True
    rest = list(_words(clause[end:])[:6])
    while rest and rest[0] in _POST_FILLER and rest[0] not in POST_NEGATION:
        rest.pop(0)
    if rest and rest[0] in POST_NEGATION:
        return len(rest) == 1 or rest[1] in _POST_END
    return False


def _someone_else(clause: str, start: int, end: int, about_other: bool) -> bool:
    """Whether the phrase is about someone other than the person being helped.

    A carer writing about the person they look after ("my dad can't pee and his back is
    killing him") is asking for that person: their symptoms count. Only when the writer
    also has a complaint of their own ("my mum had cancer, I just have a stiff neck") is
    another person's mention theirs alone. Family history never counts.
    """
    if _FAMILY_HISTORY.search(clause):
        return True
    if _ANIMAL.search(clause[:start]) and not _FIRST_PERSON.search(_ANIMAL_MENTION_END.sub("", clause[:start])):
        return True  # "my cat has a fever": a pet's symptoms are a vet's, never ours to triage
    if about_other:
        # a carer's message counts for the person cared for, not for that person's relatives:
        # "asking for my son, his grandad has just been diagnosed with cancer"
        return any(not _THEIR_OWN.search(clause[m.end() : start]) for m in _RELATIVE_OF_OTHER.finditer(clause[:start]))
    # "my husband noticed a lump on my spine": an "I" between, or a "my" in the phrase, is about me
    mine = bool(re.search(r"\bmy\b", clause[start:end]))
    mentions = _OTHER_PERSON.finditer(clause[:start])
    # "a colleague of mine collapsed": the "mine" belongs to the mention
    return not mine and any(not _FIRST_PERSON.search(_MY_PLACE.sub("", _OF_MINE.sub("", clause[m.end() : start])))
                            for m in mentions)  # fmt: skip


@lru_cache(maxsize=512)
def _time_marks(clause: str) -> tuple[tuple[int, bool], ...]:
    """(position, is past) of the clause's time words; a clause is asked about for every
    phrase found in it, and reading its marks once is a tenth of the lexicon's cost."""
    past = [(m.start(), m.end()) for m in _PAST.finditer(clause)]
    return tuple([(s, True) for s, _ in past] + [
        (m.start(), False) for m in _PRESENT.finditer(clause) if not any(s <= m.start() < e for s, e in past)
    ])  # fmt: skip


def _in_the_past(clause: str, start: int, end: int) -> bool:
    marks = _time_marks(clause)
    before = [mark for mark in marks if mark[0] < start]
    if before:
        return max(before)[1]
    after = [mark for mark in marks if mark[0] >= start]
    return min(after)[1] if after else False


def _applies(clause: str, start: int, end: int, history: bool, someone_else: bool = False,
             about_other: bool = False) -> bool:  # fmt: skip
    # Only the text around the phrase is read, so a very long clause costs no more per phrase.
    low = max(0, start - _CONTEXT)
    near, start, end = clause[low : end + _CONTEXT], start - low, end - low
    if _is_negated(near, start, end) or (not someone_else and _someone_else(near, start, end, about_other)):
        return False
    if _HEARSAY.search(near[:start]) or _A_THING_NAMED.match(near, end):
        return False
    if _NEGATED_STATE.search(near, start, end):
        return False
    return history or not _in_the_past(near, start, end)


# Alternations by the ids of their patterns: hashing a tuple of compiled patterns hashes
# each one's compiled code. The value holds the patterns, so their ids stay theirs.
_ALTERNATIONS: dict[tuple[int, ...], tuple[tuple[re.Pattern[str], ...], re.Pattern[str]]] = {}


def _alternation(patterns: tuple[re.Pattern[str], ...], flags: int) -> re.Pattern[str]:
    key = (flags, *map(id, patterns))
    cached = _ALTERNATIONS.get(key)
    if cached is None:
        cached = _ALTERNATIONS[key] = (patterns, re.compile("|".join(f"(?:{p.pattern})" for p in patterns), flags))
    return cached[1]


def _any_of(patterns: tuple[re.Pattern[str], ...]) -> re.Pattern[str]:
    """One regex that matches wherever one of `patterns` matches: a clause it does not match
    is skipped without trying each pattern (most flags match nothing in most messages, and
    the per-pattern loop was most of the lexicon's cost: 3.5 -> 1.x ms a message, 2026-12-01)."""
    return _alternation(patterns, 0)


def _any_line_of(patterns: tuple[re.Pattern[str], ...]) -> re.Pattern[str]:
    """`_any_of` for the message's clauses joined by newlines (^ and $ still mark a clause)."""
    return _alternation(patterns, re.MULTILINE)


# Past this many patterns that can match, one alternation is quicker than each in turn. A
# subset gets no alternation of its own: compiling one costs more than it saves.
_FEW = 4


def _searches(whole: tuple[re.Pattern[str], ...], viable: tuple[re.Pattern[str], ...], text: str, lines: bool) -> bool:
    """Whether one of `viable` (the patterns of `whole` the gate lets through) is in `text`."""
    if len(viable) > _FEW or viable is whole:
        return bool((_any_line_of if lines else _any_of)(whole).search(text))
    return any((_line_version(p) if lines else p).search(text) for p in viable)


def _line_version(pattern: re.Pattern[str]) -> re.Pattern[str]:
    """The pattern for clauses joined by newlines: itself unless it has a ^ or a $."""
    return _alternation((pattern,), re.MULTILINE) if "^" in pattern.pattern or "$" in pattern.pattern else pattern


def _possible(wording: Wording, lines: str, scan: Scan) -> bool:
    """Whether the message could say this wording at all: one search over all its clauses
    instead of one per clause (most flags match nothing; 2.2 -> 1.x ms a message), and none
    when the literal gate's `scan` says a pattern set cannot match."""
    phrases = scan.viable(wording.phrases) if wording.phrases and scan.may_match(wording.phrases) else ()
    if phrases and _searches(wording.phrases, phrases, lines, lines=True):
        return True
    if not wording.all_of or not all(map(scan.may_match, wording.all_of)):  # a lookup each
        return False
    parts = [scan.viable(part) for part in wording.all_of]
    pairs = zip(wording.all_of, parts, strict=True)
    return all(parts) and all(_searches(whole, part, lines, lines=True) for whole, part in pairs)


def _find(patterns: tuple[re.Pattern[str], ...], clauses: list[tuple[int, str]], history: bool,
          unless: tuple[re.Pattern[str], ...] = (), someone_else: bool = False,
          about_other: bool = False, scan: Scan = EVERYTHING_MAY_MATCH) -> tuple[str, str] | None:  # fmt: skip
    """The first phrase from `patterns` that applies to the person now, with its clause; or None."""
    for _, clause in clauses:
        if not scan.may_match(patterns, clause):
            continue
        here = scan.viable(patterns)  # those that cannot match in the message are not tried
        if not here or not _searches(patterns, here, clause, lines=False):
            continue
        if any(u.search(clause) for u in unless):
            continue
        for pattern in here:
            for match in pattern.finditer(clause):
                if _applies(clause, match.start(), match.end(), history, someone_else, about_other):
                    return match.group(0), clause
    return None


def _found(
    wording: Wording,
    clauses: list[tuple[int, str]],
    sentences: list[list[tuple[int, str]]],
    about_other: bool = False,
    lines: str | None = None,
    scan: Scan = EVERYTHING_MAY_MATCH,
) -> tuple[str, tuple[str, ...]] | None:
    """(evidence, clauses it was found in) when the message says this wording, else None.
    `lines`: the clauses joined by newlines, when the caller has them (joined once a message);
    `scan`: the literal gate's look at them, which skips the pattern sets that cannot match."""
    if lines is None:
        lines = "\n".join(clause for _, clause in clauses)
    if not _possible(wording, lines, scan):
        return None
    unless = wording.unless
    if unless and wording.unless_within != "clause":
        # an unless phrase anywhere in the sentence (or the message) takes back the whole of it:
        # "my foot fell asleep in the meeting. It's fine now."
        kept = [s for s in sentences if not any(u.search(c) for u in unless for _, c in s)]
        if wording.unless_within == "message" and len(kept) < len(sentences):
            return None
        sentences, clauses, unless = kept, [c for s in kept for c in s], ()
        if not clauses:
            return None
    args = (clauses, wording.history, unless, wording.someone_else, about_other, scan)
    found = _find(wording.phrases, *args) if wording.phrases and scan.viable(wording.phrases) else None
    if found:
        return found[0], (found[1],)
    if wording.all_of:
        scopes = {"message": [clauses], "sentence": sentences, "clause": [[clause] for clause in clauses]}
        for scope in scopes[wording.within]:
            # a cheap look first: every part must at least be written somewhere in the scope
            if not all(any(scan.may_match(part, clause) and _searches(part, scan.viable(part), clause, lines=False)
                               for _, clause in scope)
                       for part in wording.all_of):  # fmt: skip
                continue
            parts = [_find(part, scope, *args[1:]) for part in wording.all_of]
            if all(parts):
                return " + ".join(p[0] for p in parts if p), tuple(dict.fromkeys(p[1] for p in parts if p))
    return None


# The writer's own complaint: "my back", "I've got sciatica", "I'm in agony", "hurts me".
_BODY_OR_PAIN = (
    r"(?:back|neck|spine|shoulders?|hips?|knees?|legs?|sciatica|lumbago|bum|buttocks?|head|headache|migraine|"
    r"pain|ache|aches|aching|agony|hurts?|hurting|sore|stiff|tight|spasms?|twinge|shooders|shouthers|headaches|"
    r"migraines|cramps?|"
    # the same in the other languages of mixed messages: Hindi kamar (back), Tagalog likod, ngalay, masakit,
    # Spanish espalda, cuello, dolor
    r"kamar|likod|ngalay|masakit|balakang|espalda|cuello|dolor|duele)"
)
_STRESSED = (
    r"(?:i'?m|im|i am|i feel|i've been|ive been) (?:so |really |very |just |quite |super |a bit )?"
    r"(?:stressed|anxious|worried sick|exhausted|knackered|on edge)"
)
_ASKS_FOR_SELF = r"(?:sleep\w*|relax\w*|unwind|calm|for me|myself|my own|stress|anxiety|tension|insomnia)\b"
_OWN_COMPLAINT = re.compile(
    rf"\b(?:my|i|i'?m|im|i'?ve|ive|me|mi|mah|ma|ah|ah'?m|ah'?ve|mine|myself|meself|masel|meri|mera|mujhe|ako|ana|"
    rf"3andi|ngo|yo|tengo)\b((?:[\s,]+[\w']+){{0,6}}?)[\s,]+{_BODY_OR_PAIN}\b|"
    rf"\b{_BODY_OR_PAIN}\s+(?:is\s+)?(?:killing|hurting|bothering)\s+me\b|"
    r"\b(?:i'?m|i am|ah'?m) (?:fine|ok|okay|alright|well) (?:myself|otherwise|masel|meself)\b|\bas for me\b|\bmy own\b|"
    # "that's her, not me", "mine is just the calf cramps", "me: shoulders tight", "I'm 26 and healthy"
    r"\b(?:that'?s|thats|it'?s|its) (?:him|her|them|his|hers|theirs),? not (?:me|mine)\b|\bmine (?:is|'s|are)\b|"
    r"(?:^|[.;!?,] )(?:me|myself|moi) ?[:=–—-] |"
    r"\b(?:i'?m|im|i am) (?:\d{2},? )?(?:and )?(?:otherwise )?(?:healthy|fit and well|fit and healthy)\b|"
    # the writer asks for themselves: "points for me", "for myself", "but me, I am 40"
    r"\bpoints? for me\b(?! to)|\bfor myself\b|(?:^|[.;!?,] )(?:but |and |as for )?me,? (?:i'?m|im|i am|i)\b|"
    # "I've no symptoms myself", "I'm asymptomatic", "I can feel mine fine", "my actual problem"
    r"\b(?:i'?ve|i have|ive) (?:got )?no symptoms\b|\b(?:i'?m|im|i am) asymptomatic\b|\bi can feel mine\b|"
    r"\bmy (?:actual|real|only|current|main|own) (?:problem|issue|complaint|ache|pain|question|trouble|concern)\b|"
    r"\b(?:i|i'?d|id)(?: just)? (?:want|need|would like|like|am looking for)(?: \w+){0,3} for "
    r"(?:me|myself|sleep|stress|relaxing|relaxation|anxiety|insomnia)\b|"
    # "I'm 77 and only want to know about points for sleep"
    r"\b(?:only|just) (?:want|need|wanted|asking|looking)(?: \w+){0,5} for (?:my )?"
    r"(?:sleep|sleeping|stress|relaxing|relaxation|anxiety|insomnia|nerves)\b|"
    # the writer's own stress or sleep: "my mum's got cancer and I'm really stressed, can't sleep";
    # a carer's fear alone is no complaint of theirs ("my dad has chest pain and I'm really anxious")
    rf"\b{_STRESSED}\b(?=[^.!?\n]*\b{_ASKS_FOR_SELF})|\b{_ASKS_FOR_SELF}[^.!?\n]*\b{_STRESSED}\b|"
    r"\b(?:i'?m|im|i am|i've been|ive been) not sleeping\b|"
    r"\bhelp me (?:to )?(?:sleep|relax|unwind|calm down|switch off)\b"
)
_OTHER_OWNER = re.compile(rf"'s\b|\b(?:his|her|their|{_PEOPLE})\b")


@lru_cache(maxsize=256)  # asked of the same message by the lexicon, the facts and the classifier
def about_someone_else(text: str) -> bool:
    """True when the message mentions another person and no complaint of the writer's own:
    a carer or relative asking for the person they look after."""
    if not _OTHER_PERSON.search(text):
        return False
    # Every start is tried: in "I'm her carer and me back's aching" the match from "I'm" runs
    # through "her" (hers), and the "me back" inside it is the writer's own.
    match = _OWN_COMPLAINT.search(text)
    while match:
        if not _OTHER_OWNER.search(match.group(1) or ""):
            return False
        match = _OWN_COMPLAINT.search(text, match.start() + 1)
    return True


# "my 76 year old mum": an age followed by a person is someone else's.
_AGE_OF_OTHER = re.compile(rf"\s*(?:[\w-]+ )?{_PEOPLE}\b")
# A relative's age, read only when a carer writes for them.
_AGE_OF_RELATIVE = [
    re.compile(rf"\b{_PEOPLE}(?:,? who is|,? who's| is|'s|,) (\d{{2}})\b{_UNITS}"),
    re.compile(r"\b(\d{2}) (?:anos|años|anni|ans|saal ki|saal ka|saal|lat)\b"),
]


def _age(text: str) -> int | None:
    """The age of the person being helped: the writer's, or a carer's relative's."""
    about_other = about_someone_else(text)
    for pattern in _AGE:
        for match in pattern.finditer(text):
            if _AGE_OF_OTHER.match(text, match.end()) and not about_other:
                continue
            value = int(match.group(1))
            value = value * 10 if pattern.pattern.startswith(r"\bin my") else value
            if 1 <= value <= 115:
                return value
    if about_other:  # "my dad is 87", "granny's 88", "my father, 78,", "minha avó tem 85 anos"
        for pattern in _AGE_OF_RELATIVE:
            match = pattern.search(text)
            if match and 1 <= int(match.group(1)) <= 115:
                return int(match.group(1))
    return None


_PREGNANCY_WORD = re.compile(r"pregnan|expecting")


# A story of an illness that is over: "I made a full recovery", "it was a one-off and I've been
# fine ever since". The sentences up to the one that says so are read as the past, unless they
# say now or today ("In 2015 I had sepsis. Within two days I was shivering and confused. I
# made a full recovery. Now: a stiff shoulder").
_STORY_OVER = re.compile(
    r"\b(?:full|near[- ]complete|near[- ]full|complete) recovery\b|\bfully recovered\b|\bancient history\b|"
    r"\b(?:long (?:time |ago )?|all |fully |completely )healed\b|\bhealed (?:long ago|years ago|completely|fully)\b|"
    r"\brecovered (?:100|a hundred) ?(?:percent|per cent|%)|"
    r"\brecovered (?:fully|completely|well)\b|\b(?:antibiotics|treatment|surgery|the op|an op) (?:fixed|cured|cleared) "
    r"(?:it|that|them|me)\b|"
    r"\b(?:fine|well|ok|okay|normal) ever since\b|\b(?:been|was|felt) (?:fine|well|ok|okay) since(?: then)?\b|"
    r"\bnever happened again\b|\bnone since\b|\ba one[- ]off\b|\bno (?:problems?|issues?|trouble) (?:ever )?since\b"
)
# A clinical list of what is denied: "Denies saddle anaesthesia, retention or incontinence."
_DENIAL_SENTENCE = re.compile(r"^\W*(?:denies|denied|negative for|nil)\b")
# A sentence that only answers "no" to a checklist, in any voice: "Nae fever, nae tinglin doon
# below, ma legs are grand", "walang aksidente, at walang numbness". Each part denies or says
# all is normal, and none is a loss told with a "no" ("no feeling down there", "can't pee").
_LIST_PART_BREAK = re.compile(r"\s*(?:[,:]|\b(?:and|an|at|but|just|only|except|though|although|yet|pero|lang)\b)\s*")
_PREAMBLE_PART = re.compile(
    r"^(?:(?:to|re|in answer to|answering) )?(?:your |the |those |all )?(?:questions?|checklist|list)$|"
    r"^(?:yes|yeah|nope|nah|ok|okay|well|so|sure|thanks|hi|hello|right)$"
)
_DENYING_PART = re.compile(
    r"^(?:(?:also|plus|so|but|y|e|pero|tapos)\s+)?(?:no|nae|nuh|nah|naw|not|never|nope|none|nothing|neither|"
    r"walang|wala|hindi|sin|sem|nie|nil|without|denies|(?:i|mi|ah|a|me)(?: \w+)? (?:haven'?t|have not|hasn'?t|"
    r"didn'?t|did not|don'?t|dont|do not|am not|'m not|nuh|never|no|ain'?t|havnae|havenae|didnae|dinnae))\b"
)
_NORMAL_PART = re.compile(
    r"\b(?:fine|grand|strong|normal|as usual|works?|working|same as (?:ever|always|usual)|all good|alright|"
    r"no problems?|nae bother|no bother)\b"
)
_LOSS_TOLD_WITH_NO = re.compile(
    r"\bno (?:feeling|sensation|control|power|strength|movement|grip|urge|pee|wee|urine|piss|poo|stool)\b|"
    r"\bnot a drop\b|\b(?:no|not|nae|zero|nothing|without any) (?:\w+ )?"
    r"(?:improvement|better|change|difference|relief)\b|"
    r"\b(?:can'?t|cannot|cyaan|cannae|canny|unable|won'?t|couldn'?t|lost|losing|worse|worsening)\b|"
    r"\bnot (?:able|feel\w*|mov\w*|passed|peed|weed|stop\w*|work\w*|mak\w*)\b|"
    r"\b(?:haven'?t|have not|hasn'?t|didn'?t|did not|don'?t|dont|do not|ain'?t|didnae|dinnae) (?:\w+ )?"
    r"(?:peed|passed|weed|been|felt|feel|know|notice\w*|realis\w*|realiz\w*|pee|wee|go|gone|stop\w*|make it)\b|"
    r"\bnothing (?:comes|came|happens|happened|there)\b|\bwithout (?:knowing|noticing|realis\w*|feeling)\b"
)


def _only_denies(sentence: str) -> bool:
    """A checklist answered "no" (read by the lexicon's own negation; the classifier, which
    reads words without their negation, is not shown it)."""
    if _LOSS_TOLD_WITH_NO.search(sentence):
        return False
    parts = [part for part in _LIST_PART_BREAK.split(sentence.strip(" .!?")) if part.strip()]
    denied = [bool(_DENYING_PART.match(part)) for part in parts]
    return any(denied) and all(d or _NORMAL_PART.search(part) or _PREAMBLE_PART.match(part)
                               for d, part in zip(denied, parts, strict=True))  # fmt: skip


# A sentence that denies the list before it: "I know the list: cancer, weight loss, night
# sweats. None of those." / "The poster lists chest pain and falls. None of those apply to me."
_NONE_OF_THOSE = re.compile(
    r"^\W*(?:but |and |well,? |honestly,? )?(?:none of (?:those|these|them|the above)|not any of (?:those|these|them)|"
    r"(?:i have|i'?ve got|i'?ve had|i get|i had) none of (?:those|these|them)|"
    r"(?:no|nope|nah),? (?:to )?(?:all|any|none) of (?:those|these|them))"
    r"(?: (?:apply|applies|fit|fits|ring a bell)(?: to me| here)?)?(?: thankfully| luckily| either)?\s*(?:[,;:!-]|$)"
)
# A sentence that is only a time that is over: "In 2005.", "I was 14.", "Years ago now."
_BARE_PAST_TIME = re.compile(
    r"^\W*(?:(?:that|it|this) was |(?:but|and) )?(?:in (?:19|20)\d\d|back in (?:19|20)\d\d|in the (?:'?\d0s|sixties|"
    r"seventies|eighties|nineties)|(?:\d+|an?|one|two|three|four|five|six|seven|eight|nine|ten|a few|a couple of|"
    r"several|many) (?:years?|yrs?|decades?|months?) ago|(?:years|ages|decades|a long time|long) ago|"
    r"i was (?:only |just )?(?:\d+|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|a (?:kid|child|"
    r"teenager|teen|baby|toddler)))(?: now| or so| at the time)?\W*$"
)


def _in_a_story_that_is_over(sentences: list[str]) -> list[bool]:
    """For each sentence: told before the last one that says the story is over, without a now;
    or followed by a bare time that is over ("I fell off a horse. In 2005. I was 14.")."""
    over = [i for i, sentence in enumerate(sentences) if _STORY_OVER.search(sentence)]
    told = [bool(over) and i <= over[-1] and not _PRESENT.search(sentence) for i, sentence in enumerate(sentences)]
    for i, sentence in enumerate(sentences[1:], start=1):
        before = sentences[i - 1]
        if _BARE_PAST_TIME.search(sentence) and not _PRESENT.search(before):
            told[i - 1] = told[i] = True
    return told


def _denied_by_the_next(sentences: list[str]) -> list[bool]:
    """For each sentence: taken back by the one after it, "None of those." (every flag, a
    history one too: "I know the list: cancer, weight loss. None of those apply to me")."""
    return [i + 1 < len(sentences) and bool(_NONE_OF_THOSE.search(sentences[i + 1])) for i in range(len(sentences))]


def _after_the_story(sentences: list[list[tuple[int, str]]]) -> list[list[tuple[int, str]]]:
    told = _in_a_story_that_is_over([" ".join(clause for _, clause in sentence) for sentence in sentences])
    return sentences if not any(told) else [s for s, past in zip(sentences, told, strict=True) if not past]


def _told_of_others(sentence: str) -> bool:
    """A programme, a story or a job, and no "I" or "my" after it. (Sentences about a pet were
    left out too on 2026-12-04: the fresh blind set lost an emergency, so they are read.)"""
    told = _HEARSAY.search(sentence)
    return bool(told) and not _FIRST_PERSON.search(sentence, told.end())


class RedFlagChecker:
    """Runs every red flag of the lexicon over a message."""

    def __init__(self, lexicon: Lexicon, ordinary: str | None = None) -> None:
        """`ordinary`: text of everyday messages, to pick the strings the literal gate looks
        for (the corpus's plain complaints when not given)."""
        self.lexicon = lexicon
        # "he's in hospital now": the person asked about is already with doctors, so their
        # symptoms are not a call for us to make (the lexicon's already_in_care group).
        in_care = lexicon.groups.get("already_in_care")
        self._in_care = re.compile(rf"\b(?:{in_care})") if in_care else None
        self.flags = list(lexicon.flags)
        self._wordings = [(flag, flag.wording) for flag in self.flags]  # built once, read every message
        every = [wording for _, wording in self._wordings] + [s.wording for s in lexicon.situations]
        sample = _ordinary_sample() if ordinary is None else ordinary
        self._gate = LiteralGate((p for wording in every for p in (wording.phrases, *wording.all_of) if p), sample)
        self._pregnant = lexicon.pregnant
        self._not_pregnant = lexicon.not_pregnant
        # the pregnancy words have a gate of their own: facts_in reads the message as said
        self._pregnancy_gate = LiteralGate([self._pregnant, self._not_pregnant], sample)

    @property
    def concepts(self) -> tuple[str, ...]:
        """Every concept id of the lexicon (the classifier's label ids)."""
        return tuple(self.lexicon.concepts)

    def concept_level_and_reason(self, concept: str) -> tuple[str, str]:
        """(level, reason) for a concept id, as its first flag in the lexicon gives them.

        For a concept named by something other than the lexicon (the classifier). Raises
        KeyError for an id that is not a concept of the lexicon.
        """
        flags = self.lexicon.concept_flags(concept)
        if not flags:
            raise KeyError(concept)
        return flags[0].level, flags[0].reason

    def only_plain_complaint_words(self, text: str) -> bool:
        """Whether every word of the message is a plain complaint word (red_flags.yml)."""
        plain = self.lexicon.plain_complaint_words
        words = re.findall(r"[\w']+", normalise(text))
        return bool(plain) and all(word in plain for word in words)

    def firsthand(self, text: str) -> str:
        """The message without its sentences that tell of a programme, a story, a course or a
        job ("watching a hospital drama where a man collapsed"), with no "I" or "my" after it
        ("watching the tv when my arm went numb" stays): the classifier reads what is left, as
        the lexicon's hearsay guard does for its own phrases."""
        sentences = [part for part in _SENTENCE_END.split(normalise(text)) if part.strip()]
        over, denied = _in_a_story_that_is_over(sentences), _denied_by_the_next(sentences)
        told = [a or b for a, b in zip(over, denied, strict=True)]
        kept = [part for part, past in zip(sentences, told, strict=True)
                if not past and not _told_of_others(part) and not _DENIAL_SENTENCE.search(part)
                and not _only_denies(part)]  # fmt: skip
        return text if len(kept) == len(sentences) else ". ".join(part.strip() for part in kept)

    def classifier_reading_counts(self, concept: str, text: str) -> bool:
        """Whether the message has a word the classifier's reading of `concept` needs
        (red_flags.yml, classifier_cues); concepts without cues always count."""
        cues = self.lexicon.classifier_cues.get(concept)
        if not cues:
            return True
        normal = normalise(text)
        return any(cue.search(normal) for cue in cues)

    def facts_in(self, text: str) -> Facts:
        """Pregnancy and age stated in the message itself.

        "might be pregnant", "not sure if I'm pregnant", "trying for a baby" or "my period
        is late" make a possible pregnancy: treated as a pregnancy for which points may be
        shown (actions/catalogue/pregnancy_answers.yml holds those words).
        """
        normal = normalise(text)
        clauses = _clauses(normal)
        words = answer_patterns()
        pregnant: bool | None = None
        possible = False
        # a carer's "my wife is pregnant and bleeding": the pregnancy is the person's being asked about
        other = about_someone_else(normal)
        lines = "\n".join(clause for _, clause in clauses)
        scan = self._pregnancy_gate.scan(lines)
        denying = scan.viable(self._not_pregnant)
        denials = [(m, clause) for p in denying for _, clause in clauses if (m := p.search(clause))] \
            if denying and _searches(self._not_pregnant, denying, lines, lines=True) else []  # fmt: skip
        if denials:
            pregnant = False
            # "not pregnant yet, but we're trying" or "not pregnant as far as I know": a no
            # with a sign or a doubt beside it is no clear no (a man or the menopause stays one)
            about_pregnancy = [clause for m, clause in denials if _PREGNANCY_WORD.search(m.group(0))]
            signs = _find((words["possible_signs"],), clauses, history=False, about_other=other)
            if about_pregnancy and (signs or any(words["doubt"].search(c) for c in about_pregnancy)):
                pregnant, possible = True, True
        else:
            stated = [c for c in clauses if _find(self._pregnant, [c], False, about_other=other, scan=scan)] \
                if scan.may_match(self._pregnant) else []  # fmt: skip
            if stated:
                pregnant = True
                possible = any(words["doubt"].search(clause) for _, clause in stated)
            elif _find((words["possible_signs"],), clauses, history=False, about_other=other):
                pregnant, possible = True, True
        weeks = None
        if pregnant and not possible:
            found = _WEEKS.search(normal) or _MONTHS.search(normal)
            if found:
                number = next(g for g in found.groups() if g)
                count = int(number) if number.isdigit() else _NUMBER_WORDS[number]
                weeks = count * (1 if found.re is _WEEKS else 4)
        return Facts(pregnant=pregnant, pregnancy_weeks=weeks, age=_age(normal), pregnancy_possible=possible)

    def assess(self, text: str, known: Facts | None = None) -> Assessment:
        """Triage one message; `known` carries facts from earlier in the conversation.

        Hits whose `needs` the facts do not meet yet are kept (with their needs) so a later
        `resolved()` with remembered facts can count them; they do not raise the level.
        """
        return self._candidates(text).resolved(known or Facts())

    def _candidates(self, text: str, combinations_only: bool = False) -> Assessment:
        normal = deny_echoed_questions(normalise(text))
        clauses = _clauses(normal)
        sentences = _sentences(normal, clauses)
        denied = _denied_by_the_next([" ".join(clause for _, clause in sentence) for sentence in sentences])
        if any(denied):
            sentences = [sentence for sentence, no in zip(sentences, denied, strict=True) if not no]
            clauses = [clause for sentence in sentences for clause in sentence]
        other = about_someone_else(normal) and not (self._in_care and self._in_care.search(normal))
        lines = "\n".join(clause for _, clause in clauses)
        scan = self._gate.scan(lines)
        # what is not part of a story that is over; a flag with history (cancer) reads it all
        now = _after_the_story(sentences)
        now_clauses = [clause for sentence in now for clause in sentence] if now is not sentences else clauses
        now_lines = lines if now is sentences else "\n".join(clause for _, clause in now_clauses)
        hits, situations = [], []
        for flag, wording in self._wordings:
            if combinations_only and not wording.all_of:
                continue
            if wording.history or now is sentences:
                found = _found(wording, clauses, sentences, other, lines, scan)
            else:
                found = _found(wording, now_clauses, now, other, now_lines, scan) if now_clauses else None
            if found:
                zones = self._zones(flag.rules_out, found[1])
                hits.append(FlagHit(flag.name, flag.level, flag.reason, found[0], flag.needs, flag.concept, zones))
        for situation in self.lexicon.situations:
            found = _found(situation.wording, now_clauses, now, other, now_lines, scan) if now_clauses else None
            if found:
                zones = self._zones(situation.rules_out, found[1])
                situations.append(SituationHit(situation.name, situation.advice, found[0], zones))
        hits.sort(key=lambda hit: -LEVELS.index(hit.level))
        return Assessment("none", tuple(hits), self.facts_in(text), tuple(situations))

    def concept_hit(self, concept: str, text: str, evidence: str) -> FlagHit:
        """A hit for `concept` found by something other than the lexicon (the classifier),
        with the concept's level and reason and the zones its flags rule out in `text`."""
        level, reason = self.concept_level_and_reason(concept)
        zones: dict[str, None] = {}
        for flag in self.lexicon.concept_flags(concept):
            zones.update(dict.fromkeys(self._zones(flag.rules_out, (normalise(text),))))
        return FlagHit(concept, level, reason, evidence, concept=concept, rules_out=tuple(zones))

    def _zones(self, rule: ZoneRule, clauses: tuple[str, ...]) -> tuple[str, ...]:
        """The zones a hit rules out. With only_named, the zones named where it was found: in
        the clause of its phrase or first part ("twisted my knee"), else in its other clauses,
        else all of them (the place is not said, so none of them is safe)."""
        return self._reached(self._named_zones(rule, clauses))

    def _named_zones(self, rule: ZoneRule, clauses: tuple[str, ...]) -> tuple[str, ...]:
        if not rule.only_named:
            return rule.zones
        for scope in (clauses[:1], clauses):
            named = tuple(zone for zone in rule.zones if any(self.lexicon.zones[zone].search(c) for c in scope))
            if named:
                return named
        return rule.zones

    def _reached(self, zones: tuple[str, ...]) -> tuple[str, ...]:
        """The point zones on or near the zones named ("ankle" -> ankle and foot points)."""
        return tuple(dict.fromkeys(target for zone in zones for target in self.lexicon.reach.get(zone, (zone,))))

    def candidates(self, text: str, combinations_only: bool = False) -> Assessment:
        """Every hit in the message, including those that need remembered facts.

        `combinations_only`: only the flags that combine parts ("osteoporosis" + "a fall"),
        for several messages read together: a single-phrase flag in them was already found
        when its message was read alone (a message boundary ends a clause).
        """
        candidates = self._candidates(text, combinations_only)
        confirmed = candidates.resolved(Facts())
        return replace(candidates, level=confirmed.level)


def _top_level(hits: tuple[FlagHit, ...]) -> str:
    return max((hit.level for hit in hits), key=LEVELS.index, default="none")


def load_red_flags(path: Path = RED_FLAGS_FILE) -> RedFlagChecker:
    """Read and check the red-flag lexicon; raises DataFileError naming file, flag and field."""
    return RedFlagChecker(read_lexicon(path))


@lru_cache(maxsize=1)
def default_checker() -> RedFlagChecker:
    """The project's red-flag checker, loaded once per process."""
    return load_red_flags()


def prepare() -> RedFlagChecker:
    """Load the checker and spaCy's tokenizer now: a server calls this at start-up, so its
    first user does not wait for them (0.4 s of the first turn, measured 2026-11-26)."""
    _tokenizer()
    checker = default_checker()
    # Compile the combined pattern of every wording now, not on the first messages that need it.
    for wording in [flag.wording for flag in checker.flags] + [s.wording for s in checker.lexicon.situations]:
        for patterns in (wording.phrases, *wording.all_of):
            if patterns:
                _any_of(patterns)
                _any_line_of(patterns)
                for pattern in patterns:
                    _line_version(pattern)
    _PAST.search("warm up: its strings are picked on first use")
    return checker


def concept_level_and_reason(concept: str) -> tuple[str, str]:
    """(level, reason) of a concept id in the project's lexicon; KeyError if it has none."""
    return default_checker().concept_level_and_reason(concept)


def higher(level_a: str, level_b: str) -> str:
    """The more serious of two triage levels."""
    return max(level_a, level_b, key=lambda level: LEVELS.index(level) if level in LEVELS else 0)
