// Surveys: a question with a condition ("show B only if A = value") is hidden, and its inputs
// disabled so nothing is sent, while the condition does not hold. Without this script every
// question shows with its condition written under it, and the server refuses an answer to a
// hidden question with a message naming it.
(function () {
  "use strict";
  function valuesOf(form, code) {
    var out = [];
    form.querySelectorAll('[name="' + code + '"]').forEach(function (el) {
      if ((el.type === "radio" || el.type === "checkbox") && !el.checked) return;
      if (!el.disabled) out.push(el.value);
    });
    return out;
  }
  function refresh(form) {
    // repeat so a chain (C depends on B depends on A) settles
    for (var pass = 0; pass < 5; pass++) {
      form.querySelectorAll("[data-cond-code]").forEach(function (box) {
        var shown = valuesOf(form, box.dataset.condCode).indexOf(box.dataset.condValue) >= 0;
        box.hidden = !shown;
        box.querySelectorAll("input, textarea, select").forEach(function (el) {
          el.disabled = !shown;
        });
      });
    }
  }
  document.querySelectorAll("form.sur-answer").forEach(function (form) {
    form.querySelectorAll(".sur-cond").forEach(function (n) { n.hidden = true; });
    form.addEventListener("change", function () { refresh(form); });
    refresh(form);
  });
})();
