/* Staff "respond" form: picking a response template fills the text (still editable). */
(function () {
  "use strict";
  function init() {
    var picker = document.querySelector("select[data-template-target]");
    if (!picker) { return; }
    var target = document.getElementById(picker.getAttribute("data-template-target"));
    picker.addEventListener("change", function () {
      var option = picker.options[picker.selectedIndex];
      var text = option ? option.getAttribute("data-text") : "";
      if (target && text && (!target.value.trim() || window.confirm("Ganti teks tanggapan dengan templat?"))) {
        target.value = text;
      }
    });
  }
  if (document.readyState === "loading") { document.addEventListener("DOMContentLoaded", init); } else { init(); }
})();
