// Live updates of a page (see core/live.py). The element with data-live-url opens the stream.
// Each event carries {key, html}: html maps element ids to fragments to put in place; elements
// with data-live-refresh="NAME …" are fetched again from data-live-source when NAME arrives
// (for "phase", only when its key differs from data-live-key), keeping checked boxes and never
// pulling a form from under someone typing in it.
(function () {
  "use strict";
  var root = document.querySelector("[data-live-url]");
  if (!root || !window.EventSource) return;
  var lost = document.querySelector("[data-live-lost]");
  var source = new EventSource(root.getAttribute("data-live-url"));
  source.onopen = function () { if (lost) lost.hidden = true; };
  source.onerror = function () { if (lost) lost.hidden = false; };

  function refresh(element) {
    var typing = element.contains(document.activeElement) &&
      /^(INPUT|TEXTAREA|SELECT)$/.test(document.activeElement.tagName) &&
      document.activeElement.type !== "checkbox";
    if (typing) {
      element.addEventListener("focusout", function () { setTimeout(function () { refresh(element); }, 0); }, {once: true});
      return;
    }
    var checked = Array.prototype.map.call(element.querySelectorAll("input[type=checkbox]:checked"), function (box) { return box.value; });
    fetch(element.getAttribute("data-live-source"), {headers: {"HX-Request": "true"}, credentials: "same-origin"})
      .catch(function (offline) {
        // No network: try again until it is back (the page must catch up with the room).
        setTimeout(function () { if (element.isConnected) refresh(element); }, 2000 + Math.random() * 2000);
        return Promise.reject(offline);
      })
      .then(function (response) { return response.ok ? response.text() : Promise.reject(response.status); })
      .then(function (html) {
        var holder = document.createElement("div");
        holder.innerHTML = html;
        var fresh = holder.firstElementChild;
        if (!fresh || !element.isConnected) return;
        fresh.querySelectorAll("input[type=checkbox]").forEach(function (box) { box.checked = checked.indexOf(box.value) >= 0; });
        element.replaceWith(fresh);
        if (window.htmx) window.htmx.process(fresh);
      })
      .catch(function () { /* refused by the server: the next event will say more */ });
  }

  function apply(name, payload) {
    Object.keys(payload.html).forEach(function (id) {
      var target = document.getElementById(id);
      if (target) target.innerHTML = payload.html[id];
    });
    document.querySelectorAll("[data-live-refresh~='" + name + "']").forEach(function (element) {
      if (name === "phase" && element.getAttribute("data-live-key") === payload.key) return;
      var jitter = Number(element.getAttribute("data-live-jitter") || 0);
      setTimeout(function () { refresh(element); }, Math.random() * jitter);
    });
  }

  ["phase", "ideas", "scenarios", "results"].forEach(function (name) {
    source.addEventListener(name, function (event) { apply(name, JSON.parse(event.data)); });
  });
})();
