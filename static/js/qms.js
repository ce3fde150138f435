/* Small behaviours of the pages, declared with data- attributes: the Content-Security-Policy
   runs no inline script or on…= handler, so every page behaviour lives here.

   data-autosubmit            on a field: submit its form when the value changes
   data-select-on-focus       on a field: select its whole text when it gets the focus
   data-copy="#id"            on a button: copy the value of #id; show data-done afterwards
   data-confirm="question"    on a form: ask before submitting */
(function () {
  "use strict";

  document.addEventListener("change", function (event) {
    var field = event.target;
    if (field.matches && field.matches("[data-autosubmit]") && field.form) {
      field.form.requestSubmit ? field.form.requestSubmit() : field.form.submit();
    }
  });

  document.addEventListener("focusin", function (event) {
    var field = event.target;
    if (field.matches && field.matches("[data-select-on-focus]")) {
      field.select();
    }
  });

  document.addEventListener("click", function (event) {
    var button = event.target.closest && event.target.closest("[data-copy]");
    if (!button) return;
    var source = document.querySelector(button.getAttribute("data-copy"));
    if (!source || !navigator.clipboard) return;
    navigator.clipboard.writeText(source.value).then(function () {
      if (button.dataset.done) button.textContent = button.dataset.done;
    });
  });

  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (form.matches && form.matches("[data-confirm]") && !window.confirm(form.dataset.confirm)) {
      event.preventDefault();
    }
  });
})();
