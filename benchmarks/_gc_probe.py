"""Run a module as ``python -m`` would, noting each of the cyclic collector's passes.

``python benchmarks/_gc_probe.py LOG -m MODULE ARGS...``: the benchmark starts the server
this way to count its collector's pauses (a full pass stops the loop, and every stream's
next event with it).  Each pass of generation 1 or 2 appends a line to LOG as it ends:
``generation milliseconds collected``, then the passes of generation 0 since the line
before and the longest of them in ms (those come many a second, too many for a line
each).  The log is whole however the process ends (the benchmark terminates it); the
callback costs a microsecond or so a pass, so the probe does not change what it measures.
"""

from __future__ import annotations

import gc
import runpy
import sys
import time


def main() -> None:
    log_path, flag, module, *rest = sys.argv[1:]
    assert flag == "-m", "usage: _gc_probe.py LOG -m MODULE ARGS..."
    log = open(log_path, "a", buffering=1)  # noqa: SIM115 (open for the process's life)
    started = [0]
    young = [0, 0.0]  # passes of generation 0 since the last line, the longest (ms)

    def note(phase: str, info: dict[str, int]) -> None:
        generation = info["generation"]
        if phase == "start":
            started[0] = time.perf_counter_ns()
            return
        took = (time.perf_counter_ns() - started[0]) / 1e6
        if generation == 0:
            young[0] += 1
            young[1] = max(young[1], took)
            return
        log.write(f"{generation} {took:.3f} {info['collected']} {young[0]} {young[1]:.3f}\n")
        young[0], young[1] = 0, 0.0

    gc.callbacks.append(note)
    sys.argv = [module, *rest]
    runpy.run_module(module, run_name="__main__", alter_sys=True)


if __name__ == "__main__":
    main()
