// The page behaviour that used to sit in inline attributes: the Content-Security-Policy
// allows no inline script or style, so every page loads this one file instead.
//   data-bar="37"           a progress bar's fill (percent, capped at 100)
//   data-autosubmit         a select that sends its form when changed
//   data-check-all="sel"    a checkbox that ticks or clears every box matching sel
//   data-select-eligible="sel"  a button that ticks boxes matching sel, in page order, up to
//                           the places left (#quota-counter's data-remaining) less those ticked
//   data-clear-ticks="sel"  a button that clears every box matching sel
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

  function changed(box) {
    // One change event for the form: the live counter (htmx) asks for the new count.
    if (box && box.form) { box.form.dispatchEvent(new Event("change", { bubbles: true })); }
  }

  document.addEventListener("click", function (event) {
    var button = event.target.closest("[data-select-eligible], [data-clear-ticks]");
    if (!button) { return; }
    var last = null;
    if (button.hasAttribute("data-clear-ticks")) {
      document.querySelectorAll(button.getAttribute("data-clear-ticks")).forEach(function (box) {
        if (box.checked) { box.checked = false; last = box; }
      });
      changed(last);
      return;
    }
    var counter = document.getElementById("quota-counter");
    var left = counter ? parseInt(counter.getAttribute("data-remaining"), 10) : NaN;
    var boxes = document.querySelectorAll(button.getAttribute("data-select-eligible"));
    var ticked = document.querySelectorAll("#registry input[name=person]:checked").length;
    var room = isNaN(left) ? boxes.length : Math.max(0, left - ticked);
    boxes.forEach(function (box) {
      if (!box.checked && room > 0) { box.checked = true; room -= 1; last = box; }
    });
    changed(last);
  });

  // A table box that scrolls sideways must be reachable by keyboard (WCAG 2.1.1): it gets a
  // tab stop and a name (its table's caption, or the heading before it). Boxes that fit
  // their content get neither, so the tab order is not cluttered.
  // A data table is never wider than the page: one left outside a scroll box gets one.
  function boxTables(root) {
    root.querySelectorAll("table.data").forEach(function (table) {
      var parent = table.parentElement;
      if (!parent || parent.classList.contains("table-wrap")) { return; }
      var box = document.createElement("div");
      box.className = "table-wrap";
      parent.insertBefore(box, table);
      box.appendChild(table);
    });
  }

  function labelScrollArea(box) {
    if (box.scrollWidth <= box.clientWidth + 1) {
      if (box.hasAttribute("data-auto-tab")) {
        box.removeAttribute("tabindex");
        box.removeAttribute("data-auto-tab");
      }
      return;
    }
    if (!box.hasAttribute("tabindex")) {
      box.setAttribute("tabindex", "0");
      box.setAttribute("data-auto-tab", "");
    }
    if (!box.hasAttribute("role")) { box.setAttribute("role", "region"); }
    if (!box.hasAttribute("aria-label") && !box.hasAttribute("aria-labelledby")) {
      var caption = box.querySelector("caption");
      var heading = box.previousElementSibling;
      while (heading && !/^H[1-6]$/.test(heading.tagName)) { heading = heading.previousElementSibling; }
      var name = (caption && caption.textContent) || (heading && heading.textContent) || document.title;
      box.setAttribute("aria-label", name.trim().replace(/\s+/g, " "));
    }
  }

  // Whether a box scrolls can change after it was labelled (fonts arriving, a panel swapped
  // in and laid out later, the window resized): each box is labelled again when its size or
  // its table's changes.
  var watcher = typeof ResizeObserver === "function" ? new ResizeObserver(function (entries) {
    entries.forEach(function (entry) {
      var box = entry.target.closest(".table-wrap, .scroll-area");
      if (box) { labelScrollArea(box); }
    });
  }) : null;
  var watched = typeof WeakSet === "function" ? new WeakSet() : null;

  function labelScrollAreas(root) {
    root.querySelectorAll(".table-wrap, .scroll-area").forEach(function (box) {
      labelScrollArea(box);
      if (watcher && watched && !watched.has(box)) {
        watched.add(box);
        watcher.observe(box);
        if (box.firstElementChild) { watcher.observe(box.firstElementChild); }
      }
    });
  }

  var resizeTimer = null;
  window.addEventListener("resize", function () {
    clearTimeout(resizeTimer);
    resizeTimer = setTimeout(function () { labelScrollAreas(document); }, 200);
  });

  document.addEventListener("DOMContentLoaded", function () {
    drawBars(document);
    boxTables(document);
    labelScrollAreas(document);
  });
  // Fragments swapped in by htmx (the quota counter) bring their own bars.
  document.addEventListener("htmx:load", function (event) {
    drawBars(event.target);
    boxTables(document);
    labelScrollAreas(document);
  });
})();
