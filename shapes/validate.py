"""Run the SHACL shapes (pySHACL) and report violations a curator can act on.

Each violation names the rule (the node shape's label), the node at fault and the curated file
it came from. SPARQL constraints that police a whole class (SHACL 1.0 §5, pre-bound $this)
report the offending node as sh:value; that node, not the focus, is the one named.
"""
from collections import defaultdict
from dataclasses import dataclass
from functools import lru_cache

from pyshacl import validate as pyshacl_validate
from rdflib import RDFS, Graph, Namespace, URIRef
from rdflib.term import Node

from . import SHAPES_FILE

SH = Namespace("http://www.w3.org/ns/shacl#")


@dataclass(frozen=True)
class Violation:
    rule: str
    node: str
    file: str
    message: str

    def __str__(self) -> str:
        return f"  - {self.node} ({self.file}): {self.message}"


@lru_cache(maxsize=1)
def shapes_graph() -> Graph:
    return Graph().parse(SHAPES_FILE)


def validate_graph(data: Graph, origins: dict | None = None) -> tuple[bool, str]:
    """Validate `data` (data + sources + ontology); returns (conforms, readable report)."""
    violations = find_violations(data, origins or {})
    return not violations, summarise(violations)


def run_shapes(data: Graph) -> tuple[bool, Graph]:
    """pySHACL's verdict and its validation report graph (SHACL §3.6) for `data`."""
    conforms, report, text = pyshacl_validate(data, shacl_graph=shapes_graph(), inference="none",
                                              allow_warnings=True, advanced=False)
    if not isinstance(report, Graph):  # pySHACL could not run the shapes at all
        raise RuntimeError(f"the SHACL shapes could not be run: {text}")
    return conforms, report


def find_violations(data: Graph, origins: dict) -> list[Violation]:
    conforms, report = run_shapes(data)
    if conforms:
        return []
    shapes = shapes_graph()
    return [_violation(report, r, shapes, origins) for r in report.subjects(SH.resultSeverity, SH.Violation)]


def _violation(report: Graph, result: Node, shapes: Graph, origins: dict) -> Violation:
    focus = report.value(result, SH.focusNode)
    value = report.value(result, SH.value)
    is_sparql = report.value(result, SH.sourceConstraintComponent) == SH.SPARQLConstraintComponent
    node = value if is_sparql and isinstance(value, URIRef) else focus
    message = str(report.value(result, SH.resultMessage) or "violates the shape")
    return Violation(_rule_name(report.value(result, SH.sourceShape), shapes), str(node),
                     _origin(node, origins), message)


def _rule_name(shape: Node, shapes: Graph) -> str:
    owner = shapes.value(predicate=SH.property, object=shape) or shape
    label = shapes.value(owner, RDFS.label)
    local = str(owner).rsplit("#", 1)[-1] if isinstance(owner, URIRef) else "shape"
    return f"{local} ({label})" if label else local


def _origin(node: Node, origins: dict) -> str:
    """The curated file a node came from; fragment IRIs (#during, #quote, …) belong to their node."""
    iri = str(node)
    for key in (iri, iri.split("#", 1)[0]):
        files = origins.get(URIRef(key)) or origins.get(key)
        if files:
            return ", ".join(sorted(files))
    return "no curated file (generated or updated data)"


def summarise(violations: list[Violation]) -> str:
    if not violations:
        return "SHACL: conforms"
    by_rule: dict[str, list[Violation]] = defaultdict(list)
    for v in violations:
        by_rule[v.rule].append(v)
    lines = [f"SHACL: {len(violations)} violation(s) of {len(by_rule)} rule(s)"]
    for rule, vs in sorted(by_rule.items()):
        lines.append(f"rule {rule}: {len(vs)} violation(s)")
        lines.extend(str(v) for v in sorted(vs, key=lambda v: (v.file, v.node))[:20])
        if len(vs) > 20:
            lines.append(f"  … and {len(vs) - 20} more")
    return "\n".join(lines)
