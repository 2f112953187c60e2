// Desk shortcuts: Alt+Shift+<letter> focuses (a field) or follows (a link) the element marked
// data-key="<letter>" on the page. The physical key counts (event.code), so the shortcut is the same with an
// Arabic, Cyrillic or Turkish keyboard layout. With a modifier it is no single-character shortcut (WCAG 2.1.4).
document.addEventListener("keydown", function (event) {
  if (!event.altKey || !event.shiftKey || event.ctrlKey || event.metaKey) return;
  var letter = (event.code || "").replace(/^Key/, "").toLowerCase();
  if (!/^[a-z]$/.test(letter)) return;
  var target = document.querySelector('[data-key="' + letter + '"]');
  if (!target) return;
  event.preventDefault();
  if (target.matches("input, select, textarea")) {
    target.focus();
  } else {
    target.click();
  }
});
