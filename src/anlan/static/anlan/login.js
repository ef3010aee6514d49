/* The demo's persona picker: a click fills in the username and moves to the password. */
document.querySelectorAll("[data-persona]").forEach(function (button) {
  button.addEventListener("click", function () {
    document.getElementById("id_username").value = button.dataset.persona;
    document.getElementById("id_password").focus();
  });
});
