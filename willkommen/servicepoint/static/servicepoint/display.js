// Call display: optional chime when a new number is called. The page works without this file
// (it refreshes itself then); htmx polls the board and swaps it in place.
(function () {
  "use strict";
  var enabled = false;
  var last = null;
  var button = document.getElementById("chime-toggle");
  function latest() {
    var board = document.getElementById("board-data");
    return board ? board.getAttribute("data-latest") : null;
  }
  function chime() {
    try {
      var Ctx = window.AudioContext || window.webkitAudioContext;
      var ctx = new Ctx();
      [660, 880].forEach(function (freq, i) {
        var osc = ctx.createOscillator();
        var gain = ctx.createGain();
        osc.frequency.value = freq;
        osc.connect(gain);
        gain.connect(ctx.destination);
        var start = ctx.currentTime + i * 0.35;
        gain.gain.setValueAtTime(0.2, start);
        gain.gain.exponentialRampToValueAtTime(0.001, start + 0.3);
        osc.start(start);
        osc.stop(start + 0.32);
      });
    } catch (e) { /* no audio: the text announcement remains */ }
  }
  last = latest();
  if (button) {
    button.hidden = false;
    button.addEventListener("click", function () {
      enabled = !enabled;
      button.setAttribute("aria-pressed", enabled ? "true" : "false");
      if (enabled) { chime(); }
    });
  }
  // The live region is updated only when a new call arrives, so screen readers announce each
  // call once instead of on every poll.
  document.body.addEventListener("htmx:afterSettle", function () {
    var now = latest();
    if (now !== last) {
      var source = document.getElementById("board-announce");
      var target = document.getElementById("announce");
      if (source && target) {  // copied with its parts, so the ticket's own language keeps its lang and dir
        target.replaceChildren.apply(target, Array.prototype.map.call(source.childNodes, function (node) { return node.cloneNode(true); }));
      }
      if (now && enabled) { chime(); }
    }
    last = now;
  });
})();
