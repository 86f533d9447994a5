// The page behaviour that used to sit in inline attributes: the Content-Security-Policy
// allows no inline script or style, so every page loads this one file instead.
//   data-bar="37"           a progress bar's fill (percent, capped at 100)
//   data-autosubmit         a select that sends its form when changed
//   data-check-all="sel"    a checkbox that ticks or clears every box matching sel
(function () {
  "use strict";

  function drawBars(root) {
    root.querySelectorAll("[data-bar]").forEach(function (bar) {
      var percent = parseFloat(bar.getAttribute("data-bar"));
      bar.style.width = (isNaN(percent) ? 0 : Math.max(0, Math.min(percent, 100))) + "%";
    });
  }

  document.addEventListener("change", function (event) {
    var target = event.target;
    if (target.matches("select[data-autosubmit]") && target.form) {
      target.form.submit();
    }
  });

  document.addEventListener("click", function (event) {
    var box = event.target;
    if (box.matches("input[type=checkbox][data-check-all]")) {
      document.querySelectorAll(box.getAttribute("data-check-all")).forEach(function (other) {
        other.checked = box.checked;
      });
    }
  });

  document.addEventListener("DOMContentLoaded", function () { drawBars(document); });
  // Fragments swapped in by htmx (the quota counter) bring their own bars.
  document.addEventListener("htmx:load", function (event) { drawBars(event.target); });
})();
