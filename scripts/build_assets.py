"""The front-end build step after scripts/vendor-assets.sh (called by it, so by `make assets`/`make install`).

Offline and reproducible from node_modules alone (fontTools and tinycss2 come with WeasyPrint):

1. Fonts: KERN's Fira Sans in two weights (Regular for 300–450, SemiBold for 451–800), each cut into three
   subsets by script – Latin (Basic Latin, Latin-1, the usual punctuation), Latin Extended-A (Turkish,
   Polish, Czech … names) and Cyrillic – declared with ``unicode-range``, so a browser downloads only the
   subsets whose characters the page shows. Arabic and Persian text has no web font (Fira Sans has no
   Arabic glyphs): it is set in the device's own Arabic font, which costs nothing to download.
2. CSS: kern.min.css (340 KB) is cut to the rules whose KERN classes the project uses – every
   ``kern-…`` word in the templates, Python and JavaScript of willkommen/ (a word ending in ``-`` or
   followed by ``{`` counts as a prefix: ``kern-alert--{{ tag }}``) – and written with the @font-face
   rules as ``vendor/kern/kern-site.css``.
3. Compression: every text file under vendor/ (and the fonts are woff2 already) gets a ``.gz`` and a ``.br``
   beside it, so WhiteNoise serves compressed bodies even when it finds files through the finders; the
   collected copy (``collectstatic``, CompressedStaticFilesStorage) compresses everything else.

`python scripts/build_assets.py --check` exits 1 if kern-site.css is out of date (a template uses a KERN
class the built CSS lacks): the test ``core/tests/test_assets.py`` runs the same comparison.
"""

import gzip
import logging
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
KERN = ROOT / "node_modules/@kern-ux/native/dist"
VENDOR = ROOT / "willkommen/core/static/vendor"
OUT_CSS = VENDOR / "kern/kern-site.css"
OUT_FONTS = VENDOR / "kern/subset"

WEIGHTS = {"FiraSans-Regular": "300 450", "FiraSans-SemiBold": "451 800"}
SUBSETS = {
    "latin": "U+0000-00FF,U+0131,U+0152-0153,U+02C6,U+02DA,U+02DC,U+2013-2014,U+2018-201E,U+2022,U+2026,"
    "U+2039-203A,U+20AC,U+2122,U+2212",
    "latin-ext": "U+0100-0130,U+0132-0151,U+0154-017F",
    "cyrillic": "U+0400-045F,U+0490-0491,U+2116",
}
KERN_WORD = re.compile(r"kern-[A-Za-z0-9_-]*(\{)?")
CLASS = re.compile(r"\.(-?[A-Za-z_][A-Za-z0-9_-]*)")
SCANNED = {".html", ".py", ".js", ".txt"}


def used_kern_classes(base=ROOT / "willkommen"):
    """(exact class names, prefixes) of KERN classes the project's sources name."""
    exact, prefixes = set(), set()
    for path in sorted(base.rglob("*")):
        if path.suffix not in SCANNED or "vendor" in path.parts or "tests" in path.parts or not path.is_file():
            continue
        for match in KERN_WORD.finditer(path.read_text(encoding="utf-8", errors="ignore")):
            word = match.group(0).rstrip("{")
            (prefixes if match.group(1) or word.endswith("-") else exact).add(word)
    return exact, prefixes


def _class_used(name, exact, prefixes):
    if not name.startswith("kern-"):
        return True
    return name in exact or any(name.startswith(p) for p in prefixes)


def _split_selectors(prelude):
    """A selector list split at its top-level commas (commas inside :is()/:not() stay)."""
    parts, depth, current = [], 0, []
    for char in prelude:
        if char == "(":
            depth += 1
        elif char == ")":
            depth -= 1
        if char == "," and depth == 0:
            parts.append("".join(current).strip())
            current = []
        else:
            current.append(char)
    parts.append("".join(current).strip())
    return [p for p in parts if p]


def _keep_rule(rule, exact, prefixes):
    import tinycss2

    selectors = _split_selectors(tinycss2.serialize(rule.prelude))
    kept = [s for s in selectors if all(_class_used(c, exact, prefixes) for c in CLASS.findall(s))]
    if not kept:
        return ""
    return ",".join(kept) + "{" + tinycss2.serialize(rule.content).strip() + "}"


def _purge(rules, exact, prefixes):
    import tinycss2

    out = []
    for rule in rules:
        if rule.type == "qualified-rule":
            out.append(_keep_rule(rule, exact, prefixes))
        elif rule.type == "at-rule" and rule.lower_at_keyword in {"media", "supports", "layer", "container"}:
            if rule.content is None:
                out.append(tinycss2.serialize([rule]))
                continue
            inner = _purge(tinycss2.parse_rule_list(rule.content, True, True), exact, prefixes)
            if inner:
                out.append("@" + rule.at_keyword + tinycss2.serialize(rule.prelude).rstrip() + "{" + inner + "}")
        elif rule.type == "at-rule":
            out.append(tinycss2.serialize([rule]))
    return "".join(part for part in out if part)


def font_faces():
    faces = []
    for stem, weight in WEIGHTS.items():
        for subset, ranges in SUBSETS.items():
            faces.append(
                '@font-face{font-family:"Fira Sans";font-style:normal;font-display:swap;'
                f'font-weight:{weight};src:url("subset/{stem}-{subset}.woff2") format("woff2");'
                f"unicode-range:{ranges}}}"
            )
    return "\n".join(faces) + "\n"


def site_css():
    import tinycss2

    exact, prefixes = used_kern_classes()
    source = (KERN / "kern.min.css").read_text(encoding="utf-8")
    rules = tinycss2.parse_stylesheet(source, skip_comments=True, skip_whitespace=True)
    header = "/* Built by scripts/build_assets.py from @kern-ux/native (EUPL-1.2): the rules this project uses. */\n"
    return header + font_faces() + _purge(rules, exact, prefixes) + "\n"


def subset_fonts():
    from fontTools import subset

    logging.getLogger("fontTools").setLevel(logging.ERROR)  # Fira's OS/2 v3 table: harmless fsSelection notes
    OUT_FONTS.mkdir(parents=True, exist_ok=True)
    for stem in WEIGHTS:
        for name, ranges in SUBSETS.items():
            target = OUT_FONTS / f"{stem}-{name}.woff2"
            options = subset.Options()
            options.flavor = "woff2"
            options.layout_features = ["kern", "liga"]
            options.hinting = False
            options.name_IDs = [0, 1, 2, 3, 4, 5, 6]  # keep the copyright and licence names (OFL)
            font = subset.load_font(str(KERN / f"fonts/fira-sans/{stem}.woff2"), options)
            subsetter = subset.Subsetter(options)
            subsetter.populate(unicodes=subset.parse_unicodes(ranges))
            subsetter.subset(font)
            subset.save_font(font, str(target), options)
            font.close()


def compress_vendor():
    import brotli

    for path in sorted(VENDOR.rglob("*")):
        if not path.is_file() or path.suffix in {".gz", ".br", ".woff2", ".woff", ".png"}:
            continue
        data = path.read_bytes()
        # mtime=0: the same input gives the same bytes (reproducible).
        path.with_name(path.name + ".gz").write_bytes(gzip.compress(data, 9, mtime=0))
        path.with_name(path.name + ".br").write_bytes(brotli.compress(data, quality=11))


def main(argv):
    if "--check" in argv:
        current = OUT_CSS.read_text(encoding="utf-8") if OUT_CSS.exists() else ""
        if current != site_css():
            print(f"{OUT_CSS.relative_to(ROOT)} is out of date: run `make assets`.", file=sys.stderr)
            return 1
        return 0
    subset_fonts()
    OUT_CSS.write_text(site_css(), encoding="utf-8")
    compress_vendor()
    size = OUT_CSS.stat().st_size
    print(f"built {OUT_CSS.relative_to(ROOT)} ({size:,} bytes) and {len(list(OUT_FONTS.glob('*.woff2')))} font subsets")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
