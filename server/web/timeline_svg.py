"""The membership timeline of an organization as server-rendered SVG (no JavaScript).

One row per member, one bar per (role, period) a source states. An end no source states is drawn
as unknown: a dashed, fading tail and a "?" (ending where the member's next role begins, if one
does, else at the axis end), never as a solid bar running to today next to the role that replaced it.
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
    if not bars:
        return {"svg": "", "undated": undated, "unreported": unreported, "roles": []}
    return {"svg": render(list(bars.values())), "undated": undated, "unreported": unreported,
            "roles": sorted({(b.role_label, role_class(b.role)) for b in bars.values()})}


def role_class(role: str) -> str:
    """The legend's CSS class for a role's colour (style.css), as the page's CSP allows no inline style."""
    return "role-" + (role.rsplit("#", 1)[-1] if role in ROLE_COLOURS else "other")


def _unknown_end(b: Bar, bars: list[Bar], y1: int) -> int:
    """Where a bar without a stated end stops being drawn: the member's next role's start, or the axis end."""
    later = [o.start for o in bars if o.member == b.member and o is not b and o.start > b.start]
    return min(later) if later else y1


def render(bars: list[Bar]) -> str:
    years = [b.start for b in bars] + [b.end for b in bars if b.end]
    y0, y1 = min(years), max(years) + 1
    if y1 - y0 < 5:
        y0 = y1 - 5
    rows: dict[str, list[Bar]] = {}
    for b in sorted(bars, key=lambda b: (min(x.start for x in bars if x.member == b.member), b.member_label, b.start)):
        rows.setdefault(b.member, []).append(b)
    label_w, chart_w, lane_h, gap, top = 120, 360, 16, 8, 30
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
    parts.append(f'<desc id="tl-desc">One row per member, {len(rows)} rows, years {y0} to {y1}; '
                 'bars show each role for the period a source states; the same data is in the memberships table.</desc>')
    step = 1 if y1 - y0 <= 12 else 2 if y1 - y0 <= 24 else 5
    for yr in range(y0 - y0 % step + (step if y0 % step else 0), y1 + 1, step):
        parts.append(f'<line x1="{x(yr):.1f}" y1="{top - 6}" x2="{x(yr):.1f}" y2="{height - 10}" stroke="#ddd"/>')
        parts.append(f'<text x="{x(yr):.1f}" y="{top - 10}" text-anchor="middle" fill="#333">{yr}</text>')
    for member, member_bars, lanes, ry, h in row_geometry:
        first = member_bars[0]
        parts.append(f'<a href="{escape(first.member_href)}"><text x="{label_w - 6}" y="{ry + h / 2 + 4:.1f}" '
                     f'text-anchor="end" fill="#0645ad">{escape(first.member_label)}</text></a>')
        for b in member_bars:
            lane = lanes.index(b.role)
            by = ry + lane * lane_h + 2
            colour = ROLE_COLOURS.get(b.role, DEFAULT_COLOUR)
            sources = ", ".join(sorted({s.rsplit('/', 1)[-1][:3] for f in b.facts for s in f.sources}))
            period = f"{b.start}–{b.end}" if b.end else f"from {b.start}, end not stated"
            tip = f"<title>{escape(f'{b.member_label}: {b.role_label}, {period}; sources {sources}')}</title>"
            bar_h = lane_h - 4
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
