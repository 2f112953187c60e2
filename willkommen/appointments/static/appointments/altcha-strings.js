// Sets up the proof-of-work widget (ALTCHA 3, its CSP build vendor/altcha/external/altcha.min.js, loaded
// before this module).
// 1. Its texts in the page's language: ALTCHA reads texts only from its own catalogue
//    (globalThis.$altcha.i18n); the page carries ours (json_script "altcha-strings", translated with the
//    project's catalogs) and the widget's language attribute names the page's language.
// 2. Its worker: the CSP build bundles none; the server's challenges use SHA-256 (appointments/protection.py),
//    solved by ALTCHA's own worker file, served from our origin (worker-src 'self').
const altcha = globalThis.$altcha;
if (altcha) {
  const worker = new URL("../vendor/altcha/workers/sha.js", import.meta.url);
  for (const name of ["SHA-256", "SHA-384", "SHA-512"]) {
    altcha.algorithms.set(name, () => new Worker(worker));
  }
  const data = document.getElementById("altcha-strings");
  if (data) {
    const language = document.documentElement.lang || "en";
    const english = altcha.i18n.get("en") || {};
    altcha.i18n.set(language, { ...english, ...JSON.parse(data.textContent) });
  }
}
