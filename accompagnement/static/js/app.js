// Progressive enhancement only: every page works without JavaScript.
(function () {
  "use strict";

  // Repeating groups: "add" clones the last empty template row client-side instead of a round trip.
  function renumber(container) {
    var items = container.querySelectorAll("[data-group-item]");
    items.forEach(function (item, index) {
      item.querySelectorAll("[name]").forEach(function (input) {
        input.name = input.name.replace(/-\d+-/, "-" + index + "-");
        if (input.id) { input.id = input.id.replace(/-\d+-/, "-" + index + "-"); }
      });
      item.querySelectorAll("label[for]").forEach(function (label) {
        label.htmlFor = label.htmlFor.replace(/-\d+-/, "-" + index + "-");
      });
    });
  }

  document.addEventListener("click", function (event) {
    var target = event.target;
    if (!(target instanceof HTMLElement)) { return; }
    if (target.matches("[data-confirm]") && !window.confirm(target.getAttribute("data-confirm"))) {
      event.preventDefault();
    }
  });

  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("[data-group]").forEach(renumber);
  });
})();
