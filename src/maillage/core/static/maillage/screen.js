// The hall's display (and the console): full screen on a key press (F) or its button, and the
// phase's timer counting down (the page says the planned end without script).
(function () {
  "use strict";
  document.addEventListener("DOMContentLoaded", function () {
    var button = document.querySelector("[data-fullscreen]");
    function toggle() {
      if (document.fullscreenElement) document.exitFullscreen();
      else if (document.documentElement.requestFullscreen) document.documentElement.requestFullscreen();
    }
    if (button && document.documentElement.requestFullscreen) {
      button.hidden = false;
      button.addEventListener("click", toggle);
    }
    if (button) document.addEventListener("keydown", function (event) {
      var typing = /^(INPUT|TEXTAREA|SELECT)$/.test(event.target.tagName);
      if (!typing && (event.key === "f" || event.key === "F") && !event.ctrlKey && !event.metaKey) toggle();
    });
    function tick() {
      document.querySelectorAll("[data-ends-at]").forEach(function (timer) {
        var left = Math.round((Date.parse(timer.getAttribute("data-ends-at")) - Date.now()) / 60000);
        var label = timer.querySelector(".room-timer__left");
        if (!label) {
          label = document.createElement("strong");
          label.className = "room-timer__left";
          timer.prepend(label, " ");
        }
        label.textContent = left > 0
          ? timer.getAttribute("data-left").replace("{n}", left) : timer.getAttribute("data-over");
        timer.classList.toggle("room-timer--over", left <= 0);
      });
    }
    tick();
    setInterval(tick, 5000);  // a new phase's timer arrives with the phase event
  });
})();
