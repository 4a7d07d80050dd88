// The query page: YASGUI from our own static files, pointed at this server's /sparql, with only
// local autocompleters (no prefix.cc or LOV look-ups) and no persistence, so the page contacts
// no host but this one. Example buttons load a query into the editor.
(function () {
  "use strict";
  var examples = JSON.parse(document.getElementById("examples-data").textContent);
  var byId = {};
  examples.forEach(function (q) { byId[q.id] = q; });
  var first = examples.length ? examples[0].query : "SELECT * WHERE { ?s ?p ?o } LIMIT 10";
  var yasgui = new Yasgui(document.getElementById("yasgui"), {
    requestConfig: { endpoint: window.SCO_ENDPOINT, method: "POST" },
    copyEndpointOnNewTab: true,
    persistenceId: null,
    endpointCatalogueOptions: { getData: function () { return [{ endpoint: window.SCO_ENDPOINT }]; } },
    yasqe: { value: first, autocompleters: ["prefixes", "variables"], persistenceId: null },
    yasr: { persistenceId: null, prefixes: {} },
  });
  window.scoYasgui = yasgui;
  var tab = yasgui.getTab();
  if (tab && tab.setQuery) { tab.setQuery(first); }
  Array.prototype.forEach.call(document.querySelectorAll("button.example"), function (button) {
    button.addEventListener("click", function () {
      var q = byId[button.getAttribute("data-example")];
      var t = yasgui.getTab();
      t.setQuery(q.query);
      t.setName && t.setName(q.title);
      var yasqe = t.getYasqe && t.getYasqe();
      if (yasqe) { yasqe.focus(); }
      Array.prototype.forEach.call(document.querySelectorAll("button.example"), function (b) {
        b.setAttribute("aria-pressed", b === button ? "true" : "false");
      });
    });
  });
})();
