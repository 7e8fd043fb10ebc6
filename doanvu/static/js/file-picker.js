/* File pickers in Vietnamese (common.forms.FilePickerInput): the browser's own button says
   "Choose File" in the browser's language, so the real input is visually hidden (still focusable
   and read by screen readers) and a label styled as a button says "Chọn tệp…"; this shows the
   chosen file names beside it, or the picker's data-empty text when none is chosen. */
(function () {
  "use strict";
  if (window.doanvuFilePicker) { return; }  // the widget may include this script more than once
  window.doanvuFilePicker = true;
  document.addEventListener("change", function (event) {
    var input = event.target;
    if (!(input instanceof HTMLInputElement) || input.type !== "file") { return; }
    var picker = input.closest(".file-picker");
    var out = picker && picker.querySelector(".file-picker-name");
    if (!out) { return; }
    var names = Array.prototype.map.call(input.files || [], function (f) { return f.name; });
    out.textContent = names.length ? names.join(", ") : picker.getAttribute("data-empty");
  });
})();
