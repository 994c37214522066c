"""Markdown tables of a release's measurements (RUN/release/metrics.json), for the README.

    /usr/bin/python3 native-models/training/tables.py RUN/release/metrics.json
"""
import json
import sys

from world.prompts import CATEGORIES

HEADER = "| {} | one object | two objects, positions | relation | held-out pair |\n|---|---|---|---|---|"


def row(label, figures):
    return "| " + label + " | " + " | ".join(f"{figures[c]['satisfied'] * 100:.1f} %" for c in CATEGORIES) + " |"


def main(path):
    m = json.load(open(path))
    pf = m["promptFollowing"]
    s = pf["settings"]
    print(HEADER.format("setting"))
    print(row(f"**default: guidance {s['guidance']:g}, {s['candidates']} candidates reranked** "
              f"({pf['prompts_per_category']} prompts each)", pf["default"]))
    print("| goal | ≥ 95 % | ≥ 85 % | ≥ 80 % | aim ≥ 50 % |\n")
    n = pf.get("sweep_prompts_per_category")
    print(f"Guidance, 1 candidate ({n} prompts each):\n")
    print(HEADER.format("guidance"))
    for g, figures in pf["guidance"].items():
        print(row("off (1)" if float(g) == 1 else g, figures))
    print(f"\nReranking, guidance {s['guidance']:g} ({n} prompts each):\n")
    print(HEADER.format("candidates"))
    for c, figures in pf["candidates"].items():
        print(row(c, figures))
    sel = m["guidanceSelection"]
    print(f"\nGuidance selection (validation seed {sel['seed']}, {sel['promptsPerCategory']} prompts each, "
          f"{sel['candidates']} candidates; chosen {sel['chosen']:g}):\n")
    print(HEADER.format("guidance"))
    for g, figures in sel["byGuidance"].items():
        print(row(g, figures))
    t = m["imageTokenizer"]
    print(f"\nImage tokenizer: judge agreement {t['judge_agreement'] * 100:.1f} % of {t['scenes']} scenes, "
          f"PSNR {t['psnr_db']} dB, {t['codebook_used']:,} / {t['codebook_size']:,} codewords, "
          f"{t['patterns_used']:,} / {t['patterns']:,} patterns.")


if __name__ == "__main__":
    main(sys.argv[1])
