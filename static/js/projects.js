/* Project pages, enhanced when JavaScript is there.
 *
 * Without it everything works as served: each board card has its own small form (a select of the statuses
 * the project may move to, and a button), and the printable page is printed from the browser's menu.
 *
 * With it:
 * - board cards can be dragged to another column; dropping posts the same form with htmx, the server
 *   answers with the refreshed board (the card moved, or stayed with the reason shown above the board);
 *   dropping on "abandoned" only prepares the card's form, since an abandon needs a reason;
 * - [data-print] buttons open the print dialog. */
(function () {
  "use strict";
  var dragged = null;

  document.addEventListener("click", function (event) {
    if (event.target.closest("[data-print]")) { window.print(); }
  });

  if (typeof htmx === "undefined") { return; }

  function column(event) { return event.target.closest ? event.target.closest("[data-board-status]") : null; }

  document.addEventListener("dragstart", function (event) {
    var card = event.target.closest ? event.target.closest("[data-board-card]") : null;
    if (!card) { return; }
    dragged = card;
    card.classList.add("dragging");
    event.dataTransfer.effectAllowed = "move";
    event.dataTransfer.setData("text/plain", card.dataset.boardCard);
  });

  document.addEventListener("dragend", function () {
    if (dragged) { dragged.classList.remove("dragging"); }
    document.querySelectorAll(".drop-target").forEach(function (element) { element.classList.remove("drop-target"); });
  });

  document.addEventListener("dragover", function (event) {
    var target = column(event);
    if (!target || !dragged) { return; }
    event.preventDefault();
    document.querySelectorAll(".drop-target").forEach(function (element) {
      if (element !== target) { element.classList.remove("drop-target"); }
    });
    target.classList.add("drop-target");
  });

  document.addEventListener("drop", function (event) {
    var target = column(event);
    var card = dragged;
    dragged = null;
    if (!target || !card) { return; }
    event.preventDefault();
    target.classList.remove("drop-target");
    var status = target.dataset.boardStatus;
    if (status === card.dataset.status) { return; }
    var form = card.querySelector("form");
    if (status === "abandoned") {
      form.elements.to_status.value = status;
      form.elements.reason.focus();
      return;
    }
    htmx.ajax("POST", form.action, {
      source: form,
      values: { to_status: status },
      target: "#project-board",
      select: "#project-board",
      swap: "outerHTML"
    });
  });
})();
