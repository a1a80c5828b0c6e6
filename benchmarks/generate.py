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
