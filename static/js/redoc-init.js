// Starts Redoc on the API docs page (a file, not an inline script: the Content Security Policy).
(() => {
  const container = document.getElementById("redoc-container");
  Redoc.init(container.dataset.schemaUrl, {}, container);
})();
