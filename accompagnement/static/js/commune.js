// Suggestions for commune inputs (CommuneField): a <datalist> fed by the same-origin search.
// Progressive enhancement only: without JavaScript the server resolves what was typed.
(function () {
  "use strict";

  var timers = new WeakMap();
  var details = new WeakMap();
  var counter = 0;

  function listFor(input) {
    var id = input.getAttribute("list");
    if (id && document.getElementById(id)) { return document.getElementById(id); }
    var list = document.createElement("datalist");
    counter += 1;
    list.id = (input.id || "commune") + "-suggestions-" + counter;
    input.insertAdjacentElement("afterend", list);
    input.setAttribute("list", list.id);
    return list;
  }

  function showDetail(input) {
    var known = details.get(input) || {};
    var help = input.id ? document.getElementById(input.id + "-help") : null;
    if (help && known[input.value]) { help.textContent = known[input.value]; }
  }

  function suggest(input) {
    var text = input.value.trim();
    if (text.length < 2 || /\(\s*[0-9AB]{5}\s*\)$/i.test(text)) { showDetail(input); return; }
    var url = input.getAttribute("data-commune-search") + "?limit=10&q=" + encodeURIComponent(text);
    fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (response) { return response.ok ? response.json() : []; })
      .then(function (communes) {
        if (input.value.trim() !== text) { return; }
        var list = listFor(input);
        var known = {};
        list.replaceChildren();
        communes.forEach(function (commune) {
          var option = document.createElement("option");
          option.value = commune.label;
          option.textContent = commune.detail + (commune.postal_codes.length ? " · " + commune.postal_codes.join(" ") : "");
          list.appendChild(option);
          known[commune.label] = commune.detail;
        });
        details.set(input, known);
      })
      .catch(function () { /* the server still resolves the text on submit */ });
  }

  document.addEventListener("input", function (event) {
    var input = event.target;
    if (!(input instanceof HTMLInputElement) || !input.hasAttribute("data-commune-search")) { return; }
    showDetail(input);
    window.clearTimeout(timers.get(input));
    timers.set(input, window.setTimeout(function () { suggest(input); }, 150));
  });
})();
