// The proof-of-work widget's texts in the page's language. ALTCHA 3 reads its texts only from its own
// catalogue (globalThis.$altcha.i18n); the page carries ours (json_script "altcha-strings", translated with
// the project's catalogs) and the widget's language attribute names the page's language.
const data = document.getElementById("altcha-strings");
if (data && globalThis.$altcha) {
  const language = document.documentElement.lang || "en";
  const english = globalThis.$altcha.i18n.get("en") || {};
  globalThis.$altcha.i18n.set(language, { ...english, ...JSON.parse(data.textContent) });
}
