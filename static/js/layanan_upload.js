/* Layanan: upload progress for application forms (progressive enhancement).
 * Without JavaScript the forms post normally. With it, the form is sent with XMLHttpRequest so the
 * resident sees upload progress; buttons are disabled while sending (no double submit). The server
 * answers {"redirect": url} on success or the re-rendered page (with errors) otherwise. */
(function () {
  "use strict";

  function confirmButtons(root) {
    root.querySelectorAll("[data-confirm]").forEach(function (button) {
      button.addEventListener("click", function (event) {
        if (!window.confirm(button.getAttribute("data-confirm"))) { event.preventDefault(); event.stopImmediatePropagation(); }
      });
    });
  }

  function setBusy(form, busy) {
    form.querySelectorAll("button[type=submit]").forEach(function (b) { b.disabled = busy; });
    form.setAttribute("aria-busy", busy ? "true" : "false");
  }

  function showProgress(form, percent, text) {
    var wrap = form.querySelector(".upload-progress");
    var bar = form.querySelector("[data-progress-bar]");
    var label = form.querySelector("[data-progress-text]");
    if (wrap) { wrap.classList.remove("d-none"); wrap.setAttribute("aria-valuenow", String(percent)); }
    if (bar) { bar.value = percent; bar.setAttribute("data-percent", String(percent)); bar.className = bar.className.replace(/\bw-p-\d+\b/g, "").trim() + " w-p-" + (Math.round(percent / 5) * 5); }
    if (label) { label.classList.remove("d-none"); label.textContent = text; }
  }

  function replaceMain(html, url) {
    var doc = new DOMParser().parseFromString(html, "text/html");
    var fresh = doc.querySelector("main");
    var main = document.querySelector("main");
    if (!fresh || !main) { document.open(); document.write(html); document.close(); return; }
    main.innerHTML = fresh.innerHTML;
    if (url && window.history && window.history.replaceState) { window.history.replaceState(null, "", url); }
    init(main);
    window.scrollTo(0, 0);
  }

  function enhance(form) {
    if (form.dataset.enhanced) { return; }
    form.dataset.enhanced = "1";
    var submitter = null;
    form.querySelectorAll("button[type=submit]").forEach(function (b) {
      b.addEventListener("click", function () { submitter = b; });
    });
    form.addEventListener("submit", function (event) {
      if (!window.FormData || !window.XMLHttpRequest) { return; }
      event.preventDefault();
      if (form.getAttribute("aria-busy") === "true") { return; }
      var data = new FormData(form);
      if (submitter && submitter.name) { data.append(submitter.name, submitter.value); }
      var xhr = new XMLHttpRequest();
      // form.action would be clobbered by the button named "action": read the attribute.
      xhr.open("POST", form.getAttribute("action") || window.location.href);
      xhr.setRequestHeader("X-Requested-With", "XMLHttpRequest");
      xhr.upload.addEventListener("progress", function (e) {
        if (e.lengthComputable) {
          var percent = Math.round((e.loaded / e.total) * 100);
          showProgress(form, percent, form.dataset.uploading || ("Mengunggah… " + percent + "%"));
        }
      });
      xhr.addEventListener("load", function () {
        var type = xhr.getResponseHeader("Content-Type") || "";
        if (xhr.status >= 200 && xhr.status < 300 && type.indexOf("application/json") === 0) {
          var body = JSON.parse(xhr.responseText);
          window.location.assign(body.redirect);
          return;
        }
        setBusy(form, false);
        replaceMain(xhr.responseText, xhr.responseURL);
      });
      xhr.addEventListener("error", function () {
        setBusy(form, false);
        showProgress(form, 0, "Koneksi terputus. Berkas yang sudah tersimpan tidak hilang; coba kirim lagi.");
      });
      setBusy(form, true);
      showProgress(form, 0, "Mengirim…");
      xhr.send(data);
    });
  }

  function init(root) {
    confirmButtons(root);
    root.querySelectorAll("form.layanan-upload-form").forEach(enhance);
  }

  document.addEventListener("DOMContentLoaded", function () { init(document); });
})();
