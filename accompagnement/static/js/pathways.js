// Pathway editor, progressive enhancement only: every operation also works without JavaScript
// (the "Move up"/"Move down" buttons, the "Save" button). Here: drag a row to move it (posting
// to the same move address), and the stage form's preview redrawn while an item is typed.
(function () {
  "use strict";

  function csrfToken() {
    var input = document.querySelector("input[name=csrf_token]");
    return input ? input.value : "";
  }

  function post(url, data) {
    return fetch(url, { method: "POST", body: data, credentials: "same-origin" });
  }

  function enableDragging(list) {
    var rows = Array.prototype.slice.call(list.querySelectorAll("li[data-move]"));
    var dragged = null;
    rows.forEach(function (row) {
      row.draggable = true;
      row.classList.add("draggable");
      row.addEventListener("dragstart", function (event) {
        dragged = row;
        event.dataTransfer.effectAllowed = "move";
        event.dataTransfer.setData("text/plain", row.dataset.index);
      });
      row.addEventListener("dragover", function (event) {
        if (dragged && dragged !== row) { event.preventDefault(); row.classList.add("drop-target"); }
      });
      row.addEventListener("dragleave", function () { row.classList.remove("drop-target"); });
      row.addEventListener("drop", function (event) {
        event.preventDefault();
        row.classList.remove("drop-target");
        if (!dragged || dragged === row) { return; }
        var data = new FormData();
        data.append("csrf_token", csrfToken());
        data.append("to", row.dataset.index);
        post(dragged.dataset.move, data).then(function () { window.location.reload(); });
      });
    });
  }

  function enableLivePreview(form) {
    var body = document.querySelector("[data-preview-body]");
    if (!body) { return; }
    var timer = null;
    function refresh() {
      post(form.dataset.previewUrl, new FormData(form))
        .then(function (answer) { return answer.ok ? answer.text() : null; })
        .then(function (html) { if (html !== null) { body.innerHTML = html; } });
    }
    form.addEventListener("input", function () {
      window.clearTimeout(timer);
      timer = window.setTimeout(refresh, 400);
    });
    form.addEventListener("change", refresh);
  }

  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("ol.pathway-rows").forEach(enableDragging);
    document.querySelectorAll("form[data-preview-url]").forEach(enableLivePreview);
  });
})();
