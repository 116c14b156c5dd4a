// Buttons marked data-print open the browser's print dialogue (the print views of agreements, plans and maps).
document.addEventListener("DOMContentLoaded", () => {
  document.querySelectorAll("[data-print]").forEach((button) => button.addEventListener("click", () => window.print()));
});
