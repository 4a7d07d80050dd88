// The query page: YASGUI from our own static files, pointed at this server's /sparql, with only
// local autocompleters (no prefix.cc or LOV look-ups) and no persistence, so the page contacts
// no host but this one. No inline script (the pages' CSP is 'self'): settings come from a JSON
// data block. Results read as a person reads them: IRIs shortened with the graph's prefixes and
// labelled, literals as their text (compact table), our IRIs linked to this server's pages.
// The query is kept in the page's address (?query=…), so a result can be shared.
(function () {
  "use strict";
  var config = JSON.parse(document.getElementById("query-config").textContent);
  var examples = JSON.parse(document.getElementById("examples-data").textContent);
  var byId = {};
  examples.forEach(function (q) { byId[q.id] = q; });
  var shared = config.query;
  var first = shared || config.start;  // the graph's prefixes declared, then a first query
  var yasgui = new Yasgui(document.getElementById("yasgui"), {
    requestConfig: { endpoint: config.endpoint, method: "POST" },
    copyEndpointOnNewTab: true,
    persistenceId: null,
    endpointCatalogueOptions: { getData: function () { return [{ endpoint: config.endpoint }]; } },
    yasqe: { value: first, autocompleters: ["prefixes", "variables"], persistenceId: null },
    yasr: { persistenceId: null, prefixes: config.prefixes },
  });
  window.scoYasgui = yasgui;

  function compactTable(tab) {
    var yasr = tab.getYasr && tab.getYasr();
    var table = yasr && yasr.plugins && yasr.plugins.table;
    if (table && table.persistentConfig) { table.persistentConfig.compact = true; }
    return yasr;
  }

  // Our own IRIs open this server's page; then each IRI cell gets its label, in one query.
  var IRI_OK = /^[^<>"{}|^`\\\s]+$/;
  function labelCells(root) {
    var links = Array.prototype.slice.call(root.querySelectorAll("a.iri:not([data-labelled])"));
    var wanted = {};
    links.forEach(function (a) {
      var iri = a.getAttribute("href");
      a.setAttribute("data-labelled", "1");
      if (iri.indexOf(config.base) === 0) {
        // no prefix of the graph covers its own entities: show them by their path on this server
        a.setAttribute("href", "/" + iri.slice(config.base.length));
        if (a.textContent === iri) { a.textContent = iri.slice(config.base.length); }
      }
      a.setAttribute("target", "_self");
      a.setAttribute("title", iri);
      if (IRI_OK.test(iri)) { (wanted[iri] = wanted[iri] || []).push(a); }
    });
    var iris = Object.keys(wanted).slice(0, 500);
    if (!iris.length) { return; }
    var query = "SELECT ?x ?l WHERE { VALUES ?x { " + iris.map(function (i) { return "<" + i + ">"; }).join(" ") +
      " } ?x <" + config.prefixes.rdfs + "label> ?l }";
    fetch(config.endpoint, {
      method: "POST",
      headers: { "Content-Type": "application/x-www-form-urlencoded", "Accept": "application/sparql-results+json" },
      body: "query=" + encodeURIComponent(query),
    }).then(function (r) { return r.ok ? r.json() : null; }).then(function (data) {
      if (!data) { return; }
      data.results.bindings.forEach(function (b) {
        (wanted[b.x.value] || []).forEach(function (a) {
          if (a.parentNode.querySelector(".term-label")) { return; }
          var span = document.createElement("span");
          span.className = "term-label";
          span.textContent = b.l.value;
          a.parentNode.insertBefore(span, a.nextSibling);
        });
      });
    });
  }

  function remember(query) {
    var url = new URL(window.location.href);
    url.searchParams.set("query", query);
    url.searchParams.delete("run");
    window.history.replaceState(null, "", url.pathname + "?" + url.searchParams.toString());
  }

  function wire(tab) {
    var yasr = compactTable(tab);
    var yasqe = tab.getYasqe && tab.getYasqe();
    if (yasqe && !yasqe.scoWired) {
      yasqe.scoWired = true;
      yasqe.on("query", function () { remember(yasqe.getValue()); });
    }
    if (yasr && !yasr.scoWired) {
      yasr.scoWired = true;
      yasr.on("drawn", function () { labelCells(yasr.rootEl || document.getElementById("yasgui")); });
    }
    return yasqe;
  }

  var tab = yasgui.getTab();
  if (tab && tab.setQuery) { tab.setQuery(first); }
  var yasqe = wire(tab);
  yasgui.on("tabChange", function () { wire(yasgui.getTab()); });
  if (shared && yasqe) { yasqe.query(); }

  Array.prototype.forEach.call(document.querySelectorAll("button.example"), function (button) {
    button.addEventListener("click", function () {
      var q = byId[button.getAttribute("data-example")];
      var t = yasgui.getTab();
      t.setQuery(q.query);
      if (t.setName) { t.setName(q.title); }
      var editor = wire(t);
      if (editor) { editor.focus(); }
      Array.prototype.forEach.call(document.querySelectorAll("button.example"), function (b) {
        b.setAttribute("aria-pressed", b === button ? "true" : "false");
      });
      var menu = button.closest("details");
      if (menu) { menu.open = false; }
    });
  });
})();
