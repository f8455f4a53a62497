// A text with a limit says how much room is left as its writer nears it (the last tenth), so
// that nothing typed is refused at the end. Without JavaScript the server still says it.
"use strict";
const english = document.documentElement.lang.startsWith("en");
const saying = (left) => english
  ? `${left.toLocaleString("en")} character${left === 1 ? "" : "s"} left.`
  : `Encore ${left.toLocaleString("fr-FR")} caractère${left > 1 ? "s" : ""} possible${left > 1 ? "s" : ""}.`;
for (const area of document.querySelectorAll("textarea[maxlength]")) {
  const limit = Number(area.maxLength);
  const count = document.createElement("p");
  count.className = "char-count meta";
  count.id = `${area.id}-count`;
  count.setAttribute("aria-live", "polite");
  area.after(count);
  area.setAttribute("aria-describedby", `${area.getAttribute("aria-describedby") || ""} ${count.id}`.trim());
  const show = () => {
    const left = limit - area.value.length;
    count.hidden = left > limit / 10;
    count.textContent = saying(left);
  };
  area.addEventListener("input", show);
  show();
}

// A ballot saves itself once each of its criteria has a grade, and again at each change: the
// phone need not find the button (which stays, for a page without JavaScript). It waits for the
// taps (or arrow keys) to pause, and a panel that arrives meanwhile keeps the grades still
// waiting to go: the last choice is always the one saved and shown.
const waiting = new Map(); // a ballot's address -> its timer
const ballotAt = (address) => document.querySelector(`form.ballot[action="${address}"]`);
document.addEventListener("change", (event) => {
  const form = event.target.closest("form.ballot");
  if (!form || event.target.type !== "radio") return;
  const address = form.getAttribute("action");
  clearTimeout(waiting.get(address));
  waiting.set(address, setTimeout(() => {
    waiting.delete(address);
    const ballot = ballotAt(address);
    const rows = ballot ? [...ballot.querySelectorAll("fieldset.grades")] : [];
    if (rows.length && rows.every((row) => row.querySelector("input:checked"))) ballot.requestSubmit();
  }, 500));
});
let kept = [];
document.addEventListener("htmx:beforeSwap", () => {
  kept = [...waiting.keys()].flatMap((address) =>
    [...(ballotAt(address)?.querySelectorAll("input:checked") || [])].map((radio) => radio.id));
});
document.addEventListener("htmx:afterSwap", () => {
  for (const id of kept) {
    const radio = document.getElementById(id);
    if (radio) radio.checked = true;
  }
  kept = [];
});
