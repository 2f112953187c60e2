"""Page weight of the client pages on a first visit (issue 14): budget 60 KB transferred per page.

    make bench BENCH=page_weight                     # this tree
    BENCH_BEFORE=229c398 make bench BENCH=page_weight  # and an older commit, side by side

Serves the demo as production does – gunicorn, DEBUG off, static files collected (`collectstatic`, which
compresses them) and served by WhiteNoise from STATIC_ROOT without the finders – on its own SQLite database
in a temporary VAR_DIR. Chromium (Playwright, Debian's) walks the client pages from the portal's home page
along their links (one page per URL name, no /desk/), then the booking pages behind the checklist form, in
German, Arabic and Ukrainian; each page is loaded in a fresh browser context (empty cache: a first visit) and
the bytes on the wire are summed from the DevTools protocol (``Network.loadingFinished`` ``encodedDataLength``:
compressed bodies plus headers) until the network is idle (fonts included). Prints a table per page and
language with the split into HTML, CSS, fonts, scripts, and the verdict; results in
benchmarks/results/page_weight.json.
"""

import json
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from collections import deque
from pathlib import Path
from urllib.parse import urldefrag, urlsplit

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
PYTHON = str(REPO / ".venv" / "bin" / "python")
BUDGET = 60 * 1024
LANGUAGES = ("de", "ar", "uk")
CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")  # Debian's, as the browser tests use
LIMIT = int(os.environ.get("BENCH_PAGES", "40"))
SKIP = ("/desk/", "/language/", "/api/", "/static/", "/media", "/admin/", ".pdf", ".ics", "/sign-out")


def _free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _export(commit):
    """The tree of ``commit`` in a temporary directory with this venv and node_modules, its assets built."""
    target = Path(tempfile.mkdtemp(prefix="wk-weight-before-"))
    archive = subprocess.run(["git", "-C", str(REPO), "archive", commit], capture_output=True, check=True).stdout
    subprocess.run(["tar", "-x", "-C", str(target)], input=archive, check=True)
    (target / ".venv").symlink_to(REPO / ".venv")
    (target / "node_modules").symlink_to(REPO / "node_modules")
    subprocess.run(["bash", "scripts/vendor-assets.sh"], cwd=target, capture_output=True, check=True)
    subprocess.run(["bash", "scripts/compile-messages.sh"], cwd=target, capture_output=True)
    return target


def _env(tree, var_dir):
    return {
        **os.environ,
        "PYTHONPATH": str(tree),
        "DJANGO_SETTINGS_MODULE": "willkommen.settings",
        "DATABASE_URL": f"sqlite:///{var_dir / 'weight.sqlite3'}",
        "VAR_DIR": str(var_dir),
        "STATIC_ROOT": str(var_dir / "static"),
        "WHITENOISE_USE_FINDERS": "off",
        "SECRET_KEY": "page-weight-benchmark-" + "x" * 40,
        "DEBUG": "false",
        "HTTPS_ONLY": "off",
        "LOG_LEVEL": "ERROR",
        "EMAIL_BACKEND": "locmem",
        "HUEY_STORAGE": "memory",
        "CLAMD_SOCKET": "",
        "EFILE_OCR": "false",
        "PUBLIC_RATE_LIMIT": "100000",
    }


def _prepare(tree, env):
    for args in (["migrate", "--verbosity", "0"], ["load_demo"], ["collectstatic", "--noinput", "--verbosity", "0"]):
        subprocess.run([PYTHON, "manage.py", *args], cwd=tree, env=env, check=True, capture_output=True)


def _serve(tree, env, port):
    gunicorn = str(REPO / ".venv" / "bin" / "gunicorn")
    process = subprocess.Popen(
        [gunicorn, "willkommen.wsgi", "-c", str(HERE / "_gunicorn_conf.py"), "-w", "2", "--threads", "4"]
        + ["-b", f"127.0.0.1:{port}"],
        cwd=tree,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    deadline = time.time() + 90
    while time.time() < deadline:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1):
                return process
        except OSError:
            time.sleep(0.3)
    process.terminate()
    raise RuntimeError("gunicorn did not start")


def _kind(url, mime):
    if "font" in mime or url.endswith((".woff2", ".woff")):
        return "fonts"
    if "css" in mime:
        return "css"
    if "javascript" in mime or url.endswith((".js", ".mjs")):
        return "js"
    if "html" in mime:
        return "html"
    return "other"


def weigh(browser, base, path, language):
    """Bytes on the wire of one first visit: {"total", "html", "css", "fonts", "js", "other"} and the links."""
    context = browser.new_context(viewport={"width": 390, "height": 844}, locale=language)
    host = urlsplit(base).hostname
    context.add_cookies([{"name": "willkommen_language", "value": language, "domain": host, "path": "/"}])
    page = context.new_page()
    cdp = context.new_cdp_session(page)
    cdp.send("Network.enable")
    mimes, sizes = {}, {}
    cdp.on(
        "Network.responseReceived",
        lambda e: mimes.__setitem__(e["requestId"], (e["response"]["url"], e["response"]["mimeType"])),
    )
    cdp.on("Network.loadingFinished", lambda e: sizes.__setitem__(e["requestId"], e["encodedDataLength"]))
    try:
        response = page.goto(base + path, wait_until="networkidle")
        status = response.status if response else None
        links = page.eval_on_selector_all("a[href]", "as => as.map(a => a.getAttribute('href'))")
        forms = page.eval_on_selector_all("main form[method=get], main form:not([method])", "fs => fs.length")
    finally:
        context.close()
    split = {"total": 0, "html": 0, "css": 0, "fonts": 0, "js": 0, "other": 0}
    for request_id, size in sizes.items():
        url, mime = mimes.get(request_id, ("", ""))
        split[_kind(url, mime)] += int(size)
        split["total"] += int(size)
    return status, split, links, forms


def _client_pages(browser, base):
    """Client pages reachable from the home page (GET links, one per URL name), then times and book pages."""
    queue, seen, shapes, found = deque(["/"]), set(), set(), []
    while queue and len(found) < LIMIT:
        path = urldefrag(queue.popleft())[0]
        if not path.startswith("/") or path in seen or any(s in path for s in SKIP):
            continue
        seen.add(path)
        shape = "/".join("·" if any(ch.isdigit() for ch in part) else part for part in path.split("?")[0].split("/"))
        if shape in shapes:
            continue
        status, _split, links, _forms = weigh(browser, base, path, "de")
        if status != 200:
            continue
        shapes.add(shape)
        found.append(path)
        queue.extend(links)
    return found


def _behind_the_checklist(browser, base):
    """The times page and the booking form of the first Anliegen that can be booked: reached as a client does
    (the Anliegen, its checklist answered with the first choices, the first free time)."""
    context = browser.new_context(viewport={"width": 390, "height": 844}, locale="de")
    page = context.new_page()
    found = []
    try:
        page.goto(base + "/appointments/", wait_until="networkidle")
        for href in page.eval_on_selector_all("main a[href]", "as => as.map(a => a.getAttribute('href'))"):
            if not href.startswith("/appointments/") or href.count("/") != 3:
                continue
            page.goto(base + href, wait_until="networkidle")
            form = page.locator("main form[method=get]:not([role=search])")
            if form.count():
                for radio in form.first.locator("input[type=radio]").all():
                    name = radio.get_attribute("name")
                    form.first.locator(f"input[type=radio][name='{name}']").first.check()
                form.first.locator("button[type=submit]").first.click()
                page.wait_for_load_state("networkidle")
            slots = page.locator(".slot-list a")
            if slots.count():
                found = [urlsplit(page.url)._replace(scheme="", netloc="").geturl(), slots.first.get_attribute("href")]
                break
    finally:
        context.close()
    return found


def _measure(tree, label):
    from playwright.sync_api import sync_playwright

    # BENCH_WEIGHT_VAR_DIR: keep the prepared demo (database, collected static) there and reuse it next time.
    kept = os.environ.get("BENCH_WEIGHT_VAR_DIR") if tree == REPO else None
    var_dir = Path(kept) if kept else Path(tempfile.mkdtemp(prefix="wk-weight-"))
    env = _env(tree, var_dir)
    if not (var_dir / "weight.sqlite3").exists():
        var_dir.mkdir(parents=True, exist_ok=True)
        _prepare(tree, env)
    port = _free_port()
    server = _serve(tree, env, port)
    base = f"http://127.0.0.1:{port}"
    rows = []
    try:
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=["--no-sandbox"])
            pages = _client_pages(browser, base)
            pages += [path for path in _behind_the_checklist(browser, base) if path not in pages]
            for path in pages:
                for language in LANGUAGES:
                    status, split, _links, _forms = weigh(browser, base, path, language)
                    rows.append({"version": label, "path": path, "language": language, "status": status, **split})
                    print(f"{label} {path} {language}: {split['total'] / 1024:.1f} KB", flush=True)
            browser.close()
    finally:
        server.terminate()
        server.wait(timeout=30)
        if not kept:
            shutil.rmtree(var_dir, ignore_errors=True)
    return rows


def _table(rows):
    print(f"{'version':8} {'page':52} {'lang':4} {'total KB':>9} {'html':>6} {'css':>6} {'fonts':>6} {'js':>6}  budget")
    for r in rows:
        verdict = "ok" if r["total"] <= BUDGET else "OVER"
        print(
            f"{r['version']:8} {r['path'][:52]:52} {r['language']:4} {r['total'] / 1024:9.1f} {r['html'] / 1024:6.1f}"
            f" {r['css'] / 1024:6.1f} {r['fonts'] / 1024:6.1f} {r['js'] / 1024:6.1f}  {verdict}"
        )


def main():
    sys.path.insert(0, str(REPO))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "willkommen.settings")
    versions = []
    before = os.environ.get("BENCH_BEFORE")
    if before:
        versions.append((_export(before), before[:8]))
    versions.append((REPO, "now"))
    rows = []
    for tree, label in versions:
        rows.extend(_measure(tree, label))
    _table(rows)
    now = [r for r in rows if r["version"] == "now"]
    over = [r for r in now if r["total"] > BUDGET]
    largest = max(now, key=lambda r: r["total"]) if now else None
    for label in dict.fromkeys(r["version"] for r in rows):
        mine = [r["total"] for r in rows if r["version"] == label]
        print(
            f"{label}: {len(mine)} page loads, median {sorted(mine)[len(mine) // 2] / 1024:.1f} KB, max {max(mine) / 1024:.1f} KB"
        )
    if largest:
        print(f"largest now: {largest['path']} ({largest['language']}) {largest['total'] / 1024:.1f} KB")
    print(f"budget {BUDGET // 1024} KB per page: {'met' if not over else f'{len(over)} page loads over'}")
    results = HERE / "results"
    results.mkdir(exist_ok=True)
    (results / "page_weight.json").write_text(json.dumps(rows, indent=1))
    return rows


if __name__ == "__main__":
    main()
