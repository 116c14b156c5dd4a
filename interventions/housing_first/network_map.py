"""The network map (netværkskort, 001:L2543-2567) drawn as a picture: the young
person in the centre, her relations around her grouped by type, a solid line
for a positive relation and a dashed one for a conflict-filled relation, a
square for a paid relation and a circle for an unpaid one, text labels on
everything and a legend, so nothing is told by colour alone.

Positions are computed here; the template `network_map_svg.html` draws them.
No JavaScript and no external library: the picture is plain SVG, printable
and readable by a screen reader through its title and description.
"""

from __future__ import annotations

import math
import textwrap
from collections.abc import Sequence
from dataclasses import dataclass, field

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from interventions.models import NetworkRelation, RelationType

WIDTH = 1000  # wide enough for a group label beside the ring on either side
MAP_HEIGHT = 820
LEGEND_HEIGHT = 110
CENTRE = (WIDTH / 2, MAP_HEIGHT / 2)
RADIUS = 255
CROWDED = 22  # more nodes than this: alternate two rings so the labels do not touch
RING_OFFSET = 40
SECTOR_INNER = 70
SECTOR_OUTER = RADIUS + 75
GROUP_LABEL_RADIUS = RADIUS + 100
LABEL_WIDTH = 16  # characters per label line
NODE_SIZE = 22

# Light fills, distinct in hue; the type is always written beside the group too.
FILLS = {
    RelationType.BIRTH_FAMILY: "#fde2c8",
    RelationType.FOSTER_FAMILY: "#fbd3e0",
    RelationType.FRIEND: "#d6ecff",
    RelationType.PEER: "#dbe7f3",
    RelationType.MENTOR_FAMILY: "#e6dcf7",
    RelationType.CIVIL_SOCIETY: "#d4f0dc",
    RelationType.PROFESSIONAL: "#e6e6e6",
}
POSITIVE_STROKE = "#1f5f3a"
CONFLICT_STROKE = "#a0221e"


@dataclass(frozen=True)
class Node:
    relation: NetworkRelation
    x: float
    y: float
    label_lines: list[str]
    label_y: float

    @property
    def conflict(self) -> bool:
        return self.relation.quality == NetworkRelation.Quality.CONFLICT

    @property
    def paid(self) -> bool:
        return self.relation.paid

    @property
    def fill(self) -> str:
        return FILLS.get(self.relation.relation_type, "#eeeeee")

    @property
    def stroke(self) -> str:
        return CONFLICT_STROKE if self.conflict else POSITIVE_STROKE

    @property
    def box(self) -> tuple[float, float, int]:
        """The square of a paid relation: left, top, side."""
        return round(self.x - NODE_SIZE, 1), round(self.y - NODE_SIZE, 1), 2 * NODE_SIZE

    @property
    def line_end(self) -> tuple[float, float]:
        """Where the line from the centre meets the node's edge."""
        cx, cy = CENTRE
        dx, dy = self.x - cx, self.y - cy
        length = math.hypot(dx, dy) or 1
        return round(self.x - dx / length * NODE_SIZE, 1), round(self.y - dy / length * NODE_SIZE, 1)

    @property
    def line_start(self) -> tuple[float, float]:
        cx, cy = CENTRE
        dx, dy = self.x - cx, self.y - cy
        length = math.hypot(dx, dy) or 1
        return round(cx + dx / length * CENTRE_RADIUS, 1), round(cy + dy / length * CENTRE_RADIUS, 1)

    @property
    def description(self) -> str:
        parts = [self.relation.name, self.relation.get_relation_type_display().lower()]
        parts.append(_("paid") if self.paid else _("unpaid"))
        parts.append(self.relation.get_quality_display().lower())
        return ", ".join(parts)


CENTRE_RADIUS = 56


@dataclass(frozen=True)
class GroupLabel:
    text: str
    x: float
    y: float
    anchor: str
    sector: str  # an SVG path: the light wedge behind the group, or "" for a whole ring
    fill: str


@dataclass
class NetworkMap:
    young_person_name: str
    nodes: list[Node] = field(default_factory=list)
    groups: list[GroupLabel] = field(default_factory=list)
    centre_lines: list[str] = field(default_factory=list)

    width: int = WIDTH
    height: int = MAP_HEIGHT + LEGEND_HEIGHT
    centre: tuple[float, float] = CENTRE
    centre_radius: int = CENTRE_RADIUS
    sector_inner: int = SECTOR_INNER
    sector_outer: int = SECTOR_OUTER
    node_size: int = NODE_SIZE
    legend_y: int = MAP_HEIGHT + 10
    positive_stroke: str = POSITIVE_STROKE
    conflict_stroke: str = CONFLICT_STROKE

    @property
    def title(self) -> str:
        return _("Network map of %(name)s") % {"name": self.young_person_name}

    @property
    def description(self) -> str:
        """The picture in words, for a screen reader: counts by type, paid and conflict."""
        if not self.nodes:
            return _("No current relations are recorded.")
        by_type: dict[str, list[Node]] = {}
        for node in self.nodes:
            by_type.setdefault(node.relation.get_relation_type_display(), []).append(node)
        groups = []
        for label, nodes in by_type.items():
            conflicts = sum(n.conflict for n in nodes)
            text = f"{label}: {len(nodes)}"
            if conflicts:
                text += (
                    " ("
                    + ngettext("%(n)s conflict-filled", "%(n)s conflict-filled", conflicts) % {"n": conflicts}
                    + ")"
                )
            groups.append(text)
        paid = sum(n.paid for n in self.nodes)
        summary = ngettext("%(n)s current relation", "%(n)s current relations", len(self.nodes)) % {
            "n": len(self.nodes)
        }
        paid_text = _("%(paid)s paid, %(unpaid)s unpaid") % {"paid": paid, "unpaid": len(self.nodes) - paid}
        return f"{summary}. {'; '.join(groups)}. {paid_text}."


def _wrap(text: str, width: int = LABEL_WIDTH, lines: int = 2) -> list[str]:
    wrapped = textwrap.wrap(text, width=width) or [""]
    if len(wrapped) > lines:
        wrapped = wrapped[:lines]
        wrapped[-1] = wrapped[-1][: width - 1] + "…"
    return wrapped


def _sector(first: float, last: float) -> str:
    """A ring segment from angle `first` to `last` (radians, clockwise)."""
    cx, cy = CENTRE
    large = 1 if last - first > math.pi else 0

    def point(radius: float, angle: float) -> str:
        return f"{cx + radius * math.cos(angle):.1f} {cy + radius * math.sin(angle):.1f}"

    return (
        f"M {point(SECTOR_INNER, first)} L {point(SECTOR_OUTER, first)} "
        f"A {SECTOR_OUTER} {SECTOR_OUTER} 0 {large} 1 {point(SECTOR_OUTER, last)} "
        f"L {point(SECTOR_INNER, last)} A {SECTOR_INNER} {SECTOR_INNER} 0 {large} 0 {point(SECTOR_INNER, first)} Z"
    )


LINE_HEIGHT = 20


def _label_y(y: float, angle: float, lines: list[str]) -> float:
    """The baseline of a node's first label line: above the node in the upper
    part of the map, below it elsewhere, so the line from the centre never
    crosses the label."""
    if math.sin(angle) < -0.35:
        return round(y - NODE_SIZE - 8 - (len(lines) - 1) * LINE_HEIGHT, 1)
    return round(y + NODE_SIZE + 20, 1)


def _type_order(relation: NetworkRelation) -> tuple[int, str]:
    return (list(RelationType.values).index(relation.relation_type), relation.name.lower())


def network_map(young_person_name: str, relations: Sequence[NetworkRelation]) -> NetworkMap:
    """Lay out the current relations (ended ones are left out of the picture):

    1. sort them by type, then name;
    2. give every relation a slot on a circle, with one empty slot between
       groups, so the groups stand apart;
    3. when crowded, put every other node on an inner or outer ring;
    4. label each group at the middle of its slots, outside the ring.
    """
    current = sorted((r for r in relations if r.ended_on is None), key=_type_order)
    result = NetworkMap(young_person_name=young_person_name, centre_lines=_wrap(young_person_name, 14, 2))
    if not current:
        return result
    groups: list[list[NetworkRelation]] = []
    for relation in current:
        if groups and groups[-1][0].relation_type == relation.relation_type:
            groups[-1].append(relation)
        else:
            groups.append([relation])
    slots = len(current) + (len(groups) if len(groups) > 1 else 0)
    step = 2 * math.pi / slots
    cx, cy = CENTRE
    slot = 0
    index = 0
    for group in groups:
        angles = []
        for relation in group:
            angle = -math.pi / 2 + slot * step  # start at the top, go clockwise
            radius = RADIUS
            if len(current) > CROWDED:
                radius += RING_OFFSET if index % 2 else -RING_OFFSET
            x, y = round(cx + radius * math.cos(angle), 1), round(cy + radius * math.sin(angle), 1)
            lines = _wrap(relation.name)
            result.nodes.append(Node(relation=relation, x=x, y=y, label_lines=lines, label_y=_label_y(y, angle, lines)))
            angles.append(angle)
            slot += 1
            index += 1
        slot += 1 if len(groups) > 1 else 0
        middle = math.atan2(sum(math.sin(a) for a in angles), sum(math.cos(a) for a in angles))
        gx = round(cx + GROUP_LABEL_RADIUS * math.cos(middle), 1)
        gy = round(cy + GROUP_LABEL_RADIUS * math.sin(middle), 1)
        anchor = "middle" if abs(math.cos(middle)) < 0.3 else ("start" if math.cos(middle) > 0 else "end")
        sector = _sector(angles[0] - step / 2, angles[-1] + step / 2) if len(groups) > 1 else ""
        result.groups.append(
            GroupLabel(
                text=str(group[0].get_relation_type_display()),
                x=gx,
                y=gy,
                anchor=anchor,
                sector=sector,
                fill=FILLS.get(group[0].relation_type, "#eeeeee"),
            )
        )
    return result
