// Suggestions as you type in the header's search box: the names /search finds (its JSON, in the
// manner of Wikidata's wbsearchentities), each a link to its page. Arrow keys move through them,
// Escape closes them; without script the box still submits to /search.
(function () {
  "use strict";
  var input = document.getElementById("site-search");
  if (!input || !window.fetch) { return; }
  var list = document.createElement("ul");
  list.id = "site-search-suggestions";
  list.className = "suggestions";
  list.setAttribute("role", "listbox");
  list.setAttribute("aria-label", "Suggestions");
  list.hidden = true;
  input.parentNode.appendChild(list);
  input.setAttribute("aria-controls", list.id);
  input.setAttribute("aria-autocomplete", "list");
  input.setAttribute("aria-expanded", "false");
  var timer = null;
  var latest = 0;

  function close() {
    clearTimeout(timer);
    latest++;  // an answer still on its way is not shown
    list.textContent = "";
    list.hidden = true;
    input.setAttribute("aria-expanded", "false");
  }

  function show(hits) {
    list.textContent = "";
    hits.forEach(function (h) {
      var li = document.createElement("li");
      li.setAttribute("role", "option");
      var a = document.createElement("a");
      a.href = h.url;
      a.textContent = h.label;
      if (h.match && h.match.type === "alias") { a.textContent += " (" + h.match.text + ")"; }
      if (h.description) {
        var d = document.createElement("span");
        d.className = "small";
        d.textContent = " " + h.description;
        a.appendChild(d);
      }
      li.appendChild(a);
      list.appendChild(li);
    });
    list.hidden = hits.length === 0;
    input.setAttribute("aria-expanded", String(hits.length > 0));
  }

  input.addEventListener("input", function () {
    clearTimeout(timer);
    var q = input.value.trim();
    if (!q) { close(); return; }
    timer = setTimeout(function () {
      var ticket = ++latest;  // only the answer to the latest text is shown
      fetch("/search?limit=8&q=" + encodeURIComponent(q), { headers: { Accept: "application/json" } })
        .then(function (r) { return r.json(); })
        .then(function (data) { if (ticket === latest) { show(data.search || []); } })
        .catch(close);
    }, 120);
  });

  function links() { return Array.prototype.slice.call(list.querySelectorAll("a")); }

  input.addEventListener("keydown", function (e) {
    if (e.key === "ArrowDown" && links().length) { e.preventDefault(); links()[0].focus(); }
    if (e.key === "Escape") { close(); }
  });
  list.addEventListener("keydown", function (e) {
    var all = links();
    var i = all.indexOf(document.activeElement);
    if (e.key === "ArrowDown" && i < all.length - 1) { e.preventDefault(); all[i + 1].focus(); }
    if (e.key === "ArrowUp") { e.preventDefault(); (i > 0 ? all[i - 1] : input).focus(); }
    if (e.key === "Escape") { close(); input.focus(); }
  });
  document.addEventListener("click", function (e) {
    if (!list.contains(e.target) && e.target !== input) { close(); }
  });
})();
