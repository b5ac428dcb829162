// Console behaviour that htmx does not cover. No inline script anywhere: the
// Content-Security-Policy forbids it.
(function () {
  "use strict";

  function flash(kind, text) {
    var box = document.getElementById("flash");
    if (!box) return;
    var p = document.createElement("p");
    p.className = "flash flash-" + kind;
    p.setAttribute("role", kind === "error" ? "alert" : "status");
    p.textContent = text;
    box.replaceChildren(p);
  }

  // A request that fails without a fragment to show still tells the user.
  document.addEventListener("htmx:responseError", function (e) {
    var xhr = e.detail.xhr;
    var status = xhr ? xhr.status : 0;
    if (xhr && xhr.responseText) return; // the server sent its own message
    if (status === 403) {
      flash("error", "The console refused this change (the page may be stale). Reload the page and try again.");
    } else {
      flash("error", "The request failed (HTTP " + status + "). Nothing was changed by the console; try again.");
    }
  });
  document.addEventListener("htmx:sendError", function () {
    flash("error", "The console could not be reached. Check your connection and try again.");
  });

  // On a narrow screen the navigation is one scrolling row: bring the
  // current page's link into it.
  document.addEventListener("DOMContentLoaded", function () {
    var nav = document.querySelector("header.top nav");
    var cur = nav && nav.querySelector('a[aria-current="page"]');
    if (cur && nav.scrollWidth > nav.clientWidth) {
      nav.scrollLeft = cur.offsetLeft - (nav.clientWidth - cur.offsetWidth) / 2;
    }
  });

  // Selects marked data-autosubmit submit their form when changed.
  document.addEventListener("change", function (e) {
    var el = e.target;
    if (el && el.matches && el.matches("[data-autosubmit]") && el.form) {
      if (el.form.requestSubmit) el.form.requestSubmit(); else el.form.submit();
    }
  });
})();
