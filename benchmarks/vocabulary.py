"""Word lists for the synthetic handbook, written for this benchmark.

Plain data: the generator picks from these with a seeded random source, so
lunr sees an ordinary spread of English vocabulary plus invented names
(places, organisations, people) that grow with the size of the handbook.
"""

from __future__ import annotations

ADJECTIVES = ["active", "anxious", "bold", "brief", "broad", "busy", "calm", "careful", "cheap", "clear", "close", "common", "concrete", "confident", "costly", "crowded", "curious", "daily", "dense", "direct", "distant", "early", "eager", "easy", "even", "exact", "fair", "familiar", "fast", "fierce", "firm", "flexible", "formal", "fragile", "fresh", "friendly", "frugal", "full", "generous", "gentle", "global", "gradual", "handy", "hard", "healthy", "heavy", "honest", "hopeful", "hourly", "huge", "humble", "idle", "informal", "inner", "joint", "keen", "large", "late", "lean", "legal", "light", "limited", "literal", "local", "lively", "long", "loose", "loud", "loyal", "manual", "messy", "mild", "minor", "mobile", "modest", "monthly", "muddy", "mutual", "narrow", "neat", "nervous", "new", "noisy", "normal", "obvious", "odd", "official", "old", "open", "orderly", "outer", "partial", "patient", "plain", "polite", "poor", "popular", "practical", "precise", "private", "proud", "public", "quick", "quiet", "rapid", "rare", "raw", "ready", "real", "recent", "regional", "regular", "reliable", "remote", "rough", "rural", "safe", "scarce", "secure", "serious", "shared", "sharp", "short", "shy", "simple", "slow", "small", "smooth", "social", "solid", "spare", "special", "stable", "steady", "steep", "strict", "strong", "sturdy", "sudden", "sunny", "tall", "thin", "tidy", "tight", "tiny", "tired", "total", "tough", "urban", "urgent", "useful", "vague", "visible", "vital", "warm", "weekly", "whole", "wide", "wild", "wise", "young"]

NOUNS = ["account", "action", "address", "agenda", "agreement", "allowance", "answer", "apartment", "archive", "area", "argument", "assembly", "audience", "ballot", "banner", "barrier", "basket", "bench", "bicycle", "bill", "binder", "block", "board", "boat", "bottle", "branch", "bridge", "bucket", "budget", "building", "bulletin", "bus", "cabinet", "calendar", "campaign", "canteen", "card", "cart", "ceiling", "chair", "channel", "chapter", "chart", "checklist", "circle", "city", "clinic", "clipboard", "coalition", "coat", "committee", "community", "contact", "contract", "corner", "council", "county", "crate", "crew", "database", "deadline", "decision", "deposit", "desk", "dinner", "district", "donation", "door", "draft", "driver", "election", "email", "envelope", "event", "evening", "factory", "family", "farm", "fee", "festival", "field", "file", "flyer", "folder", "forecast", "form", "forum", "fund", "garden", "gate", "gathering", "goal", "grant", "group", "guide", "hall", "handbook", "harvest", "headline", "helper", "highway", "holiday", "house", "idea", "income", "invoice", "island", "journal", "kitchen", "ladder", "landlord", "lane", "ledger", "letter", "library", "list", "loan", "lunch", "machine", "manager", "map", "market", "meeting", "member", "message", "method", "minute", "mission", "model", "morning", "motion", "neighbour", "network", "newsletter", "notebook", "notice", "office", "organiser", "pamphlet", "parcel", "park", "partner", "pass", "payment", "petition", "phone", "plan", "platform", "pledge", "pocket", "policy", "poster", "pressure", "printer", "process", "project", "promise", "proposal", "question", "queue", "quota", "rally", "ratio", "receipt", "record", "region", "register", "report", "request", "reserve", "result", "review", "ribbon", "river", "road", "roster", "route", "rule", "schedule", "school", "season", "seat", "share", "shelf", "shift", "shop", "signal", "sign", "sketch", "skill", "spreadsheet", "square", "stall", "station", "story", "strategy", "street", "structure", "summary", "supply", "survey", "table", "target", "task", "team", "tenant", "ticket", "timeline", "tool", "tower", "town", "trade", "training", "train", "treasurer", "truck", "union", "van", "venue", "village", "visit", "volunteer", "voucher", "wage", "wall", "warehouse", "week", "window", "workshop", "worker", "year"]

# Regular verbs only, so the third person and past tense follow simple rules.
VERBS = ["accept", "add", "adjust", "allow", "answer", "arrange", "ask", "assign", "attend", "attract", "avoid", "book", "borrow", "brief", "call", "check", "clean", "collect", "compare", "connect", "consider", "contact", "count", "cover", "cross", "deliver", "design", "direct", "divide", "double", "draft", "earn", "end", "enlist", "enter", "expand", "explain", "fill", "finish", "fix", "follow", "form", "gather", "guard", "handle", "help", "host", "invite", "join", "keep", "launch", "learn", "lend", "list", "listen", "load", "look", "map", "mark", "measure", "mention", "mind", "miss", "need", "open", "order", "organise", "paint", "pair", "pass", "phone", "plan", "plant", "pledge", "point", "post", "prepare", "present", "print", "promise", "protect", "pull", "push", "record", "recruit", "remind", "rent", "repair", "repeat", "report", "request", "rest", "return", "review", "rotate", "schedule", "screen", "share", "shift", "sign", "sort", "start", "staff", "support", "survey", "talk", "thank", "track", "train", "trust", "turn", "visit", "wait", "walk", "want", "watch", "welcome", "work"]

ADVERBS = ["almost", "always", "briefly", "carefully", "clearly", "closely", "daily", "early", "easily", "eventually", "finally", "firmly", "frankly", "gently", "gradually", "honestly", "kindly", "later", "mostly", "nearly", "often", "openly", "partly", "patiently", "plainly", "quickly", "quietly", "rarely", "really", "regularly", "roughly", "slowly", "sometimes", "soon", "steadily", "together", "usually", "warmly", "weekly", "widely"]

PREPOSITIONS = ["after", "around", "at", "before", "behind", "beside", "between", "by", "during", "for", "from", "in", "inside", "near", "on", "outside", "through", "under", "with", "within"]

GROUPS = ["neighbours", "tenants", "volunteers", "members", "organisers", "students", "parents", "nurses", "drivers", "farmers", "teachers", "readers", "donors", "hosts", "callers", "canvassers", "cooks", "cleaners", "elders", "apprentices", "shopkeepers", "musicians", "cyclists", "gardeners"]

TIMES = """
tomorrow tonight|every week|each month|before the vote|after the meeting|on
Saturday|by Friday|within a day|over the summer|at the weekend|in the spring|
during the winter|every other evening|before noon|twice a year
""".replace("\n", " ").split("|")

# Syllables for invented proper nouns: places, organisations, people.
ONSETS = ["b", "br", "c", "ch", "d", "dr", "f", "g", "gl", "h", "j", "k", "l", "m", "n", "p", "pr", "qu", "r", "s", "sh", "st", "t", "th", "tr", "v", "w", "y", "z"]
VOWELS = ["a", "e", "i", "o", "u", "ai", "ea", "ie", "oa", "ou"]
CODAS = ["", "n", "r", "l", "s", "th", "nd", "rk", "st", "m", "ck", "ll", "ng", "x"]
PLACE_ENDINGS = ["ford", "ton", "by", "field", "haven", "mouth", "wick", "bridge", "stead", "moor", "vale", "port"]
ORG_KINDS = """
Collective|Union|Cooperative|Network|Alliance|Association|Assembly|Trust|
Fund|Council|Circle|Society|Project|Coalition|Guild
""".replace("\n", "").split("|")

# Rare words the search benchmark can look for; each sits in a few guides only.
DISTINCTIVE = ["brambleworth", "quillory", "marrowlight", "tessellwick"]
SEARCH_QUERY = "brambleworth"

TOPICS = [
    ("street-canvassing", "Street canvassing", "Talking with people where they live and walk, one door or corner at a time."),
    ("tenant-organising", "Tenant organising", "Renters acting together on repairs, rents and the people who own their homes."),
    ("workplace-power", "Workplace power", "Building strength on the job, from a first conversation to a recognised union."),
    ("food-and-care", "Food and care", "Shared kitchens, grocery runs and care rotas that neighbours run for each other."),
    ("climate-action", "Climate action", "Local campaigns on energy, transport and land that face the climate crisis."),
    ("member-dues", "Member dues", "Regular small payments that keep a group owned and steered by its members."),
    ("grants-and-trusts", "Grants and trusts", "Money from foundations and trusts, and the conditions that come with it."),
    ("event-fundraising", "Event fundraising", "Dinners, concerts, raffles and fairs that raise money and bring people in."),
    ("digital-outreach", "Digital outreach", "Messaging, lists and small websites used to reach and keep supporters."),
    ("training-and-leadership", "Training and leadership", "Teaching skills and growing people into organisers who train others."),
    ("local-elections", "Local elections", "Candidates, ballot measures and turnout for councils and school boards."),
    ("records-and-data", "Records and data", "Surveys, maps and records that show where power sits and what changed."),
]

SECTION_HEADINGS = {
    "tactic": ["What it is", "When to use it", "How to do it", "Roles and time", "What can go wrong", "Variations", "Measuring it"],
    "funding-model": ["How the money works", "Who it suits", "Setting it up", "Keeping it going", "Risks and strings", "Numbers to watch"],
    "case-study": ["Background", "What they did", "How they paid for it", "What happened", "What others can learn", "Timeline"],
}

TITLE_GERUNDS = ["canvassing", "mapping", "hosting", "pledging", "recruiting", "training", "phoning", "visiting", "listing", "sharing", "pooling", "lending", "gathering", "rotating", "tracking", "welcoming"]
