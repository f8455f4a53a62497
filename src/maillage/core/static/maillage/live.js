// Live updates of a page (see core/live.py). The element with data-live-url opens the stream.
// Each event carries {key, html}: html maps element ids to fragments to put in place.
// - Elements with data-live-refresh="NAME …" are fetched again from data-live-source when NAME
//   arrives, keeping checked boxes and never pulling a form from under someone typing in it.
// - The element with data-live-panel (a phone's panel) changes with the phase (its key): to the
//   panel the event carries, the same for every phone. If this phone has something of its own
//   in that phase (data-live-personal, on the panel or on what a saved ballot shows), it then
//   fetches just that, as JSON, from data-live-mine: {key, html, checked: radio ids, personal}
//   or, excluded, {key, panel}.
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

  // GET address, again and again while the network is gone (the page must catch up with the
  // room); what the server refuses is left to the next event.
  function get(address, read, done) {
    fetch(address, {headers: {"HX-Request": "true"}, credentials: "same-origin"})
      .catch(function (offline) {
        setTimeout(function () { get(address, read, done); }, 2000 + Math.random() * 2000);
        return Promise.reject(offline);
      })
      .then(function (response) { return response.ok ? read(response) : Promise.reject(response.status); })
      .then(done)
      .catch(function () { /* refused, or offline and tried again */ });
  }

  function refresh(element) {
    if (typingIn(element)) {
      element.addEventListener("focusout", function () { setTimeout(function () { refresh(element); }, 0); }, {once: true});
      return;
    }
    get(element.getAttribute("data-live-source"), function (response) { return response.text(); },
      function (html) { if (element.isConnected) replace(element, html); });
  }

  function restore(address) {
    get(address, function (response) { return response.json(); }, function (mine) {
      var panel = document.querySelector("[data-live-panel]");
      if (!panel || panel.getAttribute("data-live-key") !== mine.key) return; // the room moved on
      if (mine.panel !== undefined) { replace(panel, mine.panel); return; }
      Object.keys(mine.html).forEach(function (id) {
        var target = document.getElementById(id);
        if (target) target.innerHTML = mine.html[id];
      });
      mine.checked.forEach(function (id) {
        var radio = document.getElementById(id);
        // A grade tapped meanwhile stays: the phone's latest choice is the one that counts.
        if (radio && !radio.form.querySelector("input[name='" + radio.name + "']:checked")) radio.checked = true;
      });
      mine.personal.forEach(function (kind) { personal[kind] = true; });
    });
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
      var mine = element.getAttribute("data-live-mine");
      var change = function () {
        replace(element, payload.panel);
        if (personal[payload.kind]) later(element, function () { restore(mine); });
      };
      if (typingIn(element)) element.addEventListener("focusout", change, {once: true});
      else change();
    });
  }

  ["phase", "ideas", "scenarios", "results"].forEach(function (name) {
    source.addEventListener(name, function (event) { apply(name, JSON.parse(event.data)); });
  });
})();
