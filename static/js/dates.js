// Dates are typed and shown as pp.kk.aaaa whatever the browser's locale: the input is
// text and the server reads it as Estonian (tugi/forms.py). Each input marked
// data-datepicker gets a calendar button beside it, which opens a month calendar
// (vanillajs-datepicker, static/vendor) below the input; a day picked there is written into
// the input in the same format. The calendar never rewrites what was typed: typing stays
// the main way in, for the keyboard too, and a short year ("31.12.26") is left for the
// server to read. Esc or a click elsewhere closes the calendar.
(function () {
  "use strict";

  var FORMAT = "dd.mm.yyyy";
  var ICON = '<svg xmlns="http://www.w3.org/2000/svg" width="18" height="18" viewBox="0 0 16 16" ' +
    'fill="currentColor" aria-hidden="true" focusable="false"><path d="M3.5 0a.5.5 0 0 1 .5.5V1h8V.5a.5.5 ' +
    '0 0 1 1 0V1h1a2 2 0 0 1 2 2v11a2 2 0 0 1-2 2H2a2 2 0 0 1-2-2V3a2 2 0 0 1 2-2h1V.5a.5.5 0 0 1 .5-.5M1 ' +
    '4v10a1 1 0 0 0 1 1h12a1 1 0 0 0 1-1V4z"/><path d="M4 7h2v2H4zm3 0h2v2H7zm3 0h2v2h-2zM4 10h2v2H4zm3 ' +
    '0h2v2H7z"/></svg>';
  var count = 0;

  function language() {
    var lang = (document.documentElement.lang || "et").slice(0, 2);
    return Datepicker.locales[lang] ? lang : "en";
  }

  // "31.12.2026" or "1.2.2026" as a date; anything else (being typed, a short year) as null.
  function typed(value) {
    var match = /^\s*(\d{1,2})\.(\d{1,2})\.(\d{4})\s*$/.exec(value || "");
    if (!match) return null;
    var day = new Date(+match[3], +match[2] - 1, +match[1]);
    return day.getDate() === +match[1] && day.getMonth() === +match[2] - 1 ? day : null;
  }

  function attach(input) {
    if (input.dataset.datepickerReady || !window.Datepicker) return;
    input.dataset.datepickerReady = "1";
    count += 1;

    var field = document.createElement("div");
    field.className = "date-field";
    var group = document.createElement("div");
    group.className = "input-group";
    input.parentNode.insertBefore(field, input);
    field.appendChild(group);
    group.appendChild(input);

    var button = document.createElement("button");
    button.type = "button";
    button.className = "btn btn-outline-secondary date-field-button";
    button.setAttribute("aria-label", input.dataset.pickerLabel || "");
    button.setAttribute("aria-expanded", "false");
    button.innerHTML = ICON;
    group.appendChild(button);

    var popup = document.createElement("div");
    popup.className = "date-popup";
    popup.id = "date-popup-" + count;
    popup.hidden = true;
    field.appendChild(popup);
    button.setAttribute("aria-controls", popup.id);

    var syncing = false;
    var picker = new Datepicker(popup, {
      format: FORMAT,
      language: language(),
      weekStart: 1,
      todayButton: true,
      todayButtonMode: 1,
      todayHighlight: true,
      buttonClass: "btn",
    });

    function close() {
      popup.hidden = true;
      button.setAttribute("aria-expanded", "false");
    }

    function open() {
      var day = typed(input.value);
      syncing = true;
      if (day) picker.setDate(day, { clear: true });
      else picker.setDate({ clear: true });
      syncing = false;
      popup.hidden = false;
      button.setAttribute("aria-expanded", "true");
    }

    popup.addEventListener("changeDate", function (event) {
      if (syncing || !event.detail.date) return;
      input.value = Datepicker.formatDate(event.detail.date, FORMAT);
      input.dispatchEvent(new Event("change", { bubbles: true }));
      close();
      input.focus();
    });
    button.addEventListener("click", function () {
      if (popup.hidden) open();
      else close();
    });
    field.addEventListener("keydown", function (event) {
      if (event.key === "Escape" && !popup.hidden) {
        close();
        button.focus();
      }
    });
    document.addEventListener("mousedown", function (event) {
      if (!popup.hidden && !field.contains(event.target)) close();
    });
  }

  function attachAll(root) {
    (root || document).querySelectorAll("input[data-datepicker]").forEach(attach);
  }

  document.addEventListener("DOMContentLoaded", function () { attachAll(document); });
  document.addEventListener("htmx:afterSwap", function (event) { attachAll(event.target); });
})();
