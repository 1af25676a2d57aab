// The API documentation page: Swagger UI (vendored) reading the document named by the page.
(function () {
  "use strict";
  var holder = document.getElementById("api-docs");
  if (!holder || typeof window.SwaggerUIBundle !== "function") {
    return;
  }
  window.SwaggerUIBundle({
    url: holder.getAttribute("data-document"),
    domNode: holder,
    validatorUrl: null,
    deepLinking: false,
    tryItOutEnabled: false,
  });
})();
