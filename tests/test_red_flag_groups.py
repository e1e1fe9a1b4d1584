"""Every word group of the red-flag lexicon, with what it must and must not match.

Each group in actions/catalogue/red_flags.yml has an entry in EXAMPLES: texts in which the
group must be found, and texts in which it must not. A group is matched the way a phrase is
(never starting or ending inside a word); a few groups that only make sense next to other
words (distances, "not someone else's") are tried inside a PROBE phrase. A new group without
examples fails test_every_group_has_examples.
"""

from __future__ import annotations

import re

import pytest
import yaml

from actions.core.lexicon import RED_FLAGS_FILE, phrase_pattern, read_lexicon
from actions.core.triage import normalise

LEXICON = read_lexicon()
MAX_LINE = 120

# group: ([must match], [must not match])
EXAMPLES: dict[str, tuple[list[str], list[str]]] = {
    # How far apart the words of one finding may be (see PROBES)
    "near": (["numb bum", "numb around my bum", "numb patch on my bum"], ["numb toes and a sore bum", "numb, bum"]),
    "clause_joiner": (["and", "but then"], ["android", "band"]),
    "loosely_near": (["numb, around my bum", "numb bum"], ["numb for a very long time on my bum"]),
    # Everyday words
    "cannot": (
        ["can't", "cant", "cannot", "can not", "couldn't", "cyaan", "kyaan", "caan", "cain't", "cannae"],
        ["can", "could", "cantilever", "cyan", "canal"],
    ),
    "hard_to": (["unable to", "struggling to", "having trouble", "it's hard to", "can't"], ["able to", "troubled"]),
    "do_not": (["don't", "dont", "do not"], ["do", "done"]),
    "will_not": (["won't", "doesn't", "wouldn't", "will not", "does not"], ["will", "does"]),
    "does_not": (["doesn't", "didn't", "isn't", "not"], ["does", "is", "knot"]),
    "have_not": (["haven't", "hasn't", "have not", "did not"], ["have", "has"]),
    "no_longer": (["don't", "can't", "no longer", "never"], ["longer", "ever"]),
    "not_yet": (["no", "not", "hasn't", "nothing"], ["note", "now"]),
    "i_am": (["i'm", "im", "i am"], ["imagine", "i was"]),
    "very": (["really", "very", "a bit", "much"], ["every", "bite"]),
    "extremely": (["extremely", "seriously", "terribly"], ["extreme", "serious"]),
    "badly": (["seriously", "badly", "really"], ["bad"]),
    "ages": (["ages", "forever", "a long time", "minutes"], ["a second", "pages"]),
    "going": (["gone", "went", "keeps going", "goes"], ["go", "ongoing"]),
    "became": (["went", "feels", "became", "got"], ["become", "getting"]),
    "looks": (["is", "has gone", "looks", "seems"], ["look", "this"]),
    "it_is": (["it's", "its", "it is", "is"], ["isn't", "it was"]),
    "it_is_now": (["it's", "its", "that's", "leg's", "legs", "foot's"], ["it", "leg"]),
    "still_is": (["it's", "it has", "still", "and still"], ["stillness"]),
    "each_time": (["when", "whenever", "every time", "if"], ["sometimes", "whence"]),
    "number_word": (["one", "seven", "twelve"], ["none", "thirteen", "twenty"]),
    "digit_word": (["one", "nine"], ["ten", "nineteen"]),
    "count": (["12", "a", "a few", "couple of", "several", "seven"], ["123", "the"]),
    "a_few": (
        ["in a few seconds", "a couple of seconds", "in 10 seconds", "in ten seconds"],
        ["in seconds", "in four"],
    ),
    "sudden": (
        ["sudden", "suddenly", "out of the blue", "all of a sudden", "without warning"],
        ["gradually", "suddenness"],
    ),
    # Body areas
    "saddle_area": (
        ["bum", "privates", "down there", "between my legs", "inner thighs", "groin", "perineum", "saddle area"],
        ["bottom of my back", "thighs", "legs"],
    ),
    "bottom_words": (["bum cheeks", "bottom", "buttock", "backside", "anus", "back passage"], ["bottom of", "bumper"]),
    "genital_words": (["genitals", "genital area", "privates", "private parts"], ["private", "general"]),
    "female_genitals": (["vagina", "vulva", "labia"], ["vague"]),
    "male_genitals": (["penis", "testicles", "scrotum", "balls"], ["ballet"]),
    "saddle_slang": (["nether regions", "lady bits", "front bottom", "bum hole", "between my cheeks"], ["cheeks"]),
    "back_area": (["back", "spine", "sciatica", "hip", "neck"], ["backing", "hips", "knee"]),
    "back_words": (["back", "spine", "lumbar", "backache"], ["hip", "neck"]),
    "spine_words": (["back", "spine", "backbone", "vertebrae"], ["neck"]),
    "my_back": (["my back", "the spine", "my neck muscles"], ["back", "his back"]),
    "pain_site": (["lower back", "shoulders", "hips", "ribs", "knees", "bones"], ["head", "feet"]),
    "belly": (["belly", "tummy", "stomach", "abdomen"], ["stomachache", "chest"]),
    "torso": (["ribs", "ribcage", "chest", "front", "side"], ["sides", "back"]),
    "between_shoulders": (
        ["between my shoulder blades", "between the shoulders", "mid back", "middle of my back", "thoracic"],
        ["shoulder blade", "lower back"],
    ),
    "leg_part": (["leg", "foot", "toes", "calf", "shin", "ankle"], ["legs", "feet", "arm"]),
    "one_leg": (["my left leg", "either leg", "the bad leg", "legs"], ["foot", "arm"]),
    "paired_parts": (["legs", "feet", "calves", "knees", "sides"], ["leg", "foot"]),
    "both_legs": (
        ["both legs", "both of my feet", "down each", "either leg", "left and right legs", "bilateral", "neither foot"],
        ["both arms", "my left leg", "one leg"],
    ),
    "arm_or_hand": (["arm", "arms", "hand", "arm and leg"], ["armchair", "handle"]),
    "one_arm": (["my left arm", "one arm", "the hand", "arms"], ["leg", "armpit"]),
    "arm_face_side": (["my left arm", "face", "right side", "hand"], ["leg", "sides"]),
    "one_side": (["face", "side of my body", "one side of my body", "whole side"], ["side", "my body"]),
    "face_part": (["face", "mouth", "smile", "eyelid", "lip", "cheek"], ["lips", "facing"]),
    # Numbness
    "numb_words": (
        [
            "numb",
            "numbness",
            "no feeling",
            "lost the feeling",
            "can't feel",
            "pins and needles",
            "pins n needles",
            "tingling",
            "dead",
            "gone to sleep",
            "my leg is asleep",
        ],
        ["dead tired", "i fell asleep", "while asleep", "feeling fine", "deadline"],
    ),
    "less_of": (["lost", "loss of", "reduced", "no"], ["loose", "lots"]),
    "cannot_feel": (
        ["can't feel", "don't really feel", "no longer feel", "couldn't properly feel"],
        ["can feel", "feel"],
    ),
    "and_typed": (
        ["pins and needles", "pins n needles", "pins 'n' needles", "pins & needles", "pins + needles"],
        ["pins or needles", "pins needles"],
    ),
    "dead_but_not_numb": (["tired", "easy", "funny"], ["numb", "dead"]),
    "numb_or_weak": (
        ["numb", "weakness", "no strength", "lost strength", "tingling", "pins and needles"],
        ["strong", "strength", "gone dead", "fell asleep"],
    ),
    "limb_asleep": (["gone dead", "fell asleep", "went to sleep", "foot is asleep"], ["dead tired", "i fell asleep"]),
    "limb_settled": (
        [
            "it's fine now",
            "it's fine noo",
            "it woke up by the time i got off",
            "came back once i walked about",
            "woke up after like 2 mins",
            "fine after a minute",
            "then totally normal",
            "the feeling came back",
        ],
        ["it came back worse", "i woke up with it", "woke up with a numb foot", "it's still numb", "fine"],
    ),
    "a_minute": (["a sec", "seconds", "mins", "minute", "moment"], ["hours", "days", "minutely"]),
    "leg_nerve_symptom": (["sciatica", "numb", "weak", "shooting", "giving way", "nerve pain", "jelly"], ["aching"]),
    "back_to_normal": (["fine", "ok", "gone", "back to normal"], ["finer", "abnormal", "good"]),
    "moved": (["stood", "got up", "walked", "shook"], ["sat", "lay"]),
    # Peeing and the bladder
    "on_the_toilet": (["wipe", "wiping", "go to the toilet", "go to the loo"], ["wiped", "toilet"]),
    "toilet_paper": (["toilet paper", "loo roll", "tissue", "paper", "wiping"], ["toilet", "newspaper"]),
    "pee_words": (
        ["pee", "peeing", "wee", "urinate", "urine", "pass water", "passing urine", "bladder"],
        ["peel", "weed"],
    ),
    "urinary": (["pee", "wee", "urine", "urinary"], ["peeing", "urinate"]),
    "struggle_to_start": (
        [
            "can't",
            "unable to",
            "struggling",
            "have to strain to",
            "straining to",
            "takes ages to",
            "can barely",
            "can't hardly",
        ],
        ["able to", "strain"],
    ),
    "start_a": (["start", "start to", "get a", "go for a", "have a"], ["stop", "go"]),
    "the_flow": (["it", "the flow", "the stream", "things", "my wee"], ["flow", "stream"]),
    "urine_stream": (["my pee stream", "the urine flow", "urinary stream", "my stream"], ["stream", "blood flow"]),
    "weak": (["weak", "weaker", "slow", "poor", "feeble", "hesitant"], ["weakness", "strong"]),
    "weak_flow": (["weak", "a trickle", "trickling", "dribbly", "stop-start", "stop start"], ["strong", "stop"]),
    "stream_is": (["is", "has been", "has got", "'s", "feels"], ["was", "isn"]),
    "starts_to_flow": (["comes", "came", "started", "flows", "trickles"], ["stops", "stopped"]),
    "urge_to_go": (["urge to go", "need to pee", "feeling to wee"], ["urge", "need to eat"]),
    "wanted": (["need", "felt the need", "wanted", "had the urge"], ["want", "urge"]),
    "as_often": (["as often", "so much", "every", "at night", "twice", "more"], ["often", "once"]),
    "wants_to_pee": (
        ["need to go", "desperate to pee", "trying to wee", "bladder feels full", "bladder is bursting"],
        ["need to eat", "bladder is fine"],
    ),
    "nothing_comes_out": (
        [
            "nothing comes out",
            "nothing happens",
            "only a dribble",
            "just a few drops",
            "can't empty it",
            "not fully emptying my bladder",
        ],
        ["it all comes out", "a lot"],
    ),
    "not_aware": (["don't know when", "can't tell if", "never notice when", "didn't realise that"], ["know when"]),
    "notice": (["know", "notice", "tell", "realise", "realized"], ["knowing", "noted"]),
    "need_to_pee": (["i need to go", "i need a wee", "i need the loo", "my bladder is full", "i'm full"], ["i'm fine"]),
    "lost_control": (["lost control of", "no control over", "can't control", "loss of control"], ["in control"]),
    "underwear": (["pants", "trousers", "knickers", "bed", "jeans"], ["shirt", "bedroom"]),
    "in_my_pants": (["in my pants", "on the bed", "in my shorts"], ["in my shoes", "pants"]),
    "wet_myself": (["wet", "wetting", "peed", "wee'd", "urinated"], ["wept", "weeding"]),
    "leaks_out": (["leaking", "dribbling", "won't stop", "comes out"], ["leaked", "stays in"]),
    "bladder_stopped": (["stopped working", "packed up", "not working", "won't empty"], ["working", "working fine"]),
    # Bowels
    "poo_words": (["poo", "pooing", "bowels", "stool", "number two", "back passage"], ["pool", "stools", "number one"]),
    "soiled": (["soiled", "pooed", "poo'd", "messed", "crapped"], ["soil", "pooing"]),
    # Legs giving way
    "gives_way": (["giving way", "gave out", "gives way"], ["giving up", "way out"]),
    "legs_fold": (["buckling", "collapsed", "folding", "going from under me"], ["folded arms"]),
    "foot_drags": (["dragging", "slapping", "floppy", "catching"], ["drag", "slap"]),
    "lift_foot": (["lift", "come up", "clear the floor"], ["lifted", "come down"]),
    "weak_legs": (["legs feel weak", "leg is so wobbly", "weakness in my legs", "weak in both legs"], ["weak arms"]),
    "jelly_legs": (
        ["legs feel like jelly", "legs have gone to jelly", "jelly legs", "jelly legs and getting worse"],
        ["jelly", "legs", "legs went to jelly with the nerves", "jelly legs before my driving test"],
    ),
    "older_strain": (
        ["lifted the watering can", "something went ping", "bent down to pick up"],
        ["bending over", "twisting"],
    ),
    "from_the_cold": (["under the air-con vent", "from the cold"], ["all night", "and sweating"]),
    "for_a_moment": (["legs like jelly for an hour", "for a few minutes"], ["for days", "for a week now"]),
    "not_jelly_legs": (["with the nerves", "for a minute"], ["since yesterday", "and getting weaker"]),
    "self_or_them": (["himself", "her"], ["them up"]),
    "road_vehicle": (["truck", "quad bike"], ["trolley"]),
    "left_the_road": (["rolled", "went into the ditch"], ["stopped", "parked"]),
    "jelly_from_nerves": (
        ["with the nerves", "from fright", "before my driving test", "at the interview"],
        ["with weakness", "after a fall", "before bed"],
    ),
    "after_exercise": (["leg day", "squats", "gym", "marathon", "training"], ["work", "sleep"]),
    "getting_worse": (["getting worse", "keeps getting much worse", "worsening", "by the day", "spreading"], ["worse"]),
    # Sex
    "cannot_anymore": (["can't", "no longer", "lost the ability to", "problems", "difficulty"], ["able to"]),
    "get_or_keep": (["get", "getting", "keeping", "maintain", "stay"], ["got", "kept"]),
    "during_sex": (["during", "in", "while having", "when we have", "with"], ["after", "before"]),
    # Accidents and falls
    "fall_event": (
        ["fell", "fallen", "slipped", "tripped", "stumbled", "tumble", "lost my balance", "came off"],
        ["fell asleep", "fell pregnant", "falling apart", "slipped disc", "trip to", "fall for"],
    ),
    "not_a_fall": (["asleep", "out with", "pregnant", "off the wagon"], ["over", "down"]),
    "dreamt_of_a_fall": (
        ["dreamt she fell off a cliff", "a nightmare about falling", "dreaming that i tripped"],
        ["fell off a ladder", "dream job", "fell asleep and dreamt"],
    ),
    "vehicle": (["car", "bus", "lorry", "motorbike", "bicycle", "4x4"], ["carpet", "busy", "training"]),
    "crash_kind": (["car", "road", "cycling", "skiing", "horse", "snowboarding", "quad bike"], ["walking"]),
    "crash": (["crash", "accident", "collision", "pile-up", "pileup"], ["crashed", "accidental"]),
    "crashed": (["crashed", "rolled", "wrote off", "totalled", "flipped"], ["crash", "parked"]),
    "hit_by": (["hit", "knocked down", "run over", "side-swiped", "clipped"], ["knocked", "ran"]),
    "ridden": (["motorbike", "motor bike", "moped", "quad", "quad bike", "dirt bike", "horse"], ["bike", "bicycle"]),
    "drove_into": (["hit", "ran into", "ploughed into", "reversed into"], ["ran", "drove"]),
    "serious_crash": (["crash", "collision", "bad accident", "car accident"], ["accident", "small accident"]),
    "high_place": (["ladder", "step ladder", "roof", "scaffolding", "stairs", "trampoline", "first floor"], ["floor"]),
    "height": (["10 feet", "two storeys", "3m", "a few metres", "twenty ft", "about 4 metres"], ["10 miles", "ten"]),
    "height_amount": (["4", "ten", "a few", "several"], ["some", "about"]),
    "height_unit": (["m", "metres", "feet", "ft", "storey", "flights"], ["miles", "mm"]),
    # Chest, tearing pain, fainting
    "not_chest_pain": (["of drawers", "day", "infection"], ["pain", "days"]),
    "chest_feeling": (["pain", "tightness", "hurts", "pressure", "heaviness", "squeezing", "crushing"], ["tired"]),
    "chest_filler": (["is", "feels", "really", "kind", "of", "'s", "suddenly"], ["pain", "chest"]),
    "chest_place_word": (["in", "across", "the", "middle", "centre", "left", "pressure"], ["chest", "head"]),
    "like_something": (["like an elephant", "as if something", "weight", "something heavy"], ["something"]),
    "pressing_on": (["sitting", "sat", "pressing", "crushing", "weighing"], ["sits", "pressed"]),
    "on_chest": (["on my chest", "down on chest"], ["in my chest", "on my back"]),
    "could_be": (["having", "think i'm having", "is this", "could it be", "signs of"], ["had", "was"]),
    "tear_words": (["tear", "tore", "ripping", "burst", "split"], ["tears", "tearful"]),
    "faint_words": (
        [
            "fainted",
            "feel faint",
            "nearly faint",
            "passed out",
            "blacked out",
            "collapsed",
            "keeled over",
            "everything went black",
            "cold sweat",
            "clammy",
        ],
        ["faintly", "collapsed disc", "collapsed onto the sofa", "fainter"],
    ),
    "furniture": (["bed", "sofa", "couch", "armchair"], ["floor", "bedroom"]),
    "collapsed_thing": (
        ["the bouncy castle collapsed", "computer system collapse", "collapse of my team"],
        ["i collapsed", "she collapsed at home", "collapse"],
    ),
    "back_or_belly_pain": (["back", "tummy", "stomach", "pain", "agony"], ["head", "painless"]),
    # Fever and infection
    "fever_words": (
        [
            "fever",
            "feverish",
            "febrile",
            "high temperature",
            "a temp",
            "temp of 38.5",
            "temperature is 39",
            "39 degrees",
            "38.5c",
            "101f",
            "102 degrees",
        ],
        [
            "hay fever",
            "hayfever",
            "fever dream",
            "temp job",
            "temp at work",
            "37 degrees",
            "99f",
            "temp",
            "cabin fever",
            "spring fever",
            "saturday night fever",
            "baby fever",
        ],
    ),
    "celsius_fever": (["38", "39", "40", "42"], ["37", "43", "380"]),
    "having_a": (["high", "raised", "running a", "got a", "a"], ["low", "normal"]),
    "temp_job": (["job", "agency", "contract", "position"], ["fever", "reading"]),
    "temp_reads": (["is", "reading", "has been", "up to", "went up to"], ["isn't", "down to"]),
    "feverish": (["fever", "temperature", "hot and cold", "burning up", "shivering"], ["hot", "cold", "hay fever"]),
    "chills": (["chills", "rigors", "shivery", "shivering", "night sweats", "burning up"], ["chilled", "sweaty"]),
    "burning": (["burning", "stings", "pain", "painful", "hurts", "sore"], ["fine", "itchy"]),
    "burns": (["burns", "burning", "stings", "painful", "hurts"], ["burn", "hurt"]),
    "pain_peeing": (
        ["it burns when i pee", "stinging when i go for a wee", "hurts to wee", "painful urination", "pee burns"],
        ["i need a pee", "it burns when i run"],
    ),
    "pee_act": (["pee", "wee", "urinate", "pass water", "peeing"], ["urine", "bladder"]),
    "go_for_a": (["go for a wee", "have a pee", "need a wee"], ["go wee", "a wee"]),
    "street_drug": (["heroin", "speed", "meth", "methamphetamine", "cocaine", "crack"], ["weed", "cracker"]),
    "immunosuppressant_drug": (["methotrexate", "humira", "biologics", "rituximab", "dmards"], ["ibuprofen"]),
    "taking": (["on", "taking", "finished", "course of", "just had", "still on"], ["off", "stopped"]),
    "bacterial_infection": (
        ["chest infection", "skin infection", "strep infection", "cellulitis", "abscess", "pneumonia", "mrsa"],
        ["infection", "viral infection", "a cold"],
    ),
    # Sepsis
    "confused": (["confused", "drowsy", "muddled", "delirious"], ["confusing", "awake"]),
    "rash_not_fading": (
        ["rash that doesn't fade", "rash does not go white", "non-blanching", "glass test", "pressed a glass"],
        ["rash", "rash that fades"],
    ),
    # Headaches and meningitis
    "headache": (["headache", "head ache", "headaches"], ["head", "backache"]),
    "of_my_life": (["of my life", "i've ever", "ive ever", "ever", "in my life"], ["today", "lifetime"]),
    "severe": (["explosive", "severe", "blinding", "agonising", "worst", "worst-ever"], ["mild", "bad"]),
    "came_on": (["came on", "started", "hit me", "began", "peaked"], ["went off", "stopped"]),
    "in_an_instant": (["suddenly", "out of nowhere", "in seconds", "instantly", "like a"], ["slowly", "in hours"]),
    "peaked": (["peaked", "peaking", "maxed out", "full force", "came on", "went from nothing to ten"], ["built up"]),
    "struck": (["hit", "struck", "whacked", "punched"], ["hitting", "touched"]),
    "head_pain": (
        ["headache", "migraine", "pounding head", "head is killing me", "head's really throbbing"],
        ["head", "headband", "head is fine"],
    ),
    "head_hurts": (["pounding", "killing", "hurts", "throbbing", "agony"], ["fine", "hurt"]),
    "meningitis_sign": (
        [
            "stiff neck",
            "neck is really stiff",
            "neck's stiff",
            "can't bend my neck",
            "chin to my chest",
            "rash",
            "light hurts my eyes",
            "sensitive to light",
            "photophobia",
            "ayaw sa liwanag",
        ],
        ["neck", "rash cream", "stiff back"],
    ),
    "neck_is": (["is", "feels", "has gone", "really", "incredibly"], ["isn't", "was"]),
    "bend_neck": (["bend", "touch", "move", "tuck", "lower"], ["bent", "turn"]),
    # Stroke
    "droop": (["drooping", "droopy", "lopsided", "sagging", "paralysed"], ["drop", "straight"]),
    "limb_weak": (["weak", "numb", "dead", "floppy", "useless"], ["weakness", "strong"]),
    "talk_about": (["about", "to", "with", "on", "because"], ["slurred", "properly"]),
    "say_words": (["get my words out", "say the words", "form words"], ["say hello", "words"]),
    "not_a_stroke": (["the cat", "of luck", "it gently", "of midnight"], ["symptoms", "last year", "of mine"]),
    "star_sign": (["star sign", "starsign", "zodiac", "my horoscope", "astrology"], ["star", "signs of cancer"]),
    "cancer_charity": (
        ["charity", "research shop", "research uk shop", "shop", "fundraising", "fun run"],
        ["research", "treatment", "patient"],
    ),
    "might_be": (["having", "had", "think it's", "could be", "mini", "another"], ["not", "after"]),
    # Pregnancy
    "heavy_bleeding": (
        ["bleeding heavily", "bleeding quite a lot", "heavy bleeding", "lots of blood", "soaked through a pad"],
        ["bleeding", "a bit of blood", "spotting", "heavy legs"],
    ),
    "constant_belly_pain": (
        ["tummy pain that is constant", "belly pain that won't let up", "stomach is hurting all the time"],
        ["tummy pain that comes and goes", "belly ache"],
    ),
    "let_up": (["come and go", "stop", "let up"], ["go", "come back"]),
    "blood_on": (["tissue", "toilet paper", "loo roll", "pad", "my knickers"], ["pads", "shirt"]),
    "blood_amount": (["fresh", "bright red", "heavy", "a bit of", "lots of", "losing"], ["no", "blue"]),
    "blood_test": (["test", "tests", "pressure", "sugar", "results", "thinners"], ["loss", "clots"]),
    "baby": (["baby", "bump", "little one"], ["babysitter", "big one"]),
    "not_moving": (["hasn't", "isn't", "not", "has stopped", "barely"], ["has", "is"]),
    "baby_moving": (["move", "moving", "kick", "movements"], ["moved", "kicked"]),
    "slowed": (["slowed", "reduced", "stopped", "dropped off", "gone quiet"], ["slow", "increased"]),
    "labour_pain": (["pain", "backache", "back ache", "cramps", "tightening", "comes"], ["headache"]),
    "few_minutes": (["few minutes", "couple of mins", "5 minutes", "ten minutes"], ["few hours", "5 min"]),
    "in_waves_pain": (["pain", "pains", "backache", "cramps", "tightness"], ["tightening"]),
    "in_waves_filler": (["that", "which", "keeps", "kind of", "sort of"], ["never"]),
    "plus_days": (["+3", "+ 3", "+3 "], ["3", "+"]),
    "weeks_gone": (["pregnant", "gone", "along", "pg", "preggers", "into my pregnancy"], ["gonna", "pregnancy"]),
    "not_pregnancy_weeks": (["into", "post", "ago", "clean", "off", "to go", "from"], ["pregnant", "along"]),
    "pregnancy_week_number": (["16", "29", "40", "42"], ["15", "43", "6"]),
    "expecting_something": (["to", "the", "a parcel", "a call", "results", "my period"], ["a baby", "twins"]),
    "expecting_other": (["to", "a", "much", "miracles", "results"], ["baby"]),
    "baby_kind": (["a baby", "twins", "my first", "our second", "a boy", "a little"], ["a parcel", "first"]),
    "male": (["man", "male", "guy", "bloke", "lad", "chap"], ["woman", "female", "manly"]),
    "man_words": (["man", "gentleman", "father", "husband", "grandpa"], ["mother", "wife"]),
    # Weight loss
    "weight_unit": (["weight", "pounds", "lbs", "kilos", "kg", "stone", "st", "dress sizes"], ["weighty", "stony"]),
    "on_purpose": (
        ["on purpose", "deliberately", "slimming", "calorie", "weight watchers", "ozempic", "gastric band"],
        ["by accident", "without trying"],
    ),
    "diet_start": (["on a", "started a", "strict", "healthy", "changed my"], ["no"]),
    "loose_clothes": (["hanging off", "too big", "too loose", "baggy"], ["too tight", "snug"]),
    # Night pain and rest
    "resting": (["rest", "resting", "lying flat", "sleep", "bed rest", "changing position"], ["walking", "restless"]),
    "does_not_help": (
        ["doesn't", "won't", "does nothing", "makes no difference", "doesn't make any difference"],
        ["does", "helps"],
    ),
    "help": (["help", "ease", "settle", "make it better"], ["helped", "worse"]),
    "eases_it": (["eases", "helps", "relieves", "makes it better", "makes any difference"], ["eased", "helped"]),
    "will_not_ease": (["will not ease", "won't settle", "never settles", "doesn't ease off"], ["will ease", "eased"]),
    "lying_down": (["lying down", "in bed", "at night", "overnight", "when i'm lying down"], ["standing up"]),
    "much_more": (["more", "much worse", "a lot more", "far worse", "most"], ["less", "better"]),
    "hurts": (["hurts", "hurt", "ache", "aching", "painful", "sore", "throbbing"], ["unhurt", "fine"]),
    "at_rest": (["resting", "lying still", "asleep", "in bed", "sitting still"], ["walking", "running"]),
    # Lumps, coughing, the upper back
    "lump": (["lump", "swelling", "bump", "mass", "growth", "hump"], ["lumpy", "bumpy"]),
    "on_or_near": (["on", "in", "near", "next to", "along"], ["under", "inside"]),
    "looks_now": (["looks", "has gone", "is", "seems", "has got"], ["looked", "was"]),
    "misshapen": (["bent", "curved", "crooked", "a different shape", "twisted", "wonky"], ["straight", "normal"]),
    "cough_or_strain": (["cough", "coughing", "sneezing", "straining", "bearing down"], ["strain", "breathing"]),
    "sharp_pain": (
        ["pain", "shoots", "shooting", "agony", "stabbing", "jolts", "electric", "twinge"],
        ["ache", "dull"],
    ),
    "band": (["belt", "band", "girdle", "vice", "corset"], ["bandage", "belted"]),
    "wraps_round": (["wraps", "wrapping", "spreading", "radiates"], ["wrapped", "stays"]),
    "wont_go_away": (
        [
            "won't go",
            "isn't going away",
            "hasn't really eased",
            "doesn't settle",
            "constant",
            "all the time",
            "for weeks",
            "six weeks",
            "keeps coming back",
            "24/7",
        ],
        ["went away", "comes and goes"],
    ),
    "easing": (["going away", "gone off", "easing", "settled", "budging"], ["worse", "eases"]),
    # Not improving, unwell, pain all over
    "long_time": (
        ["4 weeks", "six weeks", "10 wks", "2 months", "a few months", "three years", "months", "over a month"],
        ["3 weeks", "two weeks", "a week", "36 weeks pregnant"],
    ),
    "after_time": (["after 6 weeks", "for two months", "since a few months", "over months"], ["after 2 weeks"]),
    "getting": (["getting", "got", "keeps getting", "been getting", "growing"], ["get", "gotta"]),
    "steadily": (["steadily", "progressively", "gradually", "a lot", "even"], ["suddenly"]),
    "day_by_day": (
        ["every day", "by the week", "day by day", "all the time", "weekly", "instead of better"],
        ["some days", "today"],
    ),
    "better": (
        ["better", "improving", "budged", "eased", "settling", "going away", "cleared up", "helped"],
        ["worse", "the same"],
    ),
    "no_better": (
        ["not improving", "hasn't budged", "no better", "nothing really helps", "won't go away"],
        ["getting better", "much better"],
    ),
    "still_bad": (
        ["not improving", "still the same", "still hurting", "no change", "getting worse", "worsening"],
        ["much better", "still"],
    ),
    "unwell": (
        ["unwell", "poorly", "ill", "off colour", "run down", "under the weather", "feverish"],
        ["ill-fitting", "well"],
    ),
    "feeling_unwell": (
        [
            "feel unwell",
            "feeling really poorly",
            "felt a bit off colour",
            "rough in myself",
            "off my food",
            "lost my appetite",
        ],
        ["feel well", "feeling ill-fitting"],
    ),
    "aching_all_over": (
        [
            "aching all over",
            "hurts everywhere",
            "everything aches",
            "whole body hurts",
            "back, hips and ribs",
            "my neck, my shoulders and my knees",
            "all aching at once",
        ],
        ["back and hips", "all over the place", "at once"],
    ),
    # Fragile bones and age
    "fall_or_strain": (
        [
            "fell",
            "slipped",
            "lifting",
            "bent down",
            "twisted",
            "reaching",
            "something went",
            "sneezed",
            "hurt my back",
            "my back went",
            "back clicked",
        ],
        ["fell asleep", "sat down", "walked"],
    ),
    "fragile_bones": (
        ["osteoporosis", "osteoporotic", "osteopenia", "brittle bones", "steroids", "prednisolone"],
        ["steroid injection", "steroid cream", "steroid inhaler", "strong bones"],
    ),
    "new_pain": (
        ["new", "never had", "first time", "just started", "started hurting", "came on", "suddenly", "recent"],
        ["for years", "as usual"],
    ),
    "age_50_plus_in_words": (["fifty", "sixty-two", "seventy one", "ninety"], ["forty", "forty-nine", "fifteen"]),
    "age_70_plus_in_words": (["seventy", "eighty-four", "ninety nine"], ["sixty", "sixty-nine"]),
    "age_70_plus_tens": (["seventy", "eighty", "ninety"], ["sixty", "seventeen"]),
    "aged_50_plus_in_words": (
        ["i'm sixty-two", "aged fifty", "sixty-two year old", "seventy, and my back"],
        ["my sixty-two year old dad", "i'm sixty kilos", "i'm forty"],
    ),
    "aged_70_plus_in_words": (
        ["i'm seventy-six", "age eighty", "seventy-six year old", "eighty, and"],
        ["our seventy year old mum", "i'm sixty-nine", "i'm seventy percent sure"],
    ),
    "teenager": (
        ["i'm 15", "aged 16", "17 year old", "16yo", "i'm a teenager", "im only a teen", "i'm fourteen"],
        ["i'm 15 weeks pregnant", "my 15 year old son", "i'm 25", "i'm 16 stone"],
    ),
    "teen_age": (["12", "15", "19", "thirteen", "nineteen"], ["11", "20", "twenty"]),
    # Ages: zero-width checks, see PROBES
    "not_someone_elses": (["55 year old", "i am 55 year old"], ["my 55 year old", "her 55 year old"]),
    "not_a_measure": (["i'm 55", "i'm 55 and"], ["i'm 55 kg", "i'm 16 weeks", "i'm 30%"]),
    "measure_unit": (["weeks", "kg", "stone", "percent", "foot", "out of"], ["years", "old"]),
    # Pregnancy phrases that need a probe
    "to_go_for": (["needed a wee", "needed to go for a wee", "needed wee"], ["needed the wee"]),
    "not_fell_asleep": (["my leg is asleep", "foot fell asleep"], ["i fell asleep", "i was asleep", "while asleep"]),
    # Added with the new flags: bladder and bowel events, head and neck injuries, children,
    # stroke seen by others, heart pain, sepsis, falls, injecting, clots, hot joints, injuries
    "had_an_accident": (["had an accident", "had a little accident", "keep having accidents"], ["had a crash"]),
    "not_in_time": (
        ["didn't make it to the loo in time", "couldn't make it in time", "didn't get to the toilet"],
        ["made it in time", "got to the toilet"],
    ),
    "did_not_make": (["didn't", "did not", "couldn't"], ["did", "could"]),
    "toilet": (["loo", "toilet", "bathroom"], ["bath", "kitchen"]),
    "unnoticed": (
        ["without knowing", "without me noticing", "and i hadn't even noticed", "didn't feel it", "before i knew"],
        ["i noticed", "i didn't notice the cyclist", "without trying"],
    ),
    "noticed": (["notice", "knew", "realised", "woke"], ["noted", "noticeboard"]),
    "someone": (["the", "a", "him", "anyone", "anything"], ["it", "up"]),
    "found_wet": (["my underwear was wet", "my bed was soaked", "had an accident"], ["my hair was wet", "wet wipes"]),
    "leak_manner": (["just", "sort of", "keep", "always"], ["never"]),
    "when_i_strain": (["when i laugh", "a bit when i cough", "if i sneeze", "as i jump"], ["when i sit"]),
    "by_itself": (["on its own", "by itself", "without trying"], ["on purpose", "with effort"]),
    "stool_words": (["stool", "poo", "faeces", "a motion"], ["stools", "motion sickness"]),
    "cannot_get_up": (
        ["can't get up", "couldn't get back up", "unable to stand", "lying on the floor", "can't put any weight"],
        ["got up", "standing on the floor"],
    ),
    "head_knock": (
        ["banged my head", "hit my head", "a knock to the head", "head injury", "concussion", "landed on my head"],
        ["headache", "my head hurts"],
    ),
    "head_injury_sign": (
        [
            "been sick",
            "i was sick",
            "throwing up",
            "vomiting",
            "confused",
            "knocked out",
            "can't remember",
            "blurry vision",
            "seeing double",
            "had a fit",
            "can't stay awake",
        ],
        ["sick of it", "sick and tired", "confused about it", "fit and well"],
    ),
    "neck_blow": (
        [
            "dived into the shallow end",
            "dove into a wave",
            "got tackled",
            "a tackle",
            "scrum",
            "landed on my neck",
            "hit the bottom",
        ],
        ["went diving", "swimming"],
    ),
    "water_place": (["shallow end", "pool", "sea", "waves"], ["beach", "bath"]),
    "arm_nerve_symptom": (
        [
            "both my arms are tingling",
            "hands have gone numb",
            "pins and needles down both arms",
            "fingers are tingly",
            "burning down my arms",
        ],
        ["my arms ache", "tingling in my legs"],
    ),
    "heart_pain_place": (
        ["between my shoulder blades", "left arm and jaw", "jaw and arm", "left arm"],
        ["right arm", "lower back", "upper back"],
    ),
    "breathless_or_clammy": (
        [
            "short of breath",
            "shortness of breath",
            "breathless",
            "can't catch my breath",
            "clammy",
            "cold sweat",
            "came out in a sweat",
        ],
        ["out of breath", "sweating", "sweaty"],
    ),
    "infection_shivers": (
        ["fever", "chills", "shaking", "shivering", "hot then cold", "hot one minute cold", "teeth chattering"],
        ["hot", "cold"],
    ),
    "sepsis_red_sign": (
        [
            "confused",
            "so drowsy",
            "can't think straight",
            "not making sense",
            "hard to stay awake",
            "can barely stay awake",
            "breathing really fast",
            "mottled skin",
            "blue lips",
        ],
        ["confused about it", "breathing fine", "awake"],
    ),
    "confused_state": (["confused", "muddled", "disorientated", "drowsy"], ["confused about", "confused by it"]),
    "confused_about": (["about", "by", "which", "whether"], ["and", "now"]),
    "injecting": (
        ["injecting", "i inject", "shooting up", "track marks", "shared needles", "using needles", "iv user"],
        ["inject insulin", "injecting my insulin", "injected with ozempic"],
    ),
    "medical_injection": (["insulin", "ozempic", "b12", "fertility", "clexane", "methotrexate"], ["heroin", "speed"]),
    "calf_or_leg": (
        ["calf", "calves", "leg", "lower legs", "shin", "back of my knee", "thigh", "panturrilha", "pierna"],
        ["ankle", "foot", "pernas"],
    ),
    "swollen": (
        [
            "swollen",
            "swelling",
            "swelled up",
            "puffy",
            "bigger",
            "ballooned",
            "swolen",
            "swells up",
            "effusion",
            "geschwollen",
            "inchada",
            "is big",
            "gone all huge",
        ],
        ["swell", "smaller", "swelter", "big toe", "a big lump"],
    ),
    "red_hot_tender": (
        ["red", "redness", "hot", "warm", "tender", "throbbing", "sore to touch", "vermelha", "quente", "roja"],
        ["cold", "pale", "red flags"],
    ),
    "clot_risk": (
        [
            "long-haul flight",
            "12 hour flight",
            "flight",
            "flew back",
            "after my knee operation",
            "in a cast",
            "plaster cast",
            "bed rest",
        ],
        ["a long walk", "an operation next month"],
    ),
    "dvt_words": (
        ["dvt", "deep vein thrombosis", "blood clot in my leg", "clot behind my knee"],
        ["blood clots", "clot in my period"],
    ),
    "one_leg_bigger": (
        [
            "one calf is bigger",
            "one leg looks more swollen",
            "leg is much fatter than the other",
            "calf is bigger than my left one",
        ],
        ["both legs are bigger", "legs are fat"],
    ),
    "bigger": (["bigger", "fatter", "thicker", "more swollen"], ["smaller", "swollen"]),
    "other_one": (["other", "other one", "left", "right one"], ["both", "same"]),
    "joint": (["knee", "ankles", "big toe", "fingers", "knuckle", "joints"], ["shin", "thigh", "kneel"]),
    "hot_or_red": (
        ["hot", "warm", "red", "reddish", "inflamed"],
        ["hot day", "warm weather", "hot bath", "red flags", "the red flag list"],
    ),
    "weather": (["day", "weather", "bath", "summer"], ["knee", "joint"]),
    "heat_treatment": (["hot water bottle", "heat pad", "warm bath", "deep heat"], ["hot knee", "heat rash"]),
    "hot_joint": (
        ["knee is hot", "wrist is swollen and warm", "red, hot toe", "red hot and swollen knee"],
        ["knee hurts, it's a hot day", "hot day, knee"],
    ),
    "swollen_or_tender": (["swollen", "puffy", "red", "tender"], ["tight", "stiff"]),
    "hot_or_swollen_joint": (["knee is hot", "ankle has swelled up", "red hot toe"], ["hot day", "swollen glands"]),
    "swollen_joint": (["ankle has swelled up", "knee is a bit swollen", "swollen knuckles"], ["swollen glands"]),
    "skin_damage": (
        [
            "a blister",
            "burnt my hand",
            "scalded",
            "a cut on my",
            "broken skin",
            "stitches",
            "a rash on my",
            "a big bruise on",
            "new scars",
            "scar from keyhole surgery",
            "a cannula",
            "may paso",
        ],
        ["burning pain", "it burns", "cut down on coffee", "a sore knee", "sore on the inside", "scared", "a scary op"],
    ),
    "joint_replacement": (
        ["artificial hip", "hip replacement", "had my hip replaced", "new hips", "THR"],
        ["hip pain", "replacement knee", "a new job"],
    ),
    "lost_sensation_area": (
        ["diabetic foot", "neuropathy in my feet", "peripheral neuropathy"],
        ["diabetic", "numb feet", "a foot rub"],
    ),
    "injury_event": (
        [
            "twisted",
            "sprained",
            "rolled my ankle",
            "went over on my ankle",
            "pulled a muscle",
            "fell",
            "banged",
            "stubbed",
            "got tackled",
            "hurt my knee playing football",
            "did my ankle in at netball",
            "at rugby training",
        ],
        ["fell asleep", "rolled over", "hurt my back", "watching football"],
    ),
    "swollen_or_bruised": (
        [
            "swollen",
            "swelling",
            "bruised",
            "bruising",
            "black and blue",
            "a lump came up",
            "it's puffy",
            "ballooned",
            "puffed up",
        ],
        ["red", "sore", "puff of air"],
    ),
    "varicose": (["varicose veins", "varicose", "bulging veins", "veins are bulging"], ["veins", "thread veins"]),
    "already_in_care": (
        [
            "in hospital now",
            "at the hospital",
            "the gp has seen him",
            "doctors are on it",
            "paramedics have been",
            "being looked after",
            "ambulance is on its way",
            "111 said",
        ],
        ["should i take him to hospital", "should he be in hospital?", "need a doctor"],
    ),
    "clinician": (["gp", "doctor", "doctors", "paramedics", "midwife", "111"], ["teacher", "1111"]),
    "whose": (["my", "his", "her", "their"], ["your", "our"]),
    "stiff_neck": (
        [
            "stiff neck",
            "neck is stiff",
            "can't touch his chin to his chest",
            "chin to her chest",
            "can't bend my neck",
            "stiff ang leeg",
            "cuello rígido",
            "pescoço duro",
        ],
        ["stiff back", "neck ache", "masakit ang leeg"],
    ),
    "child": (
        ["baby", "toddler", "son", "daughter", "little one", "6 year old", "two month old", "anak", "hija", "bebê"],
        ["babysitter", "sonar", "old man", "anaku", "bachelor"],
    ),
    "child_danger_sign": (
        [
            "rash that doesn't fade",
            "spots that don't go away",
            "purple spots",
            "is floppy",
            "really floppy",
            "hard to wake",
            "won't wake up",
            "high-pitched cry",
            "unresponsive",
        ],
        ["floppy toy", "floppy with tiredness", "rash", "sleepy"],
    ),
    "not_floppy": (["toy", "ears", "with tiredness"], ["and hot", "and sleepy"]),
    "child_rash": (
        ["rash that doesn't fade", "rash does not go white", "spots that don't fade", "non-blanching", "purple spots"],
        ["rash", "spots", "rash that fades"],
    ),
    "do_not_fade": (["doesn't fade", "don't go away", "don't disappear", "do not blanch"], ["fade", "goes away"]),
    "stroke_sign": (
        [
            "face is drooping",
            "his face has dropped",
            "mouth looks lopsided",
            "can't smile properly",
            "arm suddenly went weak",
            "slurred",
            "words coming out wrong",
            "words are coming out all wrong",
            "can't see out of one eye",
        ],
        ["a sagging sofa", "words", "one eye", "my face is not drooping", "face never dropped"],
    ),
    "one_eye_blind": (
        [
            "can't see out of one eye",
            "lost the vision in my left eye",
            "gone blind in one eye",
            "curtain coming down over my eye",
        ],
        ["can't see the screen", "one eye is itchy"],
    ),
    "one_eye": (["one eye", "my left eye", "his eye", "the right eye"], ["eyes", "both eyes"]),
}

# Groups tried inside a phrase: they are distances or look at the words around them.
PROBES = {
    "near": "numb{near}bum",
    "loosely_near": "numb{loosely_near}bum",
    "not_someone_elses": "{not_someone_elses}\\d\\d year old",
    "not_a_measure": "i'm \\d\\d{not_a_measure}",
    "to_go_for": "needed {to_go_for}wee",
    "and_typed": "pins {and_typed} needles",
    "not_fell_asleep": "{not_fell_asleep}asleep",
}


# zone: ([words that name it], [words that must not])
ZONE_EXAMPLES: dict[str, tuple[list[str], list[str]]] = {
    "leg": (["my leg", "both legs", "thigh", "shins"], ["legging", "calf"]),
    "calf": (["calf", "calves", "the back of my leg"], ["calfskin", "knee"]),
    "knee": (["knee", "knees", "kneecap"], ["kneel", "ankle"]),
    "ankle": (["ankle", "ankles", "achilles"], ["knee", "foot"]),
    "foot": (["foot", "feet", "big toe", "heel", "sole"], ["football", "ankle"]),
    "hip": (["hip", "hips"], ["hippo", "thigh"]),
    "wrist": (["wrist", "wrists"], ["hand", "elbow"]),
    "hand": (["hand", "fingers", "thumb", "knuckles", "kamay", "mão"], ["handle", "wrist", "manos"]),
    "elbow": (["elbow", "elbows"], ["arm", "wrist"]),
    "shoulder": (["shoulder", "shoulders"], ["arm", "neck"]),
    "neck": (["neck", "my neck"], ["necklace", "shoulder"]),
    "back": (["back", "lower back", "spine"], ["backpack", "neck", "back of my hand", "back of the knee"]),
}


def test_every_zone_has_examples_and_matches_them() -> None:
    assert set(ZONE_EXAMPLES) == set(LEXICON.zones), "every zone needs examples"
    for zone, (match, no_match) in ZONE_EXAMPLES.items():
        for text in match:
            assert LEXICON.zones[zone].search(normalise(text)), f"{zone} should match {text!r}"
        for text in no_match:
            assert not LEXICON.zones[zone].search(normalise(text)), f"{zone} should not match {text!r}"


def test_every_group_has_examples() -> None:
    missing = sorted(set(LEXICON.groups) - set(EXAMPLES))
    stale = sorted(set(EXAMPLES) - set(LEXICON.groups))
    assert not missing, f"groups without examples: {missing}"
    assert not stale, f"examples for groups that do not exist: {stale}"
    for name, (match, no_match) in EXAMPLES.items():
        assert match and no_match, f"{name} needs examples it must match and must not match"


@pytest.mark.parametrize("name", sorted(LEXICON.groups))
def test_group_matches_its_examples(name: str) -> None:
    pattern = phrase_pattern(PROBES.get(name, f"{{{name}}}"), LEXICON.groups)
    if name not in PROBES:
        assert not pattern.search(""), f"{name} matches nothing at all: give it a probe phrase"
    match, no_match = EXAMPLES.get(name, ([], []))
    for text in match:
        assert pattern.search(normalise(text)), f"{name} should match {text!r}"
    for text in no_match:
        assert not pattern.search(normalise(text)), f"{name} should not match {text!r}"


def test_no_line_of_the_lexicon_is_longer_than_120_characters() -> None:
    long_lines = [
        f"line {number}: {len(line)} characters"
        for number, line in enumerate(RED_FLAGS_FILE.read_text(encoding="utf-8").splitlines(), start=1)
        if len(line) > MAX_LINE
    ]
    assert not long_lines


def _references(value: object) -> set[str]:
    """Names used as {name} anywhere inside a YAML value."""
    if isinstance(value, str):
        return set(re.findall(r"\{([a-z_]\w*)\}", value))
    if isinstance(value, list):
        return set().union(*(_references(item) for item in value)) if value else set()
    if isinstance(value, dict):
        return set().union(*(_references(item) for item in value.values())) if value else set()
    return set()


def test_every_group_is_used() -> None:
    data = yaml.safe_load(RED_FLAGS_FILE.read_text(encoding="utf-8"))
    groups = data["groups"]
    used = _references({key: value for key, value in data.items() if key != "groups"})
    frontier = set(used)
    while frontier:
        frontier = set().union(*(_references(groups.get(name, [])) for name in frontier)) - used
        used |= frontier
    assert not sorted(set(groups) - used), "groups no flag, situation or pregnancy phrase uses"
