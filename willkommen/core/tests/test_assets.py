"""The front-end build step (scripts/build_assets.py, run by `make assets`): KERN's CSS cut to the classes the
project uses, fonts subset by script and declared with unicode-range (issue 14, page weight)."""

import importlib.util
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[3]


@pytest.fixture(scope="module")
def build():
    spec = importlib.util.spec_from_file_location("build_assets", ROOT / "scripts" / "build_assets.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_purge_keeps_used_selectors_and_drops_the_rest(build):
    import tinycss2

    css = (
        ":root{--x:1}.kern-a,.kern-b{color:red}.kern-b .kern-a{margin:0}.other{gap:0}"
        "@media (min-width: 1px){.kern-b{top:0}.kern-alert--info{left:0}}@keyframes spin{to{rotate:1turn}}"
    )
    rules = tinycss2.parse_stylesheet(css, skip_comments=True, skip_whitespace=True)
    out = build._purge(rules, {"kern-a"}, {"kern-alert--"})
    assert ":root{--x:1}" in out and ".kern-a{color:red}" in out and ".other{gap:0}" in out
    assert "kern-b" not in out  # unused: dropped from the list, alone and as a descendant
    assert "@media (min-width: 1px){.kern-alert--info{left:0}}" in out  # a prefix from `kern-alert--{{ tag }}`
    assert "@keyframes spin" in out


def test_used_classes_come_from_templates_with_prefixes(build, tmp_path):
    (tmp_path / "page.html").write_text('<p class="kern-body kern-alert--{{ tag }}">', encoding="utf-8")
    (tmp_path / "vendor").mkdir()
    (tmp_path / "vendor" / "x.js").write_text("kern-ignored", encoding="utf-8")
    assert build.used_kern_classes(tmp_path) == ({"kern-body"}, {"kern-alert--"})


def test_built_css_is_current_and_fonts_are_split_by_script(build):
    built = build.OUT_CSS
    assert built.exists(), "run `make assets`"
    text = built.read_text(encoding="utf-8")
    # A template naming a KERN class the built file lacks fails here until `make assets` runs again.
    assert text == build.site_css(), "vendor/kern/kern-site.css is out of date: run `make assets`"
    assert ".kern-btn--primary" in text and ".kern-form-input__input" in text
    assert ".kern-kopfzeile" not in text  # a KERN component the project does not use
    assert text.count("@font-face") == 6 and "unicode-range:U+0400-045F" in text
    for name in ("latin", "latin-ext", "cyrillic"):
        assert (build.OUT_FONTS / f"FiraSans-Regular-{name}.woff2").stat().st_size < 12_000
    assert len(text.encode()) < 120_000  # kern.min.css: 340,042 bytes
