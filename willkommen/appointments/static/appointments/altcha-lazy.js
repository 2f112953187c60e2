// Loads the proof-of-work widget only when the client starts on the booking form (issue 14: a client page
// weighs at most 60 KB on a first visit; the widget alone is about 26 KB compressed). The first focus,
// touch or key in the form loads the widget's two stylesheets (data-altcha-styles: ALTCHA's own and
// altcha-kern.css, about 4 KB; awaited so that the widget never shows unstyled), then the widget
// (vendor/altcha/external/altcha.min.js) and its set-up (altcha-strings.js: texts in the page's
// language, the worker); then the widget solves (auto="off" in the page and verify() here: with
// auto="onload" the widget could start before the set-up had given it its worker, "Unsupported algorithm").
// A submit before the proof is ready waits for it and then goes on by itself; if no proof
// comes within 30 seconds the form is sent anyway and the server answers with its clear message.
// Without JavaScript nothing changes: the form is sent as it is.
const form = document.querySelector("form[data-altcha-widget]");
if (form) {
  let loading = null;
  const stylesheet = (href) =>
    new Promise((resolve) => {
      const link = Object.assign(document.createElement("link"), { rel: "stylesheet", href });
      link.addEventListener("load", resolve);
      link.addEventListener("error", resolve); // unstyled is better than no proof
      document.head.append(link);
    });
  const styles = () => Promise.all((form.dataset.altchaStyles || "").split(" ").filter(Boolean).map(stylesheet));
  const load = () => {
    loading ??= styles()
      .then(() => import(form.dataset.altchaWidget))
      .then(() => import(form.dataset.altchaSetup))
      .then(() => customElements.whenDefined("altcha-widget"))
      .then(() => form.querySelector("altcha-widget")?.verify?.())
      .catch((error) => {
        loading = null; // a failed download is tried again on the next submit
        throw error;
      });
    return loading;
  };
  const proof = () => form.querySelector("input[name=altcha]")?.value;
  const solved = () =>
    new Promise((resolve) => {
      const started = Date.now();
      const check = () => (proof() || Date.now() - started > 30000 ? resolve() : setTimeout(check, 100));
      check();
    });
  for (const type of ["focusin", "pointerdown", "keydown"]) {
    form.addEventListener(type, load, { once: true });
  }
  let waiting = false;
  form.addEventListener("submit", (event) => {
    if (proof() || form.dataset.altchaTried === "yes") return;
    event.preventDefault();
    if (waiting) return;
    waiting = true;
    const submitter = event.submitter;
    load()
      .catch(() => null)
      .then(solved)
      .then(() => {
        waiting = false;
        form.dataset.altchaTried = "yes";
        form.requestSubmit(submitter);
      });
  });
}
