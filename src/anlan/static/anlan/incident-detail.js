/* The reporting countdowns tick without reloading the page; their wording comes from the
   data-due-label / data-late-label attributes (translated in the template). */
(function () {
  function tick() {
    document.querySelectorAll("[data-testid=countdown]").forEach(function (el) {
      var m = Math.floor((new Date(el.dataset.due) - new Date()) / 60000);
      if (m >= 0) { el.textContent = el.dataset.dueLabel.replace("%(m)s", m); }
      else { el.textContent = el.dataset.lateLabel.replace("%(m)s", -m); el.classList.replace("bg-orange", "bg-red"); }
    });
  }
  setInterval(tick, 30000);
})();
