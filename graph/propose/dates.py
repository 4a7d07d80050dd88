"""Dates as a text gives them, at its precision: "2017", "July 2024" → 2024-07, "4 July 2024" → 2024-07-04."""
import re
from dataclasses import dataclass

MONTHS = ["january", "february", "march", "april", "may", "june", "july", "august", "september",
          "october", "november", "december"]
_MONTH = "|".join(m.capitalize() for m in MONTHS)
YEAR = r"(?:19|20)\d{2}"
DATE = re.compile(
    rf"\b(?:(?P<d1>\d{{1,2}})\s+(?P<m1>{_MONTH})\s+(?P<y1>{YEAR})"         # 4 July 2024
    rf"|(?P<m2>{_MONTH})\s+(?P<d2>\d{{1,2}}),\s+(?P<y2>{YEAR})"             # July 4, 2024
    rf"|(?P<m3>{_MONTH})(?:\s+of)?\s+(?P<y3>{YEAR})"                          # July 2024, October of 2024
    rf"|(?P<y4>{YEAR})(?:\s*[-–]\s*(?P<y5>{YEAR}))?)(?!\d)")                 # 2017, 2022-2023


@dataclass(frozen=True)
class Date:
    start: int
    end: int
    value: str
    until: str | None = None   # the end of a range "2022-2023"


def dates(text: str, start: int = 0, end: int | None = None) -> list[Date]:
    out = []
    for m in DATE.finditer(text, start, len(text) if end is None else end):
        g = m.groupdict()
        year = g["y1"] or g["y2"] or g["y3"] or g["y4"]
        month = g["m1"] or g["m2"] or g["m3"]
        day = g["d1"] or g["d2"]
        value = year
        if month:
            value += f"-{MONTHS.index(month.lower()) + 1:02d}"
        if day:
            value += f"-{int(day):02d}"
        out.append(Date(m.start(), m.end(), value, g["y5"]))
    return out


def nearest(found: list[Date], pos: int) -> Date | None:
    return min(found, key=lambda d: abs(d.start - pos), default=None)
