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
})();
