/* The assessment form shows the factor fields of the chosen method (LEC or LS) only. */
(function () {
  var method = document.getElementById("id_method"); if (!method) return;
  function sync() {
    document.querySelectorAll("[data-method]").forEach(function (el) { el.hidden = el.dataset.method !== method.value; });
  }
  method.addEventListener("change", sync); sync();
})();
