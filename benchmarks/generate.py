"""Generates realistic maps of any size for the benchmarks: stages of touchpoints with
emotions, pains and opportunities, forward transitions and a few loops back."""

from __future__ import annotations

import random


def generate_map(touchpoints: int, *, per_stage: int = 10, loops: int | None = None, seed: int = 7) -> str:
    rng = random.Random(seed)
    stages = max(1, (touchpoints + per_stage - 1) // per_stage)
    lines = [f'title "Generated journey with {touchpoints} touchpoints"', "status as-is", ""]
    lines += ['persona pat "Pat, a customer" {', '  goal "Get it done"', "}", ""]
    ids: list[str] = []
    channels = ["web", "mobile", "email", "social", "store", "phone", "chat", "support"]
    n = 0
    for s in range(stages):
        lines.append(f'stage s{s} "Stage {s + 1}" {{')
        lines.append(f'  goal "Goal of stage {s + 1}"')
        for _ in range(per_stage):
            if n == touchpoints:
                break
            tid = f"t{n}"
            ids.append(tid)
            lines.append(f'  touchpoint {tid} "Touchpoint {n + 1}" {{')
            lines.append(f"    channel {rng.choice(channels)}")
            lines.append(f'    action "Does step {n + 1}"')
            lines.append(f"    emotion {rng.randint(-2, 2)}")
            if rng.random() < 0.3:
                lines.append(f'    pain "Pain point number {n + 1}"')
            if rng.random() < 0.2:
                lines.append(f'    opportunity "Idea number {n + 1}"')
            if rng.random() < 0.05:
                lines.append('    moment first "A moment of truth"')
            lines.append("  }")
            n += 1
        lines.append("}")
        lines.append("")
    for a, b in zip(ids, ids[1:]):
        lines.append(f"{a} -> {b}")
    loops = max(1, touchpoints // 20) if loops is None else loops
    for _ in range(loops):
        a = rng.randrange(1, len(ids))
        b = rng.randrange(0, a)
        lines.append(f'{ids[a]} -> {ids[b]} "back" {{ style dashed; rate {rng.randint(1, 30)}% }}')
    return "\n".join(lines) + "\n"


def generate_chain(touchpoints: int, *, per_stage: int = 10, back_to_previous: float = 0.2, seed: int = 7):
    """A `journeymap.analysis.Chain` shaped like a big real map, for the stats benchmark: forward
    flow with skips, rated steps where travellers drop off, loops back within a stage (half the
    stages) and to the previous stage (`back_to_previous` of them), entries at every stage, churn touchpoints with a
    failure outcome (a fifth of the stages; half of them with a win-back), success at the end,
    stage and touchpoint durations, emotions, pains and moments of truth.
    back_to_previous=1 makes nearly the whole map one loop."""
    from journeymap.analysis import Chain, ChainStage, ChainTouchpoint, ChainTransition

    rng = random.Random(seed)
    stages = max(1, (touchpoints + per_stage - 1) // per_stage)
    members = [list(range(s * per_stage, min(touchpoints, (s + 1) * per_stage))) for s in range(stages)]
    churns = [s > 0 and len(ids) > 2 and rng.random() < 0.2 for s, ids in enumerate(members)]
    main = [ids[:-1] if churn else ids for ids, churn in zip(members, churns)]
    outcome: dict[int, str] = {main[-1][-1]: "success"}
    transitions: list[ChainTransition] = []
    for s, ids in enumerate(main):
        onward = ids[1:] + main[s + 1][:1] if s + 1 < stages else ids[1:]
        free = []  # touchpoints whose travellers all move on: loops and churn may leave from them
        for position, (i, following) in enumerate(zip(ids, onward)):
            if rng.random() < 0.1:  # a rated step: the rest drop off
                transitions.append(ChainTransition(i, following, rng.randint(90, 99)))
                continue
            free.append(i)
            transitions.append(ChainTransition(i, following))
            if rng.random() < 0.3 and position + 1 < len(onward):
                transitions.append(ChainTransition(i, onward[position + 1]))
        if len(free) > 1 and rng.random() < 0.5:
            a, b = sorted(rng.sample(free, 2))
            transitions.append(ChainTransition(b, a, rng.randint(5, 30)))
        if s and free and rng.random() < back_to_previous:
            transitions.append(ChainTransition(rng.choice(free), rng.choice(main[s - 1]), rng.randint(5, 20)))
        if churns[s] and free:
            churn = members[s][-1]
            outcome[churn] = "failure"
            transitions.append(ChainTransition(rng.choice(free), churn, rng.randint(5, 15)))
            if rng.random() < 0.5:  # a win-back
                transitions.append(ChainTransition(churn, rng.choice(ids), rng.randint(5, 20)))
    stage_of = [s for s, ids in enumerate(members) for _ in ids]
    chain_touchpoints = tuple(
        ChainTouchpoint(
            id=f"t{i}", stage=stage_of[i], outcome=outcome.get(i),
            entry=round(100 / stages, 6) if i == main[stage_of[i]][0] else None,
            duration=rng.choice((None, None, None, 0.5, 1.0, 2.0)),
            emotion=rng.randint(-2, 2),
            pains=tuple(rng.choice(("low", "medium", "high", None)) for _ in range(rng.choice((0, 0, 1, 2)))),
            moment=rng.random() < 0.05,
        )
        for i in range(touchpoints)
    )
    chain_stages = tuple(ChainStage(f"s{s}", duration=rng.choice((None, 3.0, 7.0, 14.0))) for s in range(stages))
    return Chain(chain_stages, chain_touchpoints, tuple(transitions))


def chain_as_map(chain) -> str:
    """A `generate_chain` chain written as a .journey map (the same stages, touchpoints, entries,
    outcomes, durations, emotions, pains, moments and rated transitions), so `journey stats` can be
    timed end to end on the shape the stats benchmark computes."""
    def days(value: float) -> str:
        return f"{value:g}d"

    lines = [f'title "Generated journey with {len(chain.touchpoints)} touchpoints and loops"', ""]
    members: list[list[int]] = [[] for _ in chain.stages]
    for index, touchpoint in enumerate(chain.touchpoints):
        members[touchpoint.stage].append(index)
    for stage, ids in zip(chain.stages, members):
        lines.append(f'stage {stage.id} "Stage {stage.id[1:]}" {{')
        if stage.duration is not None:
            lines.append(f"  duration {days(stage.duration)}")
        for index in ids:
            tp = chain.touchpoints[index]
            lines.append(f'  touchpoint {tp.id} "Touchpoint {index + 1}" {{')
            lines.append(f"    emotion {tp.emotion}")
            if tp.entry is not None:
                lines.append(f"    entry {tp.entry:g}%")
            if tp.outcome is not None:
                lines.append(f"    outcome {tp.outcome}")
            if tp.duration is not None:
                lines.append(f"    duration {days(tp.duration)}")
            for number, severity in enumerate(tp.pains):
                block = f" {{ severity {severity} }}" if severity else ""
                lines.append(f'    pain "Pain {number + 1} of touchpoint {index + 1}"{block}')
            if tp.moment:
                lines.append('    moment first "A moment of truth"')
            lines.append("  }")
        lines.append("}")
        lines.append("")
    for transition in chain.transitions:
        source, target = chain.touchpoints[transition.source].id, chain.touchpoints[transition.target].id
        rate = f" {{ rate {transition.rate:g}% }}" if transition.rate is not None else ""
        lines.append(f"{source} -> {target}{rate}")
    return "\n".join(lines) + "\n"
