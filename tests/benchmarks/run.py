"""Runs every benchmark script in this folder (bench_*.py), one after the other: `make benchmark`.

Benchmarks are run on purpose, never by pytest (their names do not start with test_).
"""

import pathlib
import runpy
import sys

HERE = pathlib.Path(__file__).resolve().parent


def main() -> int:
    sys.path.insert(0, str(HERE.parents[1]))
    for script in sorted(HERE.glob("bench_*.py")):
        print(f"== {script.name}")
        runpy.run_path(str(script), run_name="__main__")
    return 0


if __name__ == "__main__":
    sys.exit(main())
