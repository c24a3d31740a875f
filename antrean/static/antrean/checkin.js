// Counter check-in: a USB/Bluetooth scanner types the QR content into the input and presses Enter
// (the form submits itself). Where the browser has the BarcodeDetector API, a button opens the
// camera and submits what it reads. Without it the clerk types the code. No inline script (CSP).
(function () {
  "use strict";
  var form = document.getElementById("checkin-form");
  if (!form) { return; }
  var input = form.querySelector("input[name=q]");
  var button = form.querySelector("[data-scan-camera]");
  var video = form.querySelector("[data-scan-video]");
  var status = form.querySelector("[data-scan-status]");

  function say(text) {
    status.textContent = text;
    status.classList.remove("d-none");
  }

  if (!("BarcodeDetector" in window) || !navigator.mediaDevices || !navigator.mediaDevices.getUserMedia) {
    return; // manual input only; the button stays hidden
  }
  button.classList.remove("d-none");
  button.addEventListener("click", function () {
    var detector;
    try {
      detector = new window.BarcodeDetector({ formats: ["qr_code"] });
    } catch (err) {
      say(status.dataset.textUnsupported);
      return;
    }
    navigator.mediaDevices.getUserMedia({ video: { facingMode: "environment" } }).then(function (stream) {
      video.srcObject = stream;
      video.classList.remove("d-none");
      video.play();
      var stop = function () { stream.getTracks().forEach(function (t) { t.stop(); }); };
      var tick = function () {
        detector.detect(video).then(function (codes) {
          if (codes.length && codes[0].rawValue) {
            stop();
            input.value = codes[0].rawValue;
            form.submit();
          } else {
            window.requestAnimationFrame(tick);
          }
        }).catch(function () { window.setTimeout(tick, 300); });
      };
      tick();
    }).catch(function () { say(status.dataset.textDenied); });
  });
}());
