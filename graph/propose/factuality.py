"""How a sentence puts what it says: reported, expected, hedged or attributed (the curation's values)."""
import re

ATTRIBUTED = re.compile(r"\b(some (?:argue|say|claim|believe)|it (?:can|could) be argued|critics (?:say|argue)|"
                        r"according to|(?:is|are) (?:said|claimed|alleged) to|reportedly)\b", re.I)
# Case-sensitive: "May" is a month.
HEDGED = re.compile(r"\b(could|may|might|[Pp]otential(?:ly)?|[Pp]ossibl[ey]|likely|[Pp]rospective|[Pp]erhaps)\b")
EXPECTED = re.compile(r"\b(will|is expected to|are expected to|upcoming|plans? to|is set to|are set to|"
                      r"is scheduled|are scheduled|is taking place|convene|attending include)\b", re.I)


def factuality(clause: str) -> str:
    for value, cue in (("attributed", ATTRIBUTED), ("hedged", HEDGED), ("expected", EXPECTED)):
        if cue.search(clause):
            return value
    return "reported"
