"""`make bench`: runs every benchmarks/<topic>.py that has a ``main()``, in name order.

Each benchmark seeds its own data at realistic scale (scale set by BENCH_SCALE, default 1.0),
measures a baseline in the same run, and prints ratios. Results are also written to
benchmarks/results/<topic>.json. Pick one with `make bench BENCH=<topic>`.
"""

import importlib
import os
import pkgutil
import sys
from pathlib import Path


def main():
    only = os.environ.get("BENCH", "")
    here = Path(__file__).parent
    names = sorted(m.name for m in pkgutil.iter_modules([str(here)]) if not m.name.startswith("_"))
    if not names:
        print("No benchmarks yet.")
        return 0
    failed = 0
    for name in names:
        if only and name != only:
            continue
        module = importlib.import_module(f"benchmarks.{name}")
        if not hasattr(module, "main"):
            continue
        print(f"=== benchmark: {name} ===", flush=True)
        try:
            module.main()
        except Exception as exc:  # a failing benchmark must not hide the others
            failed += 1
            print(f"benchmark {name} failed: {exc!r}", file=sys.stderr)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
