/* Staff "respond" form: picking a response template fills the text (still editable). */
(function () {
  "use strict";
  function init() {
    var picker = document.querySelector("select[data-template-target]");
    if (!picker) { return; }
    var target = document.getElementById(picker.getAttribute("data-template-target"));
    function fill(ask) {
      var option = picker.options[picker.selectedIndex];
      var text = option ? option.getAttribute("data-text") : "";
      if (target && text && (!target.value.trim() || (ask && window.confirm("Ganti teks tanggapan dengan templat?")))) {
        target.value = text;
      }
    }
    picker.addEventListener("change", function () { fill(true); });
    // On a slow connection a template may be picked before this deferred script runs: apply it
    // now, without overwriting anything already typed.
    fill(false);
  }
  if (document.readyState === "loading") { document.addEventListener("DOMContentLoaded", init); } else { init(); }
})();
