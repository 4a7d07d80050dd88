"""HTML documentation of the ontology, generated from the ontology graph itself.

pyLODE is not usable on Python 3.11 (3.4.1 crashes at import, later releases need 3.12), so the
page is our own Jinja template fed by SPARQL over the ontology's named graph: the ontology's
metadata, the class hierarchy, each class, property and role (SKOS concept) with label,
definition, super-terms, domain and range. Anchors are the terms' local names, so
https://w3id.org/sco-kg/ontology#State opens at its entry.
"""
from __future__ import annotations

from collections import OrderedDict

from ontology import vocab

from .page_model import humanize, local_name

PREFIXES = vocab.sparql_prologue()

OWL = vocab.OWL
KIND_NAMES = OrderedDict([
    (OWL + "Class", "Classes"),
    (OWL + "ObjectProperty", "Object properties"),
    (OWL + "DatatypeProperty", "Datatype properties"),
    (OWL + "AnnotationProperty", "Annotation properties"),
])


def _s(t):
    return None if t is None else t.value


def ontology(store, base_iri: str) -> dict:
    g = f"<{base_iri}graph/ontology>"
    ns = base_iri + "ontology#"
    onto = base_iri + "ontology"
    meta_rows = store.select(PREFIXES + f"""SELECT ?p ?o WHERE {{ GRAPH {g} {{ <{onto}> ?p ?o }} }}""")
    meta: dict[str, list[str]] = {}
    for r in meta_rows:
        meta.setdefault(r["p"].value, []).append(r["o"].value)
    rows = store.select(PREFIXES + f"""SELECT ?t ?kind ?label ?def ?comment ?super ?superLabel ?domain ?range ?scheme ?broader WHERE {{
  GRAPH {g} {{
    ?t a ?kind .
    FILTER(STRSTARTS(STR(?t), "{ns}"))
    OPTIONAL {{ ?t rdfs:label ?label }}
    OPTIONAL {{ ?t skos:definition ?def }}
    OPTIONAL {{ ?t rdfs:comment ?comment }}
    OPTIONAL {{ ?t rdfs:subClassOf|rdfs:subPropertyOf ?super . FILTER(isIRI(?super)) }}
    OPTIONAL {{ ?t rdfs:domain ?domain . FILTER(isIRI(?domain)) }}
    OPTIONAL {{ ?t rdfs:range ?range . FILTER(isIRI(?range)) }}
    OPTIONAL {{ ?t skos:inScheme ?scheme }}
    OPTIONAL {{ ?t skos:broader ?broader }}
  }}
}}""")
    labels = {}
    for r in store.select(PREFIXES + f"SELECT ?t ?l WHERE {{ GRAPH {g} {{ ?t rdfs:label ?l }} }}"):
        labels.setdefault(r["t"].value, r["l"].value)
    terms: dict[str, dict] = {}
    for r in rows:
        iri = r["t"].value
        t = terms.setdefault(iri, {"iri": iri, "name": local_name(iri), "label": _s(r.get("label")),
                                   "definition": _s(r.get("def")), "comment": _s(r.get("comment")),
                                   "kinds": set(), "supers": [], "domains": [], "ranges": [], "schemes": [],
                                   "broader": [], "subs": []})
        t["kinds"].add(r["kind"].value)
        for key, var in (("supers", "super"), ("domains", "domain"), ("ranges", "range"),
                         ("schemes", "scheme"), ("broader", "broader")):
            v = _s(r.get(var))
            if v and v not in t[key] and v != iri:
                t[key].append(v)
    for t in terms.values():
        for s in t["supers"]:
            if s in terms:
                terms[s]["subs"].append(t["iri"])
    sections = OrderedDict((name, []) for name in KIND_NAMES.values())
    sections["Roles and other concepts"] = []
    sections["Concept schemes"] = []
    sections["Individuals"] = []
    for t in sorted(terms.values(), key=lambda t: (t["label"] or t["name"]).lower()):
        kinds = t["kinds"]
        placed = False
        for k, name in KIND_NAMES.items():
            if k in kinds:
                sections[name].append(t)
                placed = True
                break
        if placed:
            continue
        if vocab.SKOS + "ConceptScheme" in kinds:
            sections["Concept schemes"].append(t)
        elif t["schemes"]:
            scheme = t["schemes"][0]
            name = labels.get(scheme) or humanize(scheme)
            if scheme.endswith("MembershipRoles"):
                name = "Roles: " + name
            sections.setdefault(name, []).append(t)
        elif vocab.SKOS + "Concept" in kinds or any(k.endswith("Role") for k in kinds):
            sections["Roles and other concepts"].append(t)
        else:
            sections["Individuals"].append(t)
    classes = {t["iri"] for t in sections["Classes"]}
    roots = sorted((t for t in sections["Classes"] if not any(s in classes for s in t["supers"])),
                   key=lambda t: (t["label"] or t["name"]).lower())

    def tree(t, seen=()):
        if t["iri"] in seen:
            return {"term": t, "children": []}
        kids = sorted((terms[s] for s in t["subs"] if s in classes), key=lambda k: (k["label"] or k["name"]).lower())
        return {"term": t, "children": [tree(k, seen + (t["iri"],)) for k in kids]}

    return {"iri": onto, "meta": meta, "sections": {k: v for k, v in sections.items() if v},
            "hierarchy": [tree(r) for r in roots], "labels": labels, "ns": ns,
            "label_of": lambda iri: labels.get(iri) or humanize(iri)}
