#!/usr/bin/env python3
"""Print evaluation prompts as JSON lines {"category", "prompt"}, N per category.

  python3 eval_prompts.py --per-category 200 --seed 0

The prompts are captions reserved for evaluation (never in training); see world/prompts.py.
"""
import argparse
import json
from pathlib import Path
import sys

sys.path.insert(0, str(Path(__file__).resolve().parent))

from world.prompts import CATEGORIES, sample_prompts  # noqa: E402


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--per-category", type=int, default=200, metavar="N")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--category", choices=CATEGORIES, action="append",
                        help="only these categories (repeatable); default all")
    args = parser.parse_args(argv)
    if args.per_category < 0:
        parser.error("--per-category must not be negative")
    for category in args.category or CATEGORIES:
        for prompt in sample_prompts(category, args.per_category, args.seed):
            print(json.dumps({"category": category, "prompt": prompt}))
    return 0


if __name__ == "__main__":
    sys.exit(main())
