"""One command that trains every stage of the shapes-v1 model, resumably, and logs metrics.

    /usr/bin/python3 native-models/training/train.py --config full --run-dir RUN [--minutes 150]

Stages, each skipped when its output already exists in RUN (so a run resumes):
  tokenizer  k-means alpha patterns of the image codebook (medoids) -> RUN/patterns.npy
  data       rendered scenes and their image tokens            -> RUN/dataset.npz
  reranker   contrastive text/image dual encoder               -> RUN/reranker.pt
  decoder    encoder-decoder transformer; checkpoints every few minutes and stops at
             the time budget, resuming from RUN/decoder.pt next time -> RUN/decoder.pt
Every step is seeded; metrics go to RUN/metrics.jsonl. Never run in CI except --config smoke.
"""
import argparse
import json
import math
import os
import random
import time

import numpy as np
import torch

from data import CaptionedBatches, build_dataset, tokenize_known_background
from image_tokenizer import kmeans, medoids, patch_alphas
from model import ModelConfig, PartiModel, Reranker, RerankerConfig
from negatives import hard_negative, miscounted
from text_tokenizer import TextTokenizer
from world.captions import parse
from world.render import render_batch
from world.scene import sample_scene, satisfies
from world.spec import BACKGROUND_NAMES

CONFIGS = {
    "full": dict(patterns=1024, kmeans_scenes=12000, kmeans_iterations=25, scenes=400_000,
                 model=dict(d_model=256, heads=4, encoder_layers=2, decoder_layers=4),
                 batch=128, lr=1e-3, warmup=500, total_steps=7000,
                 reranker=dict(d_model=128, heads=4, layers=2, embed_dim=128),
                 reranker_batch=128, reranker_steps=1200, reranker_lr=1e-3),
    "smoke": dict(patterns=32, kmeans_scenes=200, kmeans_iterations=3, scenes=500,
                  model=dict(d_model=32, heads=2, encoder_layers=1, decoder_layers=2),
                  batch=16, lr=3e-3, warmup=5, total_steps=30,
                  reranker=dict(d_model=32, heads=2, layers=1, embed_dim=32),
                  reranker_batch=16, reranker_steps=20, reranker_lr=3e-3),
}


class Run:
    def __init__(self, args):
        self.dir = args.run_dir
        os.makedirs(self.dir, exist_ok=True)
        self.cfg = CONFIGS[args.config]
        self.config_name = args.config
        self.device = torch.device(args.device)
        self.deadline = time.time() + args.minutes * 60
        self.seed = args.seed
        self.tokenizer = TextTokenizer()

    def path(self, name):
        return os.path.join(self.dir, name)

    def log(self, stage, **fields):
        record = {"time": time.strftime("%Y-%m-%dT%H:%M:%S"), "stage": stage, **fields}
        with open(self.path("metrics.jsonl"), "a") as f:
            f.write(json.dumps(record) + "\n")
        print(json.dumps(record), flush=True)

    def autocast(self):
        # bf16 MatMuls run ~4x faster than fp32 on this CPU (AVX-512 BF16); softmax and norms stay fp32.
        return torch.autocast(self.device.type, dtype=torch.bfloat16)

    def model_config(self):
        return ModelConfig(text_vocab=len(self.tokenizer), patterns=self.cfg["patterns"], **self.cfg["model"])

    def reranker_config(self):
        return RerankerConfig(text_vocab=len(self.tokenizer), patterns=self.cfg["patterns"], **self.cfg["reranker"])


def stage_tokenizer(run):
    out = run.path("patterns.npy")
    if os.path.exists(out):
        return np.load(out)
    t0 = time.time()
    rng = random.Random(run.seed)
    # Alpha patterns carry no colour, so any pair can still be drawn; held-out pairs stay unrendered.
    scenes = [sample_scene(rng) for _ in range(run.cfg["kmeans_scenes"])]
    alphas = patch_alphas(scenes, 64)
    patterns = medoids(alphas, kmeans(alphas, run.cfg["patterns"], run.cfg["kmeans_iterations"], run.seed))
    np.save(out, patterns)
    run.log("tokenizer", patterns=len(patterns), seconds=round(time.time() - t0, 1))
    return patterns


def stage_data(run, patterns):
    out = run.path("dataset.npz")
    if not os.path.exists(out):
        t0 = time.time()
        data = build_dataset(run.cfg["scenes"], run.seed + 1, patterns)
        np.savez(out, **data)
        run.log("data", scenes=run.cfg["scenes"], seconds=round(time.time() - t0, 1))
    return dict(np.load(out))


def lr_at(step, cfg, key="lr", warmup=None, total=None):
    warmup = cfg["warmup"] if warmup is None else warmup
    total = cfg["total_steps"] if total is None else total
    if step < warmup:
        return cfg[key] * (step + 1) / warmup
    progress = min((step - warmup) / max(total - warmup, 1), 1.0)
    return cfg[key] * (0.05 + 0.95 * 0.5 * (1 + math.cos(math.pi * progress)))


def miscounted_images(rng, scenes, patterns):
    """Image-side hard negatives: the scenes with an object added or removed, tokenised."""
    wrong = [miscounted(rng, s) for s in scenes]
    backgrounds = np.array([BACKGROUND_NAMES.index(s.background) for s in wrong])
    return wrong, torch.as_tensor(tokenize_known_background(render_batch(wrong), backgrounds, patterns)).long()


def stage_reranker(run, dataset, patterns):
    out = run.path("reranker.pt")
    if os.path.exists(out):
        return
    torch.manual_seed(run.seed + 2)
    cfg = run.cfg
    model = Reranker(run.reranker_config()).to(run.device)
    opt = torch.optim.AdamW(model.parameters(), lr=cfg["reranker_lr"], weight_decay=0.01)
    batches = CaptionedBatches(dataset, run.tokenizer, cfg["reranker_batch"], run.seed + 3, drop_caption=0.0)
    rng = random.Random(run.seed + 4)
    t0 = time.time()
    steps = cfg["reranker_steps"]
    for step in range(steps):
        for group in opt.param_groups:
            group["lr"] = lr_at(step, cfg, "reranker_lr", warmup=steps // 20 + 1, total=steps)
        _, _, tokens, scenes, captions = batches.next()
        # An image whose every drawn caption was reserved for evaluation comes captionless: skip it.
        keep = [i for i, c in enumerate(captions) if c]
        tokens, scenes, captions = tokens[keep], [scenes[i] for i in keep], [captions[i] for i in keep]
        b = len(captions)
        negatives = [hard_negative(rng, c, s) or c for c, s in zip(captions, scenes)]
        wrong_scenes, wrong_tokens = miscounted_images(rng, scenes[:b // 2], patterns)
        parsed = [parse(c) for c in captions + negatives]
        # positives[i, j]: text j describes image i (many captions fit one image, some none).
        positives = torch.tensor([[satisfies(s.objects, s.background, p) for p in parsed] for s in scenes + wrong_scenes])
        ids, mask = run.tokenizer.batch(captions + negatives)
        with run.autocast():
            text = model.embed_text(ids.to(run.device), mask.to(run.device)).float()
            image = model.embed_image(torch.cat([tokens, wrong_tokens]).to(run.device)).float()
        logits = model.scale() * image @ text.T                       # [B + B/2 images, 2B texts]
        pos = positives.to(run.device)
        described = pos.any(1)
        image_to_text = -(torch.logsumexp(logits.masked_fill(~pos, -1e9), 1) - torch.logsumexp(logits, 1))[described]
        text_logits = logits[:, :b].T                                  # [B texts, all images]
        text_pos = pos[:, :b].T
        text_to_image = -(torch.logsumexp(text_logits.masked_fill(~text_pos, -1e9), 1) - torch.logsumexp(text_logits, 1))
        loss = (image_to_text.mean() + text_to_image.mean()) / 2
        opt.zero_grad()
        loss.backward()
        opt.step()
        if step % 50 == 0 or step == steps - 1:
            own = logits[torch.arange(b), torch.arange(b)]
            hard_acc = (own > logits[torch.arange(b), torch.arange(b) + b]).float().mean()
            w = len(wrong_scenes)
            miscount_acc = (own[:w] > logits[torch.arange(b, b + w), torch.arange(w)]).float().mean()
            run.log("reranker", step=step, loss=round(loss.item(), 4), hard_negative_accuracy=round(hard_acc.item(), 3),
                    miscounted_image_accuracy=round(miscount_acc.item(), 3),
                    scale=round(model.scale().item(), 2), seconds=round(time.time() - t0, 1))
    torch.save({"config": model.cfg.to_json(), "state": model.state_dict()}, out)


def stage_decoder(run, dataset):
    out = run.path("decoder.pt")
    cfg = run.cfg
    model = PartiModel(run.model_config()).to(run.device)
    opt = torch.optim.AdamW(model.parameters(), lr=cfg["lr"], betas=(0.9, 0.98), weight_decay=0.01)
    step, elapsed = 0, 0.0
    # A checkpoint rebuilt from a package (recover_checkpoint.py) has no optimiser state:
    # AdamW restarts from that step with a fresh warm-up.
    rewarm_from = None
    batches = CaptionedBatches(dataset, run.tokenizer, cfg["batch"], run.seed + 5)
    torch.manual_seed(run.seed + 6)
    if os.path.exists(out):
        ckpt = torch.load(out)
        model.load_state_dict(ckpt["state"])
        step, elapsed = ckpt["step"], ckpt["seconds"]
        if "optimizer" in ckpt:
            opt.load_state_dict(ckpt["optimizer"])
            batches.rng.setstate(ckpt["batch_rng"])
            torch.set_rng_state(ckpt["torch_rng"])
            rewarm_from = ckpt.get("rewarm_from")
        else:
            rewarm_from = step
            run.log("decoder", resumed_without_optimizer_state=step, source=ckpt.get("recovered_from"))
    if step >= cfg["total_steps"]:
        return

    def lr(step):
        rewarm = 1.0 if rewarm_from is None else min(1.0, (step - rewarm_from + 1) / cfg["warmup"])
        return lr_at(step, cfg) * rewarm

    def save():
        tmp = out + ".tmp"
        torch.save({"config": model.cfg.to_json(), "state": model.state_dict(), "optimizer": opt.state_dict(),
                    "step": step, "seconds": elapsed, "batch_rng": batches.rng.getstate(),
                    "torch_rng": torch.get_rng_state(), "rewarm_from": rewarm_from}, tmp)
        os.replace(tmp, out)

    last_save = t_log = time.time()
    samples_since = 0
    while step < cfg["total_steps"] and time.time() < run.deadline:
        t = time.time()
        for group in opt.param_groups:
            group["lr"] = lr(step)
        ids, mask, tokens, _, _ = batches.next()
        with run.autocast():
            loss, parts = model.loss(ids.to(run.device), mask.to(run.device), tokens.to(run.device))
        opt.zero_grad()
        loss.backward()
        torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
        opt.step()
        step += 1
        elapsed += time.time() - t
        samples_since += len(tokens)
        if step % 100 == 0 or step == cfg["total_steps"]:
            now = time.time()
            run.log("decoder", step=step, loss=round(loss.item(), 4), **{k: round(v, 4) for k, v in parts.items()},
                    lr=round(lr(step), 6), samples_per_s=round(samples_since / (now - t_log), 1),
                    train_seconds=round(elapsed))
            t_log, samples_since = now, 0
        if time.time() - last_save > 300:
            save()
            last_save = time.time()
    save()


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--config", choices=sorted(CONFIGS), default="full")
    parser.add_argument("--run-dir", required=True)
    parser.add_argument("--minutes", type=float, default=150.0, help="wall-time budget of this run")
    parser.add_argument("--device", default="cuda" if torch.cuda.is_available() else "cpu")
    parser.add_argument("--seed", type=int, default=1234)
    parser.add_argument("--threads", type=int, default=os.cpu_count())
    args = parser.parse_args()
    torch.set_num_threads(args.threads)
    run = Run(args)
    run.log("start", config=args.config, device=args.device, threads=args.threads, minutes=args.minutes)
    patterns = stage_tokenizer(run)
    dataset = stage_data(run, patterns)
    stage_reranker(run, dataset, patterns)
    stage_decoder(run, dataset)
    run.log("done")


if __name__ == "__main__":
    main()
