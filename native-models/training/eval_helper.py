"""Adapter between `npm run eval` and the model's Python judge (world/).

    eval_helper.py prompts --per-category N --seed S   -> {"category": [prompt, ...], ...}
    eval_helper.py judge --batch FILE.jsonl            -> one JSON result per input line
    eval_helper.py extend-prompts --per-side N --seed S -> {"right": [{"source", "extension"}, ...], ...}

FILE.jsonl holds {"png": path, "caption": text} lines; each result line is
{"png", "caption", "satisfied", "reason"} (or "error" when the caption or PNG is unusable).
The prompts are the evaluation prompts `evaluate.py model` uses for the same N and seed, so
the engine's figures compare with the PyTorch reference sampler's on the same prompts.
"""
import argparse
import json
import random
import sys


def prompts(per_category, seed):
    from world.prompts import CATEGORIES, sample_prompts
    return {category: list(sample_prompts(category, per_category, seed)) for category in CATEGORIES}


# Extending the canvas: per side, the 3x3 line (column or row) of the source that the generated
# window keeps, where that line lands in the window, and the window's line in the new strip.
_EXTEND_LINES = {
    "right": ("column", 2, 0, 2),
    "left": ("column", 0, 2, 0),
    "bottom": ("row", 2, 0, 2),
    "top": ("row", 0, 2, 0),
}


def extend_prompts(per_side, seed):
    """Per side: a one-object source caption with its object in the line the window keeps, and
    the window's caption: that object where the window holds it and a new object in the new strip."""
    from world.captions import parse
    from world.spec import BACKGROUND_NAMES, COLOR_NAMES, HELD_OUT_PAIRS, POSITION_CELLS, SHAPES
    place = {cell: name for name, cell in reversed(list(POSITION_CELLS.items()))}  # "center", not "middle"

    def obj(color, shape):
        return ("an " if color[0] in "aeiou" else "a ") + f"{color} {shape}"

    def at(axis, line, other):
        return "at the " + place[(other, line) if axis == "column" else (line, other)]

    out = {}
    for i, (side, (axis, kept, held, new)) in enumerate(_EXTEND_LINES.items()):
        rng = random.Random(seed * 4 + i)
        pairs = []
        while len(pairs) < per_side:
            colors = rng.sample(COLOR_NAMES, 2)
            shapes = [rng.choice(SHAPES), rng.choice(SHAPES)]
            if any(pair in HELD_OUT_PAIRS for pair in zip(colors, shapes)):
                continue
            first, second = obj(colors[0], shapes[0]), obj(colors[1], shapes[1])
            rows = [rng.randrange(3), rng.randrange(3)]
            background = f"on a {rng.choice(BACKGROUND_NAMES)} background"
            source = f"{first} {at(axis, kept, rows[0])} {background}"
            extension = f"{first} {at(axis, held, rows[0])} and {second} {at(axis, new, rows[1])} {background}"
            parse(source), parse(extension)  # both in the grammar, or this raises
            pairs.append({"source": source, "extension": extension})
        out[side] = pairs
    return out


def judge_batch(path):
    from world.judge import judge
    with open(path) as f:
        for line in f:
            if not line.strip():
                continue
            item = json.loads(line)
            try:
                verdict = judge(item["png"], item["caption"])
                result = {"satisfied": verdict["satisfied"], "reason": verdict["reason"]}
            except ValueError as error:  # CaptionError, PngError
                result = {"satisfied": False, "error": str(error)}
            print(json.dumps({"png": item["png"], "caption": item["caption"], **result}), flush=True)


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = parser.add_subparsers(dest="command", required=True)
    p = sub.add_parser("prompts")
    p.add_argument("--per-category", type=int, required=True)
    p.add_argument("--seed", type=int, required=True)
    j = sub.add_parser("judge")
    j.add_argument("--batch", required=True)
    e = sub.add_parser("extend-prompts")
    e.add_argument("--per-side", type=int, required=True)
    e.add_argument("--seed", type=int, required=True)
    args = parser.parse_args()
    try:
        if args.command == "prompts":
            print(json.dumps(prompts(args.per_category, args.seed)))
        elif args.command == "extend-prompts":
            print(json.dumps(extend_prompts(args.per_side, args.seed)))
        else:
            judge_batch(args.batch)
    except ImportError as error:
        sys.exit(f"the model's evaluation code is not available: {error}")


if __name__ == "__main__":
    main()
