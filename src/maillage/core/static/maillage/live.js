// Live updates of a page (see core/live.py). The element with data-live-url opens the stream.
// Each event carries {key, html}: html maps element ids to fragments to put in place.
// - Elements with data-live-refresh="NAME …" are fetched again from data-live-source when NAME
//   arrives, keeping checked boxes and never pulling a form from under someone typing in it.
// - The element with data-live-panel (a phone's panel) changes with the phase (its key): to the
//   panel the event carries, the same for every phone, unless this phone has something of its
//   own in that phase (data-live-personal): then it fetches its own.
(function () {
  "use strict";
  var root = document.querySelector("[data-live-url]");
  if (!root || !window.EventSource) return;
  var lost = document.querySelector("[data-live-lost]");
  var personal = {};
  var source = new EventSource(root.getAttribute("data-live-url"));
  source.onopen = function () { if (lost) lost.hidden = true; };
  source.onerror = function () { if (lost) lost.hidden = false; };

  function remember() {
    document.querySelectorAll("[data-live-personal]").forEach(function (element) {
      element.getAttribute("data-live-personal").split(" ").forEach(function (kind) {
        if (kind) personal[kind] = true;
      });
    });
  }
  remember();
  document.addEventListener("htmx:afterSettle", remember);

  function typingIn(element) {
    var active = document.activeElement;
    // A box or a grade just ticked is not typing: the new panel may come at once.
    return element.contains(active) && /^(INPUT|TEXTAREA|SELECT)$/.test(active.tagName) &&
      active.type !== "checkbox" && active.type !== "radio";
  }

  function replace(element, html) {
    var holder = document.createElement("div");
    holder.innerHTML = html;
    var fresh = holder.firstElementChild;
    if (!fresh || !element.isConnected) return;
    element.querySelectorAll("input[type=checkbox]:checked").forEach(function (box) {
      var same = fresh.querySelector("input[type=checkbox][value='" + box.value + "']");
      if (same) same.checked = true;
    });
    element.replaceWith(fresh);
    if (window.htmx) window.htmx.process(fresh);
    remember();
  }

  function refresh(element) {
    if (typingIn(element)) {
      element.addEventListener("focusout", function () { setTimeout(function () { refresh(element); }, 0); }, {once: true});
      return;
    }
    fetch(element.getAttribute("data-live-source"), {headers: {"HX-Request": "true"}, credentials: "same-origin"})
      .catch(function (offline) {
        // No network: try again until it is back (the page must catch up with the room).
        setTimeout(function () { if (element.isConnected) refresh(element); }, 2000 + Math.random() * 2000);
        return Promise.reject(offline);
      })
      .then(function (response) { return response.ok ? response.text() : Promise.reject(response.status); })
      .then(function (html) { replace(element, html); })
      .catch(function () { /* refused by the server: the next event will say more */ });
  }

  function later(element, action) {
    var jitter = Number(element.getAttribute("data-live-jitter") || 0);
    setTimeout(action, Math.random() * jitter);
  }

  function apply(name, payload) {
    Object.keys(payload.html).forEach(function (id) {
      var target = document.getElementById(id);
      if (target) target.innerHTML = payload.html[id];
    });
    document.querySelectorAll("[data-live-refresh~='" + name + "']").forEach(function (element) {
      later(element, function () { refresh(element); });
    });
    if (payload.panel === undefined) return;
    document.querySelectorAll("[data-live-panel]").forEach(function (element) {
      if (element.getAttribute("data-live-key") === payload.key) return;
      if (personal[payload.kind]) later(element, function () { refresh(element); });
      else if (typingIn(element)) element.addEventListener("focusout", function () { replace(element, payload.panel); }, {once: true});
      else replace(element, payload.panel);
    });
  }

  ["phase", "ideas", "scenarios", "results"].forEach(function (name) {
    source.addEventListener(name, function (event) { apply(name, JSON.parse(event.data)); });
  });
})();
