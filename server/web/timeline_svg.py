"""The membership timeline of an organization as server-rendered SVG (no JavaScript).

One labelled row per member and role (a member's roles one under another, each named), one bar per
(role, period) a source states. An end derived from a later statement (the end instant is a
`sco:DerivedInstant`, `sco:derivedFrom` that statement) is drawn solid to that end with a dashed
closing edge and a tooltip saying it is derived. An end neither stated nor derived is drawn as
unknown: a dashed, fading tail and a "?" (ending where a later membership role of the member begins,
if one does, else at the axis end). A chair is a role held beside membership, so it never cuts a
membership bar short.
Memberships no source dates, and those no source reports (only expected or hedged), are listed
under the chart instead of being drawn. The drawing is sized in pixels inside a scrolling figure,
so its text stays legible on a 400 px screen instead of shrinking with the width.
"""
from __future__ import annotations

from dataclasses import dataclass
from html import escape

from .page_model import ORG, SCO, Fact

ROLE_COLOURS = {  # colour-blind-safe palette (Okabe–Ito)
    SCO + "foundingMember": "#009E73",
    SCO + "memberState": "#0072B2",
    SCO + "observerState": "#E69F00",
    SCO + "dialoguePartner": "#CC79A7",
    SCO + "partnerStatus": "#D55E00",
    SCO + "chair": "#000000",
    SCO + "member": "#56B4E9",
}
DEFAULT_COLOUR = "#777777"


@dataclass
class Bar:
    member: str
    member_label: str
    member_href: str
    role: str
    role_label: str
    start: int
    end: int | None
    facts: list
    derived_end: bool = False


def timeline(org_iri: str, facts: list[Fact], href) -> dict:
    """{'svg': markup or '', 'undated': [Fact], 'roles': [(label, colour)]}."""
    bars: dict[tuple, Bar] = {}
    undated, unreported = [], []
    for f in facts:
        if f.kind not in ("Membership", "Chairmanship"):
            continue
        orgs = [t.value for t in f.cell(ORG + "organization")]
        if org_iri not in orgs:
            continue
        members = f.cell(ORG + "member")
        roles = f.cell(ORG + "role") or []
        start, end = f.years()
        if not members:
            continue
        if not f.reported:
            unreported.append(f)
            continue
        if start is None:
            undated.append(f)
            continue
        m = members[0]
        role = roles[0] if roles else None
        role_iri = role.value if role else (SCO + "chair" if f.kind == "Chairmanship" else "")
        role_label = role.text if role else ("chair" if f.kind == "Chairmanship" else "member")
        key = (m.value, role_iri, start, end)
        bar = bars.setdefault(key, Bar(m.value, m.text, href(m.value), role_iri, role_label, start, end, []))
        bar.facts.append(f)
        bar.derived_end = bar.derived_end or bool(f.end_derived_from)
    if not bars:
        return {"svg": "", "undated": undated, "unreported": unreported, "roles": []}
    return {"svg": render(list(bars.values())), "undated": undated, "unreported": unreported,
            "roles": sorted({(b.role_label, role_class(b.role)) for b in bars.values()})}


def role_class(role: str) -> str:
    """The legend's CSS class for a role's colour (style.css), as the page's CSP allows no inline style."""
    return "role-" + (role.rsplit("#", 1)[-1] if role in ROLE_COLOURS else "other")


CHAIR = SCO + "chair"


def _unknown_end(b: Bar, bars: list[Bar], y1: int) -> int:
    """Where a bar without a stated end stops being drawn: the start of the member's next membership
    role (a chair does not replace membership), or the axis end."""
    later = [o.start for o in bars if o.member == b.member and o is not b and o.start > b.start
             and CHAIR not in (o.role, b.role)]
    return min(later) if later else y1


def render(bars: list[Bar]) -> str:
    years = [b.start for b in bars] + [b.end for b in bars if b.end]
    y0, y1 = min(years), max(years) + 1
    if y1 - y0 < 5:
        y0 = y1 - 5
    rows: dict[str, list[Bar]] = {}
    for b in sorted(bars, key=lambda b: (min(x.start for x in bars if x.member == b.member), b.member_label, b.start)):
        rows.setdefault(b.member, []).append(b)
    label_w, chart_w, lane_h, gap, top = 150, 360, 18, 8, 30
    width = label_w + chart_w + 20
    scale = chart_w / (y1 - y0)

    def x(year: float) -> float:
        return label_w + (year - y0) * scale

    parts = []
    # row layout: one lane per role within a row
    y = top
    row_geometry = []
    for member, member_bars in rows.items():
        lanes = sorted({b.role for b in member_bars}, key=lambda r: list(ROLE_COLOURS).index(r) if r in ROLE_COLOURS else 99)
        h = len(lanes) * lane_h
        row_geometry.append((member, member_bars, lanes, y, h))
        y += h + gap
    height = y + 10
    parts.append(f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" width="{width}" height="{height}" '
                 f'role="img" aria-labelledby="tl-title tl-desc" class="timeline" font-family="sans-serif" font-size="12">')
    parts.append('<title id="tl-title">Membership over time</title>')
    parts.append(f'<desc id="tl-desc">One row per member and role, {len(rows)} members, years {y0} to {y1}; '
                 'bars show each role for the period a source states; the same data is in the memberships table.</desc>')
    step = 1 if y1 - y0 <= 12 else 2 if y1 - y0 <= 24 else 5
    for yr in range(y0 - y0 % step + (step if y0 % step else 0), y1 + 1, step):
        parts.append(f'<line x1="{x(yr):.1f}" y1="{top - 6}" x2="{x(yr):.1f}" y2="{height - 10}" stroke="#ddd"/>')
        parts.append(f'<text x="{x(yr):.1f}" y="{top - 10}" text-anchor="middle" fill="#333">{yr}</text>')
    for member, member_bars, lanes, ry, h in row_geometry:
        first = member_bars[0]
        for lane, role in enumerate(lanes):
            # the member's name on its first lane; every lane of a member with several roles names its role
            role_label = next(b.role_label for b in member_bars if b.role == role)
            text = first.member_label if lane == 0 else ""
            if len(lanes) > 1:
                text = f"{text} · {role_label}" if text else role_label
            parts.append(f'<a href="{escape(first.member_href)}"><text x="{label_w - 6}" y="{ry + lane * lane_h + 13}" '
                         f'text-anchor="end" fill="#0645ad">{escape(text)}</text></a>')
        for b in member_bars:
            lane = lanes.index(b.role)
            by = ry + lane * lane_h + 2
            colour = ROLE_COLOURS.get(b.role, DEFAULT_COLOUR)
            sources = ", ".join(sorted({s.rsplit('/', 1)[-1][:3] for f in b.facts for s in f.sources}))
            period = (f"{b.start}–{b.end}" + (", end derived: it ends where a later role begins; no source states it"
                                              if b.derived_end else "")) if b.end else f"from {b.start}, end not stated"
            tip = f"<title>{escape(f'{b.member_label}: {b.role_label}, {period}; sources {sources}')}</title>"
            bar_h = lane_h - 4
            if b.end and b.derived_end:
                # solid up to the later role's start, closed by a dashed edge: derived, not stated
                w = max(x(b.end) - x(b.start), 3)
                parts.append(f'<g class="derived-end">{tip}'
                             f'<rect x="{x(b.start):.1f}" y="{by}" width="{w:.1f}" height="{bar_h}" rx="2" '
                             f'fill="{colour}" fill-opacity="0.9"/>'
                             f'<line x1="{x(b.start) + w:.1f}" y1="{by - 2}" x2="{x(b.start) + w:.1f}" y2="{by + bar_h + 2}" '
                             f'stroke="#333" stroke-width="2" stroke-dasharray="2 2"/></g>')
                continue
            if b.end:
                w = max(x(b.end + 1) - x(b.start), 3)
                parts.append(f'<rect x="{x(b.start):.1f}" y="{by}" width="{w:.1f}" height="{bar_h}" rx="2" '
                             f'fill="{colour}" fill-opacity="0.9" stroke="{colour}">{tip}</rect>')
                continue
            # the stated start year solid, then a dashed outline to where the end can lie at the latest
            solid = x(b.start + 1) - x(b.start)
            tail = max(x(_unknown_end(b, bars, y1)) - x(b.start + 1), 0)
            parts.append(f'<g class="unknown-end">{tip}'
                         f'<rect x="{x(b.start):.1f}" y="{by}" width="{solid:.1f}" height="{bar_h}" rx="2" '
                         f'fill="{colour}" fill-opacity="0.9"/>'
                         f'<rect x="{x(b.start + 1):.1f}" y="{by}" width="{tail:.1f}" height="{bar_h}" '
                         f'fill="{colour}" fill-opacity="0.12" stroke="{colour}" stroke-dasharray="3 3"/>'
                         f'<text x="{x(b.start + 1) + tail + 3:.1f}" y="{by + bar_h - 1}" fill="#333">?</text></g>')
    parts.append("</svg>")
    return "".join(parts)
