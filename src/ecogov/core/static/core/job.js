// A background job's page (templates/core/job.html): while the job runs, ask for its progress
// every second and move the bar; when it has ended, reload to show the outcome. No library.
(function () {
  "use strict";
  var box = document.getElementById("job-progress");
  if (!box || box.dataset.finished === "1") { return; }
  var bar = document.getElementById("job-bar");
  var meter = document.getElementById("job-bar-box");  // role=progressbar: its value is read aloud
  var text = document.getElementById("job-text");
  var left = document.getElementById("job-left");
  function minutes(seconds) {
    if (seconds === null || seconds === undefined) { return ""; }
    if (seconds < 60) { return "预计还需 " + seconds + " 秒"; }
    return "预计还需 " + Math.ceil(seconds / 60) + " 分钟";
  }
  function tick() {
    fetch(box.dataset.url, {credentials: "same-origin", headers: {"Accept": "application/json"}})
      .then(function (response) { return response.json(); })
      .then(function (p) {
        if (p.finished) { window.location.reload(); return; }
        var percent = p.percent || 0;
        bar.style.width = percent + "%";
        meter.setAttribute("aria-valuenow", String(percent));
        var line = p.state_label;
        if (p.stage) { line = p.stage; }
        if (p.total) { line += ":" + (p.done || 0) + " / " + p.total + " 行"; }
        text.textContent = line + "(" + percent + "%)";
        left.textContent = minutes(p.seconds_left);
        window.setTimeout(tick, 1000);
      })
      .catch(function () { window.setTimeout(tick, 3000); });
  }
  window.setTimeout(tick, 500);
})();
