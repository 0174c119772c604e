// afterview: small enhancements; every page works without them.
(function () {
  "use strict";
  function wire(root) {
    root.querySelectorAll("button.copy[data-copy]").forEach(function (btn) {
      if (!navigator.clipboard || btn.dataset.wired) return;
      btn.dataset.wired = "1";
      btn.hidden = false;
      btn.addEventListener("click", function () {
        var source = document.getElementById(btn.dataset.copy);
        if (!source) return;
        navigator.clipboard.writeText(source.value).then(function () {
          btn.textContent = "Copied";
        });
      });
    });
  }
  // The set-up page: the browser knows the user's zone better than the server does.
  function fillZone(root) {
    root.querySelectorAll("input[data-browser-zone]").forEach(function (input) {
      var zone = "";
      try { zone = Intl.DateTimeFormat().resolvedOptions().timeZone || ""; } catch (e) { return; }
      if (!/^[A-Za-z0-9_+\-\/]{1,64}$/.test(zone) || zone === input.value) return;
      input.value = zone;
      var said = document.getElementById("zone-source");
      if (said) said.textContent = "This browser's zone.";
    });
  }
  document.addEventListener("DOMContentLoaded", function () { wire(document); fillZone(document); });
  document.addEventListener("htmx:load", function (e) { fillZone(e.target); });
  document.addEventListener("htmx:load", function (e) { wire(e.target); });

  // The board: a card dragged to another column posts its own move form (the one its
  // buttons post), with that column's stage chosen.
  function boardWire(root) {
    // a mouse (or a pen) drags; on a touch screen a drag would fight the scrolling
    if (!window.matchMedia || !window.matchMedia("(pointer: fine)").matches) return;
    root.querySelectorAll(".board .app-card").forEach(function (card) {
      card.draggable = true;
    });
    root.querySelectorAll(".if-drag").forEach(function (el) { el.hidden = false; });
  }
  document.addEventListener("DOMContentLoaded", function () { boardWire(document); });
  document.addEventListener("htmx:load", function (e) { boardWire(e.target); });
  var dragged = null;
  function column(e) {
    return e.target && e.target.closest ? e.target.closest(".board .column[data-stage]") : null;
  }
  function clearDrop() {
    document.querySelectorAll(".column.drop-here").forEach(function (c) {
      c.classList.remove("drop-here");
    });
  }
  document.addEventListener("dragstart", function (e) {
    var card = e.target && e.target.closest ? e.target.closest(".board .app-card") : null;
    if (!card) return;
    dragged = card;
    card.classList.add("dragging");
    e.dataTransfer.effectAllowed = "move";
    e.dataTransfer.setData("text/plain", card.id);
  });
  document.addEventListener("dragend", function () {
    if (dragged) dragged.classList.remove("dragging");
    dragged = null;
    clearDrop();
  });
  document.addEventListener("dragover", function (e) {
    var col = column(e);
    if (!dragged || !col) return;
    e.preventDefault();
    e.dataTransfer.dropEffect = "move";
    if (!col.classList.contains("drop-here")) {
      clearDrop();
      col.classList.add("drop-here");
    }
  });
  document.addEventListener("drop", function (e) {
    var col = column(e);
    if (!dragged || !col) return;
    e.preventDefault();
    var card = dragged;
    clearDrop();
    if (card.closest(".column") === col) return;
    var form = card.querySelector("form.move");
    if (!form || !form.elements.stage) return;
    form.elements.stage.value = col.dataset.stage;
    if (form.requestSubmit) form.requestSubmit(); else form.submit();
  });
})();
