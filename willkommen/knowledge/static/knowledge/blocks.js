// Text blocks in the decision form: "Insert" appends a block's filled text to its field and ticks it,
// so the draft records the block version. Without JavaScript the buttons stay hidden and the text can
// be copied; ticking the box still records the version.
document.addEventListener("DOMContentLoaded", function () {
  document.querySelectorAll("button[data-insert]").forEach(function (button) {
    button.hidden = false;
    button.addEventListener("click", function () {
      var id = button.getAttribute("data-insert");
      var target = document.getElementById(button.getAttribute("data-target"));
      var raw = document.getElementById("kb-raw-" + id);
      var box = document.getElementById("kb-" + id);
      if (!target || !raw) return;
      var text = raw.value;
      target.value = target.value.trim() ? target.value.replace(/\s+$/, "") + "\n\n" + text : text;
      if (box) box.checked = true;
      target.focus();
    });
  });
});
