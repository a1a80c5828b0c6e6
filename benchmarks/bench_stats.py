"""The `journey stats` computation (journeymap.analysis) on generated chains with loops: a fresh
process that builds the chain and computes every figure (interpreter start included), its peak
memory, and the same work in process (best CPU time of several runs). Then the hostile shape:
the flow benchmark's maps (random long loops back, so one loop of nearly every touchpoint),
compiled from text. When numpy and scipy are installed, the linear algebra is compared with
SuperLU (scipy.sparse.linalg.splu) on the same matrices.

Targets (2-core machine): every figure of a 10,000-touchpoint map with loops < 1 s end to end
and < 200 MB; 100,000 touchpoints reported.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

import processes
from generate import chain_as_map, generate_chain, generate_map

HERE = Path(__file__).resolve().parent
CHILD = """
import sys, time
sys.path.insert(0, {here!r})
from generate import generate_chain
from journeymap.analysis import analyse
chain = generate_chain({size}, back_to_previous={back})
start = time.perf_counter()
analysis = analyse(chain)
print(time.perf_counter() - start, len(analysis.problems), analysis.stats is not None)
"""

SHAPES = (  # (touchpoints, share of stages with a loop back to the previous one, target in s)
    (1_000, 0.2, None),
    (10_000, 0.2, 1.0),
    (10_000, 1.0, 1.0),
    (100_000, 0.2, None),
)


def fresh_process(size: int, back: float) -> tuple[float, float, float]:
    """Wall time of a fresh process building the chain and analysing it, the time analyse()
    took in it, and the process's peak RSS in MB (processes.py)."""
    done = processes.measured([sys.executable, "-c", CHILD.format(here=str(HERE), size=size, back=back)])
    if done.status:
        raise SystemExit(f"the stats process for {size} touchpoints failed")
    return done.wall, float(done.stdout.split()[0]), done.peak_mb


def end_to_end(chain, repeat: int = 3) -> str:
    """`journey stats FILE` on the chain written as a map: the command a user runs, reading,
    compiling and checking the file included (best of `repeat` fresh processes)."""
    import tempfile

    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder, "chain.journey")
        path.write_text(chain_as_map(chain), encoding="utf-8")
        runs = [processes.journey(["stats", str(path)]) for _ in range(repeat)]
    if any(run.status not in (0, 1) for run in runs):
        raise SystemExit("journey stats failed on the chain's map")
    best = min(runs, key=lambda run: run.wall)
    return (f"journey stats on it as a .journey file, end to end: {best.wall:5.2f} s, "
            f"{max(run.peak_mb for run in runs):6.1f} MB   (target < 1 s, < 200 MB)")


def best_cpu(action, repeat: int) -> float:
    best = float("inf")
    for _ in range(repeat):
        start = time.process_time()
        action()
        best = min(best, time.process_time() - start)
    return best


def steps_of(chain) -> int:
    from journeymap.analysis.sparse import Budget
    from journeymap.analysis.stats import _Moves, _Solution, _start

    budget = Budget(10**12)
    _Solution(chain, _Moves(chain, []), _start(chain, []), budget).stats([])
    return budget.limit - budget.left


def compare_with_scipy(chain) -> str:
    """Our factorization with the solves and inverse entries stats needs, against SuperLU
    (scipy.sparse.linalg.splu) doing the factorization and two solves. SuperLU has no selected
    inversion: reach needs G(t,t) for every touchpoint on a loop, one solve each, and stage reach
    a factorization per stage (the stage made absorbing); those are timed on a sample and
    extrapolated."""
    try:
        import numpy as np
        from scipy.sparse import csc_matrix, identity
        from scipy.sparse.linalg import splu
    except ImportError:
        return "numpy/scipy not installed: no comparison"
    from journeymap.analysis.sparse import Budget, TransientSystem, components
    from journeymap.analysis.stats import _Moves

    moves = _Moves(chain, [])
    size = len(chain.touchpoints)
    parts = components(range(size), moves.successors, range(size))
    on_loops = [v for part in parts if len(part) > 1 for v in part]

    def ours():
        system = TransientSystem(parts, moves.successors, moves.leak, range(size), Budget(10**12))
        system.forward({0: 1.0})
        system.backward({v: moves.leak[v] for v in range(size)})
        system.inverse()

    rows, cols, values = [], [], []
    for source, edges in enumerate(moves.successors):
        for target, p in edges:
            rows.append(source)
            cols.append(target)
            values.append(p)
    matrix = (identity(size, format="csc") - csc_matrix((values, (rows, cols)), shape=(size, size))).tocsc()

    def superlu():
        lu = splu(matrix)
        b = np.zeros(size)
        b[0] = 1.0
        lu.solve(b, trans="T")
        lu.solve(np.array(moves.leak))
        return lu

    ours_time, scipy_time = best_cpu(ours, 3), best_cpu(superlu, 3)
    lu = superlu()
    sample = on_loops[:200]

    def diagonal_sample():
        for v in sample:
            e = np.zeros(size)
            e[v] = 1.0
            lu.solve(e)

    per_solve = best_cpu(diagonal_sample, 1) / max(1, len(sample))
    per_factor = best_cpu(lambda: splu(matrix), 3)
    reach_estimate = per_solve * len(on_loops) + per_factor * len(chain.stages)
    return (f"ours: factor, 2 solves and the diagonal of the inverse {ours_time:6.3f} s CPU; "
            f"SuperLU: factor and 2 solves {scipy_time:6.3f} s, and about {reach_estimate:5.1f} s more for the "
            f"same reach figures ({len(on_loops):,} solves for the diagonal, {len(chain.stages):,} factorizations "
            f"for the stages)")


def main() -> None:
    from journeymap.analysis import analyse

    for size, back, target in SHAPES:
        chain = generate_chain(size, back_to_previous=back)
        wall, inside, rss = fresh_process(size, back)
        cpu = best_cpu(lambda: analyse(chain), 3 if size <= 10_000 else 1)
        goal = f"(target < {target} s, < 200 MB)" if target else ""
        print(f"stats, {size:>7,} touchpoints, loops back {back:.0%} of stages: process {wall:6.2f} s "
              f"(analyse {inside:5.2f} s), {rss:6.1f} MB; in process {cpu:6.3f} s CPU, "
              f"{steps_of(chain):>11,} steps  {goal}", flush=True)
        if size == 10_000:
            print(f"  {compare_with_scipy(chain)}", flush=True)
            print(f"  {end_to_end(chain)}", flush=True)
    import journeymap

    for size in (1_000, 3_000, 10_000):
        text = generate_map(size)
        start = time.process_time()
        chain = _v1_chain(journeymap.compile_text(text, f"map{size}.journey").journey)
        compiled = time.process_time() - start
        start = time.process_time()
        analysis = analyse(chain)
        spent = time.process_time() - start
        verdict = "figures" if analysis.stats else analysis.problems[-1].kind
        print(f"flow benchmark map {size:>6,} touchpoints (one loop of nearly all): compile {compiled:5.2f} s, "
              f"stats {spent:6.2f} s CPU: {verdict}", flush=True)


DAYS = {"min": 1 / 1440, "h": 1 / 24, "d": 1.0, "w": 7.0, "mo": 30.4375}


def _v1_chain(journey):
    """A Chain from a v1 model (no entries, outcomes or severities yet): enough for timing."""
    from journeymap.analysis import Chain, ChainStage, ChainTouchpoint, ChainTransition

    def days(duration):
        return None if duration is None else duration.value * DAYS[duration.unit]

    stage_index = {stage.id: i for i, stage in enumerate(journey.stages)}
    index = {tp.id: i for i, tp in enumerate(journey.touchpoints)}
    return Chain(
        tuple(ChainStage(stage.id, days(stage.duration)) for stage in journey.stages),
        tuple(ChainTouchpoint(tp.id, stage_index[tp.stage], duration=days(tp.duration), emotion=tp.emotion,
                              pains=(None,) * len(tp.pains), moment=tp.moment is not None)
              for tp in journey.touchpoints),
        tuple(ChainTransition(index[t.source_id], index[t.target_id], t.rate) for t in journey.transitions),
    )


if __name__ == "__main__":
    sys.path.insert(0, str(HERE))
    main()
