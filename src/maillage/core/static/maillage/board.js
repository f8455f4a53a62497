// Boards and backlogs: every move is a real form (buttons work with the keyboard, on a phone,
// and without JavaScript). This adds two things: dragging a card to another column with the
// mouse (it posts the same form), and, after a move, the focus back on the moved card with
// the move said aloud, so that a keyboard user can go on moving it.
(function () {
  "use strict";
  var dragged = null;

  function announce(container) {
    var notice = document.querySelector("[data-board-notice]");
    if (notice && container.dataset.notice) notice.textContent = container.dataset.notice;
    var card = container.dataset.moved && document.getElementById("item-" + container.dataset.moved);
    if (card) card.focus();
  }

  document.addEventListener("htmx:afterSwap", function (event) {
    var container = document.getElementById(event.detail.target.id) || event.detail.target;
    if (container && container.dataset) announce(container);
  });

  document.addEventListener("dragstart", function (event) {
    var card = event.target.closest && event.target.closest(".item-card[draggable]");
    if (!card) return;
    dragged = card;
    event.dataTransfer.effectAllowed = "move";
    event.dataTransfer.setData("text/plain", card.dataset.item);
  });

  document.addEventListener("dragover", function (event) {
    if (dragged && event.target.closest("[data-column]")) event.preventDefault();
  });

  document.addEventListener("drop", function (event) {
    var column = event.target.closest("[data-column]");
    if (!dragged || !column) return;
    event.preventDefault();
    var form = dragged.querySelector("[data-move-form]");
    dragged = null;
    if (!form || column.contains(form)) return;
    htmx.ajax("POST", form.getAttribute("action"), {
      source: form, target: "#board", swap: "outerHTML",
      values: { move: "column:" + column.dataset.column },
    });
  });

  document.addEventListener("dragend", function () { dragged = null; });
})();
