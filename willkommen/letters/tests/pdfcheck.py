"""Reading a PDF as a person sees it: the words of each line in their visual order, left to right
(``pdftotext -bbox``), and the first page as PNG (``pdftoppm``). Used by the direction tests of every PDF."""

import io
import re
import subprocess
import tempfile
from pathlib import Path

_WORD = re.compile(r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="[\d.]+" yMax="[\d.]+">(.*?)</word>')


def visual_lines(content):
    """Per page, the lines top to bottom, each the words sorted left to right and joined by spaces."""
    with tempfile.TemporaryDirectory() as tmp:
        pdf = Path(tmp) / "doc.pdf"
        pdf.write_bytes(content)
        out = subprocess.run(["pdftotext", "-bbox", str(pdf), "-"], check=True, capture_output=True, text=True).stdout
    pages = []
    for page in out.split("<page ")[1:]:
        rows = {}
        for x, y, word in _WORD.findall(page):
            rows.setdefault(round(float(y)), []).append((float(x), _unescape(word)))
        pages.append([" ".join(w for _x, w in sorted(words)) for _y, words in sorted(rows.items())])
    return pages


def _unescape(word):
    return word.replace("&amp;", "&").replace("&lt;", "<").replace("&gt;", ">").replace("&quot;", '"')


def logical_text(content):
    """The text in the order it is written in the PDF (pypdf), whitespace collapsed, per page."""
    from pypdf import PdfReader

    return [" ".join(page.extract_text().split()) for page in PdfReader(io.BytesIO(content)).pages]


def first_page_png(content):
    """The first page as PNG bytes (72 dpi); asserts it is a real picture with dark text on it."""
    with tempfile.TemporaryDirectory() as tmp:
        pdf = Path(tmp) / "doc.pdf"
        pdf.write_bytes(content)
        subprocess.run(
            ["pdftoppm", "-png", "-r", "72", "-f", "1", "-l", "1", str(pdf), str(Path(tmp) / "p")], check=True
        )
        png = next(Path(tmp).glob("p*.png")).read_bytes()
    from PIL import Image

    assert png.startswith(b"\x89PNG")
    image = Image.open(io.BytesIO(png)).convert("L")
    assert image.size[0] > 500 and image.getextrema()[0] < 100  # an A4 page with dark text, not a blank sheet
    return png
