// Check-in at the desk: read the booking QR code with the camera into the reference field.
// Progressive enhancement: the "scan" button stays hidden unless the browser has BarcodeDetector
// (with QR codes) and a camera; typing the reference or a hand scanner works without this file.
// No external libraries; no inline script (CSP).
(function () {
  "use strict";
  var button = document.getElementById("qr-scan");
  var dialog = document.getElementById("qr-dialog");
  if (!button || !dialog || typeof dialog.showModal !== "function") { return; }
  if (!("BarcodeDetector" in window) || !navigator.mediaDevices || !navigator.mediaDevices.getUserMedia) { return; }

  var field = document.getElementById(button.getAttribute("data-target"));
  var status = document.getElementById("qr-scan-status");
  var video = dialog.querySelector("video");
  var detector = null;
  var stream = null;
  var timer = null;

  function say(text) {
    if (status) { status.textContent = text || ""; }
  }

  function stop() {
    if (timer !== null) { window.clearTimeout(timer); timer = null; }
    if (stream) {
      stream.getTracks().forEach(function (track) { track.stop(); });
      stream = null;
    }
    if (video) { video.srcObject = null; }
  }

  function close() {
    stop();
    if (dialog.open) { dialog.close(); }
  }

  function found(value) {
    close();
    field.value = value.trim();
    field.dispatchEvent(new Event("input", { bubbles: true }));
    field.focus();
    say(dialog.getAttribute("data-read"));
  }

  function scan() {
    timer = null;
    if (!stream) { return; }
    detector.detect(video).then(function (codes) {
      var code = (codes || []).filter(function (c) { return c && c.rawValue; })[0];
      if (code) { found(code.rawValue); } else if (stream) { timer = window.setTimeout(scan, 200); }
    }).catch(function () {
      if (stream) { timer = window.setTimeout(scan, 400); }
    });
  }

  function start() {
    say("");
    dialog.showModal();
    navigator.mediaDevices.getUserMedia({ video: { facingMode: "environment" }, audio: false })
      .then(function (media) {
        if (!dialog.open) { media.getTracks().forEach(function (t) { t.stop(); }); return; }
        stream = media;
        video.srcObject = media;
        return video.play().then(scan);
      })
      .catch(function () {
        close();
        say(dialog.getAttribute("data-failed"));
        field.focus();
      });
  }

  dialog.addEventListener("close", stop);
  dialog.querySelectorAll("[data-close]").forEach(function (el) {
    el.addEventListener("click", close);
  });
  button.addEventListener("click", start);

  // Offer the button only when QR codes can be read and a camera is there.
  Promise.resolve(window.BarcodeDetector.getSupportedFormats ? window.BarcodeDetector.getSupportedFormats() : [])
    .then(function (formats) {
      if ((formats || []).indexOf("qr_code") === -1) { return false; }
      detector = new window.BarcodeDetector({ formats: ["qr_code"] });
      if (!navigator.mediaDevices.enumerateDevices) { return true; }
      return navigator.mediaDevices.enumerateDevices().then(function (devices) {
        return devices.some(function (d) { return d.kind === "videoinput"; });
      });
    })
    .then(function (usable) { if (usable && field) { button.hidden = false; } })
    .catch(function () { /* no scanning: typing works as before */ });
})();
