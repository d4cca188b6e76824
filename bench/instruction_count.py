"""Machine instructions our whole extraction (load, places, figures with dates and attribution)
executes on N bench articles, counted by valgrind's callgrind: for comparing two commits on a
shared machine, where CPU time moves by a third with the other jobs' load and instruction counts
do not move at all (the same commit counted twice differs by about 0.1%).

Corpus generation, the gazetteer load and a warm-up run are not counted: the script runs itself
under callgrind with instrumentation off, and switches it on (callgrind_control) for the timed
pass only. Needs valgrind; about a minute for 100 articles.
Run: `python bench/instruction_count.py [--n 100]`, from each checkout in turn.
"""
from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))


def _child(n: int, go: str) -> None:
    from bench.corpus import generate
    from bench.extract_bench import run_ours
    from geo.geocoders import default_geocoder

    corpus = generate(n, 0)
    geocoder = default_geocoder(online=False)
    run_ours(corpus[:5], geocoder)
    print("ready", flush=True)
    while not os.path.exists(go):
        time.sleep(0.1)
    run_ours(corpus, geocoder)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--n", type=int, default=100)
    parser.add_argument("--child", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        _child(args.n, args.child)
        return 0
    with tempfile.TemporaryDirectory() as tmp:
        go, out = os.path.join(tmp, "go"), os.path.join(tmp, "callgrind.out")
        env = {**os.environ, "PYTHONHASHSEED": "0"}
        proc = subprocess.Popen(["valgrind", "--tool=callgrind", "--instr-atstart=no", f"--callgrind-out-file={out}",
                                 sys.executable, __file__, "--n", str(args.n), "--child", go],
                                stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True, env=env)
        if proc.stdout.readline().strip() != "ready":
            proc.wait()
            print("the extraction did not start under valgrind", file=sys.stderr)
            return 1
        subprocess.run(["callgrind_control", "-i", "on", str(proc.pid)], check=True, capture_output=True)
        Path(go).touch()
        proc.wait()
        totals = next(line for line in Path(out).read_text().splitlines() if line.startswith(("totals:", "summary:")))
        count = int(totals.split()[1])
    print(f"{count:,} instructions ({args.n} articles, {count / args.n / 1e6:.2f} million an article)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
