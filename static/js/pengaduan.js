/* Complaint form: character counter for the description and "Gunakan lokasi saya" (no map tiles,
   no external requests: the browser's geolocation only fills the hidden latitude/longitude). */
(function () {
  "use strict";
  var description = document.getElementById("id_description");
  var counter = document.getElementById("description-counter");
  if (description && counter) {
    var max = parseInt(description.getAttribute("maxlength") || "5000", 10);
    var update = function () { counter.textContent = description.value.length + " / " + max; };
    description.addEventListener("input", update);
    update();
  }
  var button = document.getElementById("use-location");
  var clear = document.getElementById("clear-location");
  var lat = document.getElementById("id_latitude");
  var lon = document.getElementById("id_longitude");
  var status = document.getElementById("location-status");
  if (clear && lat && lon) {
    clear.addEventListener("click", function () {
      lat.value = ""; lon.value = ""; status.textContent = ""; clear.classList.add("d-none");
    });
  }
  if (button && lat && lon && "geolocation" in navigator) {
    button.classList.remove("d-none");
    button.addEventListener("click", function () {
      status.textContent = button.getAttribute("data-wait") || "…";
      navigator.geolocation.getCurrentPosition(function (pos) {
        lat.value = pos.coords.latitude.toFixed(6);
        lon.value = pos.coords.longitude.toFixed(6);
        status.textContent = (button.getAttribute("data-done") || "") + ": " + lat.value + ", " + lon.value;
        if (clear) { clear.classList.remove("d-none"); }
      }, function () {
        status.textContent = button.getAttribute("data-fail") || "";
      }, { enableHighAccuracy: true, timeout: 10000 });
    });
  }
})();
