// Project pages, progressive enhancement only: every page works without JavaScript.
(function () {
  "use strict";

  document.addEventListener("DOMContentLoaded", function () {
    // The print button of the summary only makes sense with JavaScript: show it then.
    document.querySelectorAll("[data-print]").forEach(function (button) {
      button.hidden = false;
      button.addEventListener("click", function () { window.print(); });
    });

    // A stage form with unsaved changes asks before the page is left by a link.
    document.querySelectorAll("form.stage-form").forEach(function (form) {
      var changed = false;
      form.addEventListener("input", function () { changed = true; });
      form.addEventListener("submit", function () { changed = false; });
      window.addEventListener("beforeunload", function (event) {
        if (changed) { event.preventDefault(); event.returnValue = ""; }
      });
    });
  });
})();
