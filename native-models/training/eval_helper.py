"""Adapter between `npm run eval` and the model's Python judge (world/).

    eval_helper.py prompts --per-category N --seed S   -> {"category": [prompt, ...], ...}
    eval_helper.py judge --batch FILE.jsonl            -> one JSON result per input line

FILE.jsonl holds {"png": path, "caption": text} lines; each result line is
{"png", "caption", "satisfied", "reason"} (or "error" when the caption or PNG is unusable).
The prompts are the evaluation prompts `evaluate.py model` uses for the same N and seed, so
the engine's figures compare with the PyTorch reference sampler's on the same prompts.
"""
import argparse
import json
import sys


def prompts(per_category, seed):
    from world.prompts import CATEGORIES, sample_prompts
    return {category: list(sample_prompts(category, per_category, seed)) for category in CATEGORIES}


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
    args = parser.parse_args()
    try:
        if args.command == "prompts":
            print(json.dumps(prompts(args.per_category, args.seed)))
        else:
            judge_batch(args.batch)
    except ImportError as error:
        sys.exit(f"the model's evaluation code is not available: {error}")


if __name__ == "__main__":
    main()
