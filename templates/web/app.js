// casebook serve: the little the pages need beyond HTML. Served from /static/app.js (the CSP
// allows no inline script). Everything works without it.
"use strict";
document.addEventListener("DOMContentLoaded", () => {
  // Case page: open or close every folded quote, signature and ping at once.
  const toggle = document.getElementById("toggle-all");
  if (toggle) {
    toggle.addEventListener("click", () => {
      const folded = Array.from(document.querySelectorAll("details.removed"));
      const open = folded.some((d) => !d.open);
      folded.forEach((d) => { d.open = open; });
    });
  }
  // Following a "message N" link opens that message's folded ping.
  const openTarget = () => {
    const id = decodeURIComponent(location.hash.slice(1));
    const target = id && document.getElementById(id);
    if (target) target.querySelectorAll("details.ping").forEach((d) => { d.open = true; });
  };
  window.addEventListener("hashchange", openTarget);
  openTarget();
  // Suggest page: Ctrl+Enter (or Cmd+Enter) sends the ticket.
  const ticket = document.getElementById("ticket");
  if (ticket) {
    ticket.addEventListener("keydown", (e) => {
      if (e.key === "Enter" && (e.ctrlKey || e.metaKey)) ticket.form.requestSubmit();
    });
  }
  // "/" focuses the search box.
  document.addEventListener("keydown", (e) => {
    const q = document.getElementById("q");
    const typing = ["INPUT", "TEXTAREA", "SELECT"].includes(document.activeElement.tagName);
    if (q && e.key === "/" && !typing) { e.preventDefault(); q.focus(); }
  });
});
