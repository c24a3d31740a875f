/* Complaint form: character counter for the description and "use my location" (no map tiles,
   no external requests: the browser's geolocation only fills the latitude/longitude inputs). */
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
  var lat = document.getElementById("id_latitude");
  var lon = document.getElementById("id_longitude");
  var status = document.getElementById("location-status");
  if (button && lat && lon && "geolocation" in navigator) {
    button.classList.remove("d-none");
    button.addEventListener("click", function () {
      status.textContent = button.getAttribute("data-wait") || "…";
      navigator.geolocation.getCurrentPosition(function (pos) {
        lat.value = pos.coords.latitude.toFixed(6);
        lon.value = pos.coords.longitude.toFixed(6);
        status.textContent = "";
      }, function () {
        status.textContent = "Lokasi tidak tersedia. Isi alamat atau patokan lokasi.";
      }, { enableHighAccuracy: true, timeout: 10000 });
    });
  }
})();
