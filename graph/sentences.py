"""One plain English sentence per fact, built from its fields: the fact's rdfs:label and what
`sco-kg review` prints above the fact's quotes.

The sentence says only what the fields say, so a curator can check a fact by reading the
sentence against the quote. A fact no evidence reports (docs/interface.md, "How each source puts a
fact") is prefixed "Expected:", "Possibly:" or "According to others:", so it is never read as having happened; a
claim, which repeats its source's words, says instead how its source puts them ("003 suggests …").
"""
import calendar

from .curation import Entity
from .statements import Statement

# Entity types whose labels read as common nouns ("the SCO Secretariat", "the 2024 SCO summit in Astana").
_THE = {"IntergovernmentalOrganization", "OrganizationalBody", "Grouping", "Summit", "Meeting",
        "MinisterialMeeting", "MilitaryExercise", "Ceremony", "Crisis", "Conflict", "Charter", "Convention",
        "Declaration", "Strategy", "Memorandum", "JointStatement", "Initiative", "Agreement", "Treaty", "Project"}

_RELATIONS = {"allied-with": "is allied with", "affiliated-with": "is affiliated with", "borders": "borders"}

# How a role reads after "is" (CURATION.md's roles; "partner status" is the source's own term).
_ROLE_PHRASES = {"observer-or-dialogue-partner": "an observer state or dialogue partner",
                 "partner-status": "a holder of “partner status” in", "chair": "the chair"}

_NOT_REPORTED = {"expected": "Expected", "hedged": "Possibly", "attributed": "According to others"}
# A claim's sentence quotes its source; the verb says how the source puts it.
_CLAIM_VERBS = {"reported": "states", "expected": "expects", "hedged": "suggests",
                "attributed": "reports that others say"}
# "this year", "for the next year", "over the past year" (a fact's `period:`), as the sentence gives them.
_RELATIVE = {"this-year": " this year ({})", "next-year": " for the next year ({})", "past-year": " over the past year ({})"}


def factuality_of(st: Statement) -> str:
    """The statement's overall factuality: reported if any quote reports it, else expected, hedged, attributed."""
    found = {q.factuality for f in st.facts for q in f.quotes}
    return next(v for v in ("reported", "expected", "hedged", "attributed") if v in found)


def sentence(st: Statement, entities: dict[str, Entity]) -> str:
    """The sentence of one statement (all curated facts with the same IRI)."""
    overall = factuality_of(st)
    text = _Words(st, entities, overall).sentence()
    if st.kind.name == "Claim" or overall not in _NOT_REPORTED:
        return text
    return f"{_NOT_REPORTED[overall]}: {text}"


def date_phrase(value: str) -> str:
    """'in 2017', 'in July 2024', 'on 4 July 2024': at the precision the source gives."""
    parts = value.split("-")
    if len(parts) == 1:
        return f"in {value}"
    month = calendar.month_name[int(parts[1])]
    return f"in {month} {parts[0]}" if len(parts) == 2 else f"on {int(parts[2])} {month} {parts[0]}"


def _bare(value: str) -> str:
    return date_phrase(value).split(" ", 1)[1]


def _a(noun: str) -> str:
    return ("an " if noun[:1].lower() in "aeiou" else "a ") + noun


class _Words:
    """The fields of one fact as phrases; one method per kind builds its sentence."""

    def __init__(self, st: Statement, entities: dict[str, Entity], factuality: str = "reported"):
        self.fact, self.v, self.entities, self.factuality = st.facts[0], st.values, entities, factuality
        self.relative = next((f.period for f in st.facts if f.period), None)

    def sentence(self) -> str:
        text = getattr(self, "_" + self.fact.kind.name)()
        return text[:1].upper() + text[1:]

    # ---------------------------------------------------------------- phrases

    def e(self, name: str) -> str:
        value = self.v[name]
        slugs = value if isinstance(value, list) else [value]
        names = [self._name(self.entities[s]) for s in slugs]
        return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]

    @staticmethod
    def _name(entity: Entity) -> str:
        label = entity.label
        # No article before a name's possessive ("Narendra Modi's visit") or a label that has one.
        possessive = any(w.endswith(("'s", "’s")) for w in label.split()[:4])
        return label if entity.type not in _THE or possessive or label.lower().startswith("the ") else f"the {label}"

    def opt(self, name: str, template: str) -> str:
        """template filled with the field's phrase, or '' when the field is absent."""
        if name not in self.v:
            return ""
        type_ = next(f.type for f in self.fact.kind.fields if f.name == name)
        if type_ == "date":
            if self.relative == "this-year":
                return _RELATIVE["this-year"].format(self.v[name])
            return " " + date_phrase(self.v[name])
        return template.format(self.e(name) if type_ in ("entity", "entities") else self.v[name])

    def period(self) -> str:
        start, end = self.v.get("from"), self.v.get("until")
        if self.relative:
            return _RELATIVE[self.relative].format(
                _bare(start) if start == end else f"{_bare(start)} to {_bare(end)}")
        if start and start == end:
            return " " + date_phrase(start)
        if start and end:
            return f" from {_bare(start)} to {_bare(end)}"
        if end:
            return f" until {_bare(end)}"
        if self.v.get("ended"):
            return " (in the past; the source gives no end date)"
        return f" since {_bare(start)}" if start else ""

    def past(self) -> bool:
        return ("until" in self.v and self.relative in (None, "past-year")) or "ended" in self.v

    def role(self, of: str = " of") -> str:
        """The role as a noun phrase, with the preposition that joins it to the organization."""
        role = self.v["role"]
        phrase = _ROLE_PHRASES.get(role) or _a(role.replace("-", " "))
        return phrase if phrase.endswith(" in") else phrase + of

    # ---------------------------------------------------------------- kinds

    def _Membership(self):
        m, o, status = self.e("member"), self.e("organization"), self.opt("status", " ({})")
        if "from" in self.v and "until" not in self.v:
            return f"{m} became {self.role()} {o} {date_phrase(self.v['from'])}{status}"
        return f"{m} {'was' if self.past() else 'is'} {self.role()} {o}{self.period()}{status}"

    def _Chairmanship(self):
        return f"{self.e('chair')} {'chaired' if self.past() else 'chairs'} {self.e('organization')}{self.period()}"

    def _PostHolding(self):
        post = ("acting " if self.v.get("acting") else "") + self.e("post")
        verb = "was" if self.past() else ("has been" if "from" in self.v else "is")
        return f"{self.e('holder')} {verb} {post}{self.period()}"

    def _Attendance(self):
        return (f"{self.e('attendee')} attended {self.e('event')}{self.opt('representing', ' for {}')}"
                f"{self.opt('capacity', ' (as {})')}{self.period()}")

    def _Absence(self):
        return (f"{self.e('attendee')} did not attend {self.e('event')}{self.opt('representing', ' for {}')}"
                f"{self.period()}{self.opt('reason', ' (reason given: {})')}")

    def _Founding(self):
        return (f"{self.e('organization')} was founded{self.opt('founders', ' by {}')}"
                f"{self.opt('place', ' in {}')}{self.opt('date', '')}")

    def _Succession(self):
        return f"{self.e('successor')} succeeded {self.e('predecessor')}{self.opt('date', '')}"

    def _EventOccurrence(self):
        when = ""
        if "from" in self.v:
            when = f" from {_bare(self.v['from'])} to {_bare(self.v['until'])}" if "until" in self.v \
                else " " + date_phrase(self.v["from"])
        elif "until" in self.v:
            when = f" until {_bare(self.v['until'])}"
        return (f"{self.e('event')} took place{self.opt('place', ' in {}')}{when}"
                f"{self.opt('host', ', hosted by {}')}{self.opt('chair', ', chaired by {}')}")

    def _Participation(self):
        took = "took part" if self.v["took_part"] else "did not take part"
        return f"{self.e('participant')} {took} in {self.e('event')}"

    def _DocumentAdoption(self):
        return (f"{self.e('document')} was adopted{self.opt('adopted_by', ' by {}')}{self.opt('event', ' at {}')}"
                f"{self.opt('place', ' in {}')}{self.opt('date', '')}{self.opt('about', ': {}')}")

    def _StatedFigure(self):
        # The qualifier qualifies the figure ("more than 3 billion people", "around"): shown beside it.
        measure = self.v["measure"].replace("-", " ")
        figure = " ".join(str(x) for x in (self.v["value"], self.v.get("unit")) if x is not None)
        return (f"The {measure} of {self.e('subject')}: {figure}{self.opt('qualifier', ' ({})')}"
                f"{self.opt('date', '')}")

    def _BodyPlacement(self):
        return f"{self.e('body')} is a body of {self.e('parent')}{self.opt('seat', ', seated in {}')}"

    def _Response(self):
        did = "responded to" if self.v["responded"] else "did not respond to"
        return f"{self.e('responder')} {did} {self.e('event')}{self.opt('how', ': {}')}"

    def _MembershipInterest(self):
        role = f" as {self.role(of='')}" if "role" in self.v else ""
        return f"{self.e('state')} is a candidate to join {self.e('organization')}{role}{self.opt('date', '')}"

    def _NonMembership(self):
        return f"{self.e('state')} is not a member of {self.e('organization')}{self.opt('reason', ' ({})')}"

    def _Citation(self):
        notes = self.v.get("footnote")
        where = f"in footnote{'s' if len(notes) > 1 else ''} {', '.join(notes)}" if notes else "in the bibliography"
        return f"{self.fact.source[:3]} cites “{self.entities[self.v['work']].label}” {where}"

    def _Relation(self):
        relation = self.v["relation"]
        verb = _RELATIONS.get(relation, relation.replace("-", " "))
        return f"{self.e('subject')} {verb} {self.e('object')}{self.opt('date', '')}"

    def _Quotation(self):
        condition = f"{self.v['condition']} … " if "condition" in self.v else ""
        return (f"{self.e('speaker')} {self.v.get('verb', 'said')} about {self.e('about')}{self.opt('date', '')}: "
                f"“{condition}{self.v['words']}”")

    def _Claim(self):
        topic = f" ({self.v['topic'].replace('-', ' ')})" if "topic" in self.v else ""
        verb = _CLAIM_VERBS[self.factuality]
        # Every quote, so a statement split by a footnote marker reads whole.
        words = " … ".join(q.exact for q in self.fact.quotes)
        return f"{self.fact.source[:3]} {verb} about {self.e('about')}{topic}{self.period()}: “{words}”"

    def _WorkRecord(self):
        parts = [f"{label} {self.v[name] if isinstance(self.v[name], str) else ', '.join(self.v[name])}"
                 for name, label in (("authors", "by"), ("editors", "edited by"), ("venue", "in"),
                                     ("publisher", "published by"), ("doi", "DOI"), ("url", "at"))
                 if name in self.v]
        title = f", titled “{self.v['title']}”," if "title" in self.v else ""
        dated = self.opt("date", "") + (f", accessed {_bare(self.v['accessed'])}" if "accessed" in self.v else "")
        return (f"{self.fact.source[:3]} describes the work “{self.entities[self.v['work']].label}”{title}"
                f"{' ' + '; '.join(parts) if parts else ''}{dated}")
