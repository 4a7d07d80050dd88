"""A synthetic graph of SCO-KG's shape, of any size, for the endpoint benchmark (bench/endpoint.py).

Entities under /id/ with an English label; membership facts under /fact/ (org:member,
org:organization, org:role, org:memberDuring an interval with gYear instants) that
prov:wasDerivedFrom a source and carry sco:evidence: an evidence node with #target,
#quote (oa:exact) and #position (oa:start/oa:end) parts, as the real build writes them.
About 24 triples per fact, in the data and sources named graphs.

    .venv/bin/python bench/synth.py 1000000 > synth.nq
"""
import random
import sys

BASE = "https://w3id.org/sco-kg/"
DATA, SOURCES = f"<{BASE}graph/data>", f"<{BASE}graph/sources>"
RDF_TYPE = "<http://www.w3.org/1999/02/22-rdf-syntax-ns#type>"
LABEL = "<http://www.w3.org/2000/01/rdf-schema#label>"
ORG, PROV, OA, TIME = "http://www.w3.org/ns/org#", "http://www.w3.org/ns/prov#", "http://www.w3.org/ns/oa#", \
    "http://www.w3.org/2006/time#"
SCO = BASE + "ontology#"
XSD = "http://www.w3.org/2001/XMLSchema#"
TRIPLES_PER_FACT = 24
SOURCE_COUNT = 50
ORG_COUNT = 20


def entity(kind: str, i: int) -> str:
    return f"<{BASE}id/{kind}-{i}>"


def _q(s, p, o, g=DATA) -> str:
    return f"{s} {p} {o} {g} .\n"


def fact_quads(i: int, states: int, rng: random.Random):
    state, org = entity("state", rng.randrange(states)), entity("org", rng.randrange(ORG_COUNT))
    fact, ev = f"<{BASE}fact/membership/{i}>", f"{BASE}evidence/membership/{i}"
    source = f"<{BASE}source/src-{rng.randrange(SOURCE_COUNT)}>"
    interval, begin = f"<{BASE}fact/membership/{i}#interval>", f"<{BASE}fact/membership/{i}#begin>"
    start = rng.randrange(100_000)
    yield from (
        _q(fact, RDF_TYPE, f"<{ORG}Membership>"), _q(fact, RDF_TYPE, f"<{SCO}Fact>"),
        _q(fact, f"<{ORG}member>", state), _q(fact, f"<{ORG}organization>", org),
        _q(fact, f"<{ORG}role>", f"<{BASE}id/role-member>"), _q(fact, f"<{ORG}memberDuring>", interval),
        _q(interval, RDF_TYPE, f"<{TIME}Interval>"), _q(interval, f"<{TIME}hasBeginning>", begin),
        _q(begin, RDF_TYPE, f"<{TIME}Instant>"),
        _q(begin, f"<{TIME}inXSDgYear>", f'"{2001 + i % 24}"^^<{XSD}gYear>'),
        _q(fact, f"<{PROV}wasDerivedFrom>", source), _q(fact, f"<{SCO}evidence>", f"<{ev}>"),
        _q(f"<{ev}>", RDF_TYPE, f"<{SCO}Evidence>"), _q(f"<{ev}>", f"<{OA}hasTarget>", f"<{ev}#target>"),
        _q(f"<{ev}#target>", f"<{OA}hasSource>", source),
        _q(f"<{ev}#target>", f"<{OA}hasSelector>", f"<{ev}#quote>"),
        _q(f"<{ev}#target>", f"<{OA}hasSelector>", f"<{ev}#position>"),
        _q(f"<{ev}#quote>", RDF_TYPE, f"<{OA}TextQuoteSelector>"),
        _q(f"<{ev}#quote>", f"<{OA}exact>", f'"state {state[-6:-1]} joined in {2001 + i % 24}"'),
        _q(f"<{ev}#position>", RDF_TYPE, f"<{OA}TextPositionSelector>"),
        _q(f"<{ev}#position>", f"<{OA}start>", f'"{start}"^^<{XSD}integer>'),
        _q(f"<{ev}#position>", f"<{OA}end>", f'"{start + 30}"^^<{XSD}integer>'),
        _q(fact, LABEL, f'"membership {i}"@en'), _q(fact, f"<{SCO}confidence>", f'"{i % 3}"^^<{XSD}integer>'),
    )


def generate(triples: int, out, seed: int = 4) -> int:
    """Write about `triples` quads; returns the number of state entities (for the query mix)."""
    rng = random.Random(seed)
    facts = max(1, triples // TRIPLES_PER_FACT)
    states = max(10, facts // 20)
    for i in range(states):
        out.write(_q(entity("state", i), RDF_TYPE, f"<{SCO}State>") + _q(entity("state", i), LABEL, f'"State {i}"@en'))
    for i in range(ORG_COUNT):
        out.write(_q(entity("org", i), RDF_TYPE, f"<{ORG}Organization>") + _q(entity("org", i), LABEL, f'"Org {i}"@en'))
    for i in range(SOURCE_COUNT):
        out.write(_q(f"<{BASE}source/src-{i}>", f"<{SCO}text>", f'"source text {i}"', SOURCES))
    for i in range(facts):
        out.writelines(fact_quads(i, states, rng))
    return states


if __name__ == "__main__":
    generate(int(sys.argv[1]), sys.stdout)
