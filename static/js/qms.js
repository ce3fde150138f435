/* Small behaviours of the pages, declared with data- attributes: the Content-Security-Policy
   runs no inline script or on…= handler, so every page behaviour lives here.

   data-autosubmit            on a field: submit its form when the value changes
   data-select-on-focus       on a field: select its whole text when it gets the focus
   data-copy="#id"            on a button: copy the value of #id; show data-done afterwards
   data-confirm="question"    on a form: ask before submitting
   data-maxlength="400"       on a text field: a counter under it once the text nears the
                              limit, red past it (the form refuses a longer text with a
                              message; nothing is cut)
   data-busy="Preparing…"     on a download link: a spinner and these words on it until the
                              file arrives (qms.lib.middleware.DownloadDoneMiddleware); on a
                              form: on its submit button until the next page comes
   .is-invalid                the first field the server refused gets the focus */
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

  function counterOf(field) {
    var counter = field.nextElementSibling;
    if (!counter || !counter.classList.contains("qms-counter")) {
      counter = document.createElement("div");
      counter.className = "form-text text-end qms-counter";
      counter.setAttribute("aria-live", "polite");
      field.insertAdjacentElement("afterend", counter);
    }
    return counter;
  }

  function count(field) {
    var limit = parseInt(field.dataset.maxlength, 10);
    var used = field.value.length;
    var counter = counterOf(field);
    // Quiet until the text nears its limit: most fields never come close.
    counter.textContent = used >= limit * 0.8 ? used + " / " + limit : "";
    counter.classList.toggle("text-danger", used > limit);
  }

  document.addEventListener("input", function (event) {
    var field = event.target;
    if (field.matches && field.matches("[data-maxlength]")) count(field);
  });

  function ready() {
    document.querySelectorAll("[data-maxlength]").forEach(count);
    var refused = document.querySelector(".is-invalid");
    if (refused) refused.focus();
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", ready);
  } else {
    ready();
  }

  function showBusy(element, words) {
    var before = Array.prototype.slice.call(element.childNodes);
    var spinner = document.createElement("span");
    spinner.className = "spinner-border spinner-border-sm me-1";
    spinner.setAttribute("aria-hidden", "true");
    element.replaceChildren(spinner, document.createTextNode(words));
    element.classList.add("disabled");
    element.setAttribute("aria-disabled", "true");
    element.setAttribute("aria-busy", "true");
    element.qmsDone = function () {
      element.replaceChildren.apply(element, before);
      element.classList.remove("disabled");
      element.removeAttribute("aria-disabled");
      element.removeAttribute("aria-busy");
    };
    return element.qmsDone;
  }

  function arrived(token) {
    return document.cookie.split("; ").indexOf("qms_download=" + token) !== -1;
  }

  document.addEventListener("click", function (event) {
    var link = event.target.closest && event.target.closest("a[data-busy]");
    if (!link || event.defaultPrevented || event.ctrlKey || event.metaKey || event.shiftKey) return;
    event.preventDefault();
    if (link.getAttribute("aria-busy") === "true") return;  // one file at a time
    var token = Date.now().toString(36) + Math.random().toString(36).slice(2, 10);
    var url = new URL(link.href, window.location.href);
    url.searchParams.set("download", token);
    var done = showBusy(link, link.dataset.busy);
    var started = Date.now();
    var timer = window.setInterval(function () {
      if (arrived(token) || Date.now() - started > 180000) {
        window.clearInterval(timer);
        done();
      }
    }, 300);
    window.location.href = url.toString();
  });

  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (form.matches && form.matches("[data-confirm]") && !window.confirm(form.dataset.confirm)) {
      event.preventDefault();
      return;
    }
    if (form.matches && form.matches("[data-busy]")) {
      var button = form.querySelector("button[type=submit], button:not([type])");
      if (button && button.getAttribute("aria-busy") !== "true") showBusy(button, form.dataset.busy);
    }
  });

  // Back to a page left while busy (the browser's cache of the page): nothing is busy now.
  window.addEventListener("pageshow", function (event) {
    if (!event.persisted) return;
    document.querySelectorAll("[aria-busy=true]").forEach(function (element) {
      if (element.qmsDone) element.qmsDone();
    });
  });
})();

/* data-formset-add="#tbody" data-formset-template="#template" data-formset-prefix="p"
   on a button: add one more empty row of a Django formset (the template holds
   formset.empty_form; its __prefix__ becomes the next index and TOTAL_FORMS grows). */
(function () {
  "use strict";

  document.addEventListener("click", function (event) {
    var button = event.target.closest && event.target.closest("[data-formset-add]");
    if (!button) return;
    var rows = document.querySelector(button.dataset.formsetAdd);
    var template = document.querySelector(button.dataset.formsetTemplate);
    var total = document.getElementById("id_" + button.dataset.formsetPrefix + "-TOTAL_FORMS");
    if (!rows || !template || !total) return;
    var index = parseInt(total.value, 10) || 0;
    var holder = document.createElement("tbody");
    holder.innerHTML = template.innerHTML.replace(/__prefix__/g, String(index));
    while (holder.firstElementChild) rows.appendChild(holder.firstElementChild);
    total.value = String(index + 1);
    var first = rows.lastElementChild && rows.lastElementChild.querySelector("select, input:not([type=hidden])");
    if (first) first.focus();
  });
})();
