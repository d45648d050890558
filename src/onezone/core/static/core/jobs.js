// A job's page refreshes its progress bar until the job has ended, then reloads once for the result.
(function () {
  "use strict";
  function start() {
    var page = document.getElementById("job");
    if (!page || page.dataset.finished === "1") { return; }
    var url = page.dataset.progressUrl;
    var every = parseInt(page.dataset.refreshMs, 10) || 2000;
    var failures = 0;
    function show(p) {
      document.getElementById("job-fill").style.width = p.percent + "%";
      document.getElementById("job-bar").setAttribute("aria-valuenow", String(p.percent));
      document.getElementById("job-percent").textContent = p.percent + "%";
      document.getElementById("job-count").textContent = p.total ? "（" + p.done + "/" + p.total + "）" : "";
      document.getElementById("job-message").textContent = p.message;
      var state = document.getElementById("job-state");
      state.textContent = p.state_label;
      state.className = "jb-state jb-" + p.state;
    }
    function poll() {
      fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } })
        .then(function (r) { if (!r.ok) { throw new Error(String(r.status)); } return r.json(); })
        .then(function (p) {
          failures = 0;
          show(p);
          if (p.finished) { window.location.reload(); } else { window.setTimeout(poll, every); }
        })
        .catch(function () {
          failures += 1;
          if (failures < 30) { window.setTimeout(poll, every * 2); }
        });
    }
    window.setTimeout(poll, every);
  }
  if (document.readyState === "loading") { document.addEventListener("DOMContentLoaded", start); } else { start(); }
})();
