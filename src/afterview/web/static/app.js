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
  document.addEventListener("DOMContentLoaded", function () { wire(document); });
  document.addEventListener("htmx:load", function (e) { wire(e.target); });
})();
