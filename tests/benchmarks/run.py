"""Runs the benchmark scripts in this folder (bench_*.py), one after the other, each in a process of its own:
`make benchmark`, or `make benchmark BENCH=submission` (or `python tests/benchmarks/run.py submission pages`)
for some of them.

Benchmarks are run on purpose, never by pytest (their names do not start with test_). Each script sets up
Django and builds its own database, so none inherits another's settings or data.
"""

import os
import pathlib
import subprocess
import sys
import time

HERE = pathlib.Path(__file__).resolve().parent


def scripts(selection: list[str]) -> list[pathlib.Path]:
    found = sorted(HERE.glob("bench_*.py"))
    if not selection:
        return found
    chosen = [script for script in found if script.stem.removeprefix("bench_") in selection or script.stem in selection]
    unknown = set(selection) - {script.stem.removeprefix("bench_") for script in found} - {script.stem for script in found}
    if unknown:
        names = ", ".join(script.stem.removeprefix("bench_") for script in found)
        raise SystemExit(f"no benchmark named {', '.join(sorted(unknown))}; there are: {names}")
    return chosen


def main(arguments: list[str]) -> int:
    selection = arguments or os.environ.get("BENCH", "").replace(",", " ").split()
    failed = []
    for script in scripts(selection):
        print(f"== {script.name}", flush=True)
        started = time.perf_counter()
        env = {**os.environ, "PYTHONPATH": os.pathsep.join(filter(None, [str(HERE.parents[1]), os.environ.get("PYTHONPATH")]))}
        result = subprocess.run([sys.executable, str(script)], cwd=HERE.parents[1], env=env, check=False)  # noqa: S603 - our scripts
        print(f"== {script.name}: {time.perf_counter() - started:.0f} s" + ("" if result.returncode == 0 else ", FAILED"),
              flush=True)
        if result.returncode:
            failed.append(script.name)
    if failed:
        print(f"failed: {', '.join(failed)}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
