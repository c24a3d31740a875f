/* "Salin" buttons: copy the text of the element named in data-copy (no inline script, CSP). */
(function () {
  "use strict";
  var status = document.getElementById("copy-status");
  document.querySelectorAll("[data-copy]").forEach(function (button) {
    var target = document.getElementById(button.getAttribute("data-copy"));
    if (!target) { return; }
    button.classList.remove("d-none");
    button.addEventListener("click", function () {
      var text = target.textContent.trim();
      var done = function () {
        if (status) { status.textContent = button.getAttribute("data-copied") + ": " + text; }
        button.setAttribute("data-copied-value", text);
      };
      if (navigator.clipboard && window.isSecureContext) {
        navigator.clipboard.writeText(text).then(done, function () { select(target); done(); });
      } else {
        select(target);
        try { document.execCommand("copy"); } catch (e) { /* the text stays selected */ }
        done();
      }
    });
  });
  function select(node) {
    var range = document.createRange();
    range.selectNodeContents(node);
    var selection = window.getSelection();
    selection.removeAllRanges();
    selection.addRange(range);
  }
})();
