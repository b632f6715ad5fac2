// Counters next to navigation entries ("Mes opportunités 3"): fetched after the page has loaded so that
// rendering a page never pays for them. Each badge names its JSON endpoint: {"count": n, "label": "…"}.
(function () {
  "use strict";
  document.querySelectorAll("[data-badge-url]").forEach(function (badge) {
    fetch(badge.dataset.badgeUrl, { headers: { Accept: "application/json" }, credentials: "same-origin" })
      .then(function (response) { return response.ok ? response.json() : null; })
      .then(function (data) {
        if (!data || !data.count) return;
        badge.textContent = data.count;
        badge.title = data.label;
        badge.setAttribute("aria-label", data.label);
        badge.hidden = false;
      })
      .catch(function () { /* a missing counter must never break the page */ });
  });
})();
