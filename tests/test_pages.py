"""The setting that withholds source texts, on an in-process app (the other pages' tests: test_pages_app.py)."""
from support_pages import SCO, Page, withheld  # noqa: F401  (fixture)


# --- the withhold setting (in-process app on the same release) -------------------------------------

def test_withheld_source_text_keeps_quotes(withheld, release):
    r = withheld.get("/source/000_e80a9174165847db", headers={"Accept": "text/html"})
    assert r.status_code == 200
    p = Page(r.data.decode())
    assert "Much press coverage has focused on the SCO" not in p.text
    assert "withheld" in p.text
    assert "The organization added Belarus, a client state of Russia, as a full member." in p.marks
    r = withheld.get("/source/000_e80a9174165847db", headers={"Accept": "application/n-triples"})
    assert SCO + "text" not in r.data.decode()
    assert "The organization added Belarus" in r.data.decode()  # the evidence quotes stay
    e = Page(withheld.get("/id/belarus", headers={"Accept": "text/html"}).data.decode())
    assert "The organization added Belarus, a client state of Russia, as a full member." in e.text  # the references
    assert "Much press coverage" not in e.text
