"""Times the PyTorch reference sampler (native-models/training/reference_sampler.py) for
`npm run bench -- --reference-run DIR`: one prompt, warm, at 1 and 16 candidates, including
reranking and pixels as the engine's figures do. Prints {"ms1": …, "ms16": …}.
"""
import argparse
import json
import time

from export import RESOLUTION, load_run
from image_tokenizer import Detokenizer
from reference_sampler import ReferenceSampler, Settings


def median_ms(sampler, prompt, settings, runs):
    times = []
    for i in range(runs):
        start = time.perf_counter()
        tokens, _ = sampler.generate([prompt], settings, seed=i)
        sampler.pixels(tokens[:, 0])
        times.append((time.perf_counter() - start) * 1000)
    return sorted(times)[len(times) // 2]


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--run-dir", required=True)
    p.add_argument("--prompt", required=True)
    p.add_argument("--guidance", type=float, default=3.0)
    p.add_argument("--top-k", type=int, default=64)
    args = p.parse_args()
    model, reranker, patterns, _ = load_run(args.run_dir)
    # torch.multinomial: the fastest PyTorch sampling, so the peer is not slowed by a Python RNG.
    sampler = ReferenceSampler(model.eval(), reranker.eval(), Detokenizer(patterns, RESOLUTION), engine_random=False)
    base = dict(guidance=args.guidance, top_k=args.top_k)
    median_ms(sampler, args.prompt, Settings(**base, candidates=1), 1)  # warm-up
    print(json.dumps({
        "ms1": median_ms(sampler, args.prompt, Settings(**base, candidates=1), 10),
        "ms16": median_ms(sampler, args.prompt, Settings(**base, candidates=16), 3),
    }))


if __name__ == "__main__":
    main()
