/* The header on a phone (issue 10): the current page's name beside the menu button, and the
   menu entry of the current section marked. Without this script the page only lacks both. */
(function () {
  "use strict";
  function mark() {
    var here = document.querySelector("[data-here]");
    if (here) {
      here.textContent = document.title.split(" · ")[0];
    }
    var best = null, bestLength = 0, path = window.location.pathname;
    document.querySelectorAll(".mainnav a, .mywork").forEach(function (a) {
      var p = a.pathname;
      if (p && p !== "/" && path.indexOf(p) === 0 && p.length > bestLength) {
        best = a; bestLength = p.length;
      }
    });
    if (best) { best.setAttribute("aria-current", "page"); }
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", mark);
  } else {
    mark();
  }
})();
