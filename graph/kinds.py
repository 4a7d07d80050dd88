"""The fact kinds curators write, and how each field maps to RDF.

One table drives loading, IRI minting and RDF generation, so a new kind or field is one
line here (plus its class and property in the ontology and its shape).
"""
from dataclasses import dataclass

from ontology.vocab import DCTERMS as DCT, ORG, SCO

# Value types of a field:
#   entity / entities: slug(s) of graph/data/entities;  role: a membership role;
#   start / end / date: a date at the source's precision;  text / texts: free text or a list of it
#   (hashed into the IRI);  date-literal: a second date of a fact, as a plain typed literal;
#   bool: true/false;  value: a number or words;  measure / relation / topic: a kebab-case concept name;
#   footnote: a footnote number or a list of them;  ended: true when a source puts a period in the past
#   without saying when it ended.
KEY_TYPES = ("entity", "entities", "role", "start", "end", "date", "date-literal", "bool", "value", "measure",
             "relation", "topic", "footnote", "ended")
TEXT_TYPES = ("text", "texts")
# When a fact holds: sources give these at different precisions, so they are not part of a statement's identity.
WHEN_TYPES = ("start", "end", "date", "ended")
# Where it happened: a source that does not say supports the statement of one that does (merged like dates).
WHERE_FIELDS = ("place",)


@dataclass(frozen=True)
class Field:
    name: str
    type: str
    prop: str = ""
    required: bool = False
    verbatim: bool = False   # the value must occur word for word in one of the fact's quotes
    manner: bool = False     # says how the source puts it (a quotation's verb, its condition), not what it states

    @property
    def identity(self) -> bool:
        """Whether the field tells one statement from another: structured values and verbatim words do; when it
        holds (merged across sources) and free text (capacity, reason, how) do not."""
        return (self.type not in WHEN_TYPES and self.name not in WHERE_FIELDS and not self.manner
                and (self.type not in TEXT_TYPES or self.verbatim))


@dataclass(frozen=True)
class Kind:
    name: str
    classes: tuple[str, ...]
    fields: tuple[Field, ...]
    # Membership periods use org:memberDuring (docs/interface.md); other facts sco:during.
    interval_prop: str = SCO + "during"
    fixed: tuple[tuple[str, str], ...] = ()   # (property, IRI) every node of the kind has
    # A claim has no field that tells two claims apart: its quotes do, so they are hashed into its IRI.
    quote_identity: bool = False
    # A one-off event: a `from` with no `until` is when it happened, an instant (sco:when), not an open interval.
    one_off: bool = False


def _f(name, type_, prop, required=False, verbatim=False, manner=False):
    return Field(name, type_, prop if prop.startswith("http") else SCO + prop, required, verbatim, manner)


PERIOD = (_f("from", "start", "during"), _f("until", "end", "during"))
WHEN = (_f("date", "date", "when"),)

KINDS = {k.name: k for k in (
    Kind("Membership", (SCO + "Membership", ORG + "Membership"), (
        _f("member", "entity", ORG + "member", True), _f("organization", "entity", ORG + "organization", True),
        _f("role", "role", ORG + "role", True), *PERIOD, _f("status", "text", "status")),
        interval_prop=ORG + "memberDuring"),
    Kind("Chairmanship", (SCO + "Chairmanship", SCO + "Membership", ORG + "Membership"), (
        _f("chair", "entity", ORG + "member", True), _f("organization", "entity", ORG + "organization", True),
        *PERIOD, _f("ended", "ended", "during")), interval_prop=ORG + "memberDuring", fixed=((ORG + "role", SCO + "chair"),)),
    Kind("PostHolding", (SCO + "PostHolding",), (
        _f("holder", "entity", "holder", True), _f("post", "entity", "post", True), *PERIOD,
        _f("ended", "ended", "during"), _f("acting", "bool", "acting"))),
    Kind("Attendance", (SCO + "Attendance",), (
        _f("attendee", "entity", "attendee", True), _f("event", "entity", "event", True),
        _f("representing", "entity", "representing"), _f("capacity", "text", "capacity"), *PERIOD)),
    Kind("Absence", (SCO + "Absence",), (
        _f("attendee", "entity", "attendee", True), _f("event", "entity", "event", True),
        _f("representing", "entity", "representing"), _f("reason", "text", "reason"), *PERIOD)),
    Kind("Founding", (SCO + "Founding", ORG + "ChangeEvent"), (
        _f("organization", "entity", ORG + "resultingOrganization", True), _f("founders", "entities", "founder"),
        *WHEN, _f("place", "entity", "place"))),
    Kind("Succession", (SCO + "Succession", ORG + "ChangeEvent"), (
        _f("predecessor", "entity", ORG + "originalOrganization", True),
        _f("successor", "entity", ORG + "resultingOrganization", True), *WHEN)),
    Kind("EventOccurrence", (SCO + "EventOccurrence",), (
        _f("event", "entity", "event", True), _f("place", "entity", "place"), *PERIOD,
        _f("host", "entity", "host"), _f("chair", "entity", "chairedBy")), one_off=True),
    Kind("Participation", (SCO + "Participation",), (
        _f("participant", "entity", "participant", True), _f("event", "entity", "event", True),
        _f("took_part", "bool", "tookPart", True))),
    Kind("DocumentAdoption", (SCO + "DocumentAdoption",), (
        _f("document", "entity", "document", True), _f("adopted_by", "entities", "adoptedBy"),
        _f("event", "entity", "event"), *WHEN, _f("place", "entity", "place"), _f("about", "text", "summary"))),
    Kind("StatedFigure", (SCO + "StatedFigure",), (
        _f("subject", "entity", "subject", True), _f("measure", "measure", "measure", True),
        _f("value", "value", "value", True), _f("unit", "text", "unit"), *WHEN, _f("qualifier", "text", "qualifier"))),
    Kind("BodyPlacement", (SCO + "BodyPlacement",), (
        _f("body", "entity", "body", True), _f("parent", "entity", "parent", True), _f("seat", "entity", "seat"))),
    Kind("Response", (SCO + "Response",), (
        _f("responder", "entity", "responder", True), _f("event", "entity", "event", True),
        _f("responded", "bool", "responded", True), _f("how", "text", "how"))),
    Kind("MembershipInterest", (SCO + "MembershipInterest",), (
        _f("state", "entity", "candidate", True), _f("organization", "entity", "targetOrganization", True),
        _f("role", "role", "soughtRole"), *WHEN)),
    Kind("NonMembership", (SCO + "NonMembership",), (
        _f("state", "entity", "candidate", True), _f("organization", "entity", "targetOrganization", True),
        _f("reason", "text", "reason"))),
    Kind("Citation", (SCO + "Citation",), (
        _f("work", "entity", "work", True), _f("footnote", "footnote", "footnote"))),
    Kind("Relation", (SCO + "Relation",), (
        _f("subject", "entity", "subject", True), _f("relation", "relation", "relationType", True),
        _f("object", "entity", "object", True), *WHEN)),
    Kind("Quotation", (SCO + "Quotation",), (
        _f("speaker", "entity", "speaker", True), _f("about", "entities", "about", True),
        _f("words", "text", "words", True, verbatim=True), *WHEN,
        # The source's verb ("wrote", "remarked") and the condition the words were said under, word for word.
        _f("verb", "text", "verb", verbatim=True, manner=True),
        _f("condition", "text", "condition", verbatim=True, manner=True))),
    Kind("Claim", (SCO + "Claim",), (
        _f("about", "entities", "about", True), _f("topic", "topic", "topic"), *PERIOD),
        quote_identity=True),
    # What one place of a source (a bibliography entry, a footnote) says about a cited work.
    Kind("WorkRecord", (SCO + "WorkRecord",), (
        _f("work", "entity", "work", True), _f("authors", "texts", "authorName", verbatim=True),
        _f("editors", "texts", "editorName", verbatim=True), _f("title", "text", DCT + "title", verbatim=True),
        _f("venue", "text", "venue", verbatim=True), _f("publisher", "text", DCT + "publisher", verbatim=True),
        *WHEN, _f("accessed", "date-literal", "accessed"), _f("doi", "text", "doi", verbatim=True),
        _f("url", "text", "url", verbatim=True))),
)}

# Shorthands: a curator writes the kind on the left with the fields it renames; the loader reads it as
# the kind on the right. `Leadership` ("Shehbaz Sharif of Pakistan", no office named) is a PostHolding
# of the post "leader of <state>", which the loader creates (CURATION.md).
ALIASES = {"Leadership": ("PostHolding", {"leader": "holder", "state": "post"})}

ROLES = {
    "member-state": "memberState", "founding-member": "foundingMember", "observer-state": "observerState",
    "dialogue-partner": "dialoguePartner", "observer-or-dialogue-partner": "observerOrDialoguePartner",
    "partner-status": "partnerStatus", "chair": "chair", "member": "member",
}

# Keys every fact may have besides its kind's fields.
COMMON_KEYS = {"kind", "quotes", "ref", "period"}

# `period:` a period the source gives relative to its own date (graph/data/sources.yaml `written`), as (from, until)
# offsets in years: "this year", "for the next year", "over the past year".
RELATIVE_PERIODS = {"this-year": (0, 0), "next-year": (0, 1), "past-year": (-1, 0)}

ENTITY_TYPES = {
    "State", "IntergovernmentalOrganization", "Organization", "OrganizationalBody", "Grouping", "Person",
    "Post", "City", "Region", "Venue", "Summit", "Meeting", "MinisterialMeeting", "MilitaryExercise",
    "Ceremony", "Crisis", "Conflict", "Charter", "Convention", "Declaration", "Strategy", "Memorandum",
    "JointStatement", "Initiative", "Agreement", "Treaty", "Project", "CitedWork", "LeaderPost",
}
ENTITY_KEYS = {"type", "label", "alt", "wikidata", "post_in", "doi", "url"}
