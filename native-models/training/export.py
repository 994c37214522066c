"""Export a trained run to a model package (native-models/FORMAT.md) plus parity vectors.

    /usr/bin/python3 native-models/training/export.py --run-dir RUN --out native-models/shapes-v1 \
        --id shapes-v1 [--parity-dir test/fixtures/parity/shapes-v1]
"""
import argparse
import base64
import hashlib
import json
import os

import numpy as np
import torch
from torch import nn

from image_tokenizer import Detokenizer, ImageEncoder
from model import ModelConfig, PartiModel, Reranker, RerankerConfig
from text_tokenizer import BOS, EOS, PAD, UNK, TextTokenizer

OPSET = 17
RESOLUTION = 64


class TextEncoderGraph(nn.Module):
    def __init__(self, model):
        super().__init__()
        self.model = model

    def forward(self, input_ids, attention_mask):
        keys, values = self.model.cross_kv(input_ids, attention_mask)
        return (*keys, *values)


class DecoderGraph(nn.Module):
    def __init__(self, model):
        super().__init__()
        self.model = model

    def forward(self, input_ids, attention_mask, *caches):
        """`caches`: past keys, past values, cross keys, cross values, L tensors each (FORMAT.md)."""
        n = self.model.cfg.decoder_layers
        past_k, past_v, cross_k, cross_v = (list(caches[i * n:(i + 1) * n]) for i in range(4))
        hidden, keys, values = self.model.decode(input_ids, past_k, past_v, cross_k, cross_v, attention_mask)
        return (self.model.joint_log_probs(hidden), *keys, *values)


class RerankerTextGraph(nn.Module):
    def __init__(self, reranker):
        super().__init__()
        self.reranker = reranker

    def forward(self, input_ids, attention_mask):
        return self.reranker.embed_text(input_ids, attention_mask)


class RerankerImageGraph(nn.Module):
    def __init__(self, reranker):
        super().__init__()
        self.reranker = reranker

    def forward(self, tokens):
        return self.reranker.embed_image(tokens)


def load_run(run_dir):
    ckpt = torch.load(os.path.join(run_dir, "decoder.pt"))
    model = PartiModel(ModelConfig(**ckpt["config"]))
    model.load_state_dict(ckpt["state"])
    rck = torch.load(os.path.join(run_dir, "reranker.pt"))
    reranker = Reranker(RerankerConfig(**rck["config"]))
    reranker.load_state_dict(rck["state"])
    patterns = np.load(os.path.join(run_dir, "patterns.npy"))
    return model.eval(), reranker.eval(), patterns, ckpt


def example_inputs(model, patterns, tokenizer):
    """Small, deterministic inputs for tracing and for parity vectors."""
    cfg = model.cfg
    ids, mask = tokenizer.batch(["a big red circle at the top left on a black background", ""])
    with torch.no_grad():
        cross_k, cross_v = model.cross_kv(ids, mask)
    g = torch.Generator().manual_seed(0)
    past = 3
    past_shape = (2, cfg.heads, past, cfg.head_dim)
    tokens = torch.randint(0, cfg.codebook_size, (2, cfg.image_tokens), generator=g)
    return {
        "ids": ids, "mask": mask, "cross_k": cross_k, "cross_v": cross_v,
        "step_ids": torch.randint(0, cfg.codebook_size, (2, 2), generator=g),
        "past_k": [torch.randn(past_shape, generator=g) * 0.5 for _ in range(cfg.decoder_layers)],
        "past_v": [torch.randn(past_shape, generator=g) * 0.5 for _ in range(cfg.decoder_layers)],
        "tokens": tokens,
        "pixels": Detokenizer(patterns, RESOLUTION)(tokens),
    }


def per_layer(names, layers, shape):
    """One float32 cache tensor per decoder layer and name, e.g. past_key.0, past_key.1, ..."""
    return [(f"{name}.{i}", "float32", shape) for name in names for i in range(layers)]


def graph_specs(model, reranker):
    layers = model.cfg.decoder_layers
    cross = ["B", "H", "T", "Dh"]
    return {
        "textEncoder": ("text_encoder.onnx",
                        [("input_ids", "int64", ["B", "T"]), ("attention_mask", "int64", ["B", "T"])],
                        per_layer(["cross_key", "cross_value"], layers, cross)),
        "decoder": ("decoder.onnx",
                    [("input_ids", "int64", ["B", "S"]), ("attention_mask", "int64", ["B", "T"])]
                    + per_layer(["past_key", "past_value"], layers, ["B", "H", "P", "Dh"])
                    + per_layer(["cross_key", "cross_value"], layers, cross),
                    [("logits", "float32", ["B", "S", "V"])]
                    + per_layer(["present_key", "present_value"], layers, ["B", "H", "P+S", "Dh"])),
        "imageEncoder": ("image_encoder.onnx", [("pixels", "float32", ["B", 3, "R", "R"])],
                         [("tokens", "int64", ["B", "N"])]),
        "detokenizer": ("detokenizer.onnx", [("tokens", "int64", ["B", "N"])],
                        [("pixels", "float32", ["B", 3, "R", "R"])]),
        "rerankerText": ("reranker_text.onnx",
                         [("input_ids", "int64", ["B", "T"]), ("attention_mask", "int64", ["B", "T"])],
                         [("text_embeds", "float32", ["B", "E"])]),
        "rerankerImage": ("reranker_image.onnx", [("tokens", "int64", ["B", "N"])],
                          [("image_embeds", "float32", ["B", "E"])]),
    }


def concrete_shape(shape, cfg, reranker_cfg):
    """Replace the symbols that are fixed by the model with numbers, for the manifest."""
    fixed = {"H": cfg.heads, "Dh": cfg.head_dim, "V": cfg.codebook_size,
             "N": cfg.image_tokens, "R": RESOLUTION, "E": reranker_cfg.embed_dim}
    return [fixed.get(d, d) for d in shape]


def export_graph(module, args, path, spec):
    _, inputs, outputs = spec
    dynamic = {}
    for name, _, shape in inputs + outputs:
        axes = {i: str(d) for i, d in enumerate(shape) if isinstance(d, str) and d in ("B", "T", "S", "P", "P+S")}
        if axes:
            dynamic[name] = axes
    torch.onnx.export(module, args, path, opset_version=OPSET, do_constant_folding=True,
                      input_names=[n for n, _, _ in inputs], output_names=[n for n, _, _ in outputs],
                      dynamic_axes=dynamic)


def encode_array(t):
    a = t.detach().numpy()
    dtype = {"float32": "float32", "int64": "int64"}[str(a.dtype)]
    return {"dtype": dtype, "shape": list(a.shape), "base64": base64.b64encode(np.ascontiguousarray(a).tobytes()).decode()}


def sha256(path):
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--run-dir", required=True)
    p.add_argument("--out", required=True)
    p.add_argument("--id", required=True)
    p.add_argument("--name", default="Shapes world v1")
    p.add_argument("--parity-dir")
    p.add_argument("--metrics", help="JSON file of measured metrics to embed in the manifest")
    p.add_argument("--guidance", type=float, default=3.0, help="default guidance scale (1 = off)")
    p.add_argument("--temperature", type=float, default=1.0)
    p.add_argument("--top-k", type=int, default=64)
    p.add_argument("--candidates", type=int, default=8)
    args = p.parse_args()
    torch.set_num_threads(os.cpu_count())

    model, reranker, patterns, ckpt = load_run(args.run_dir)
    cfg, rcfg = model.cfg, reranker.cfg
    tokenizer = TextTokenizer(cfg.max_text)
    os.makedirs(args.out, exist_ok=True)
    tokenizer.save(os.path.join(args.out, "tokenizer.json"))
    x = example_inputs(model, patterns, tokenizer)
    modules = {
        "textEncoder": (TextEncoderGraph(model), (x["ids"], x["mask"])),
        "decoder": (DecoderGraph(model), (x["step_ids"], x["mask"], *x["past_k"], *x["past_v"], *x["cross_k"], *x["cross_v"])),
        "imageEncoder": (ImageEncoder(patterns), (x["pixels"],)),
        "detokenizer": (Detokenizer(patterns, RESOLUTION), (x["tokens"],)),
        "rerankerText": (RerankerTextGraph(reranker), (x["ids"], x["mask"])),
        "rerankerImage": (RerankerImageGraph(reranker), (x["tokens"],)),
    }
    specs = graph_specs(model, reranker)
    graphs = {}
    for key, (module, inputs) in modules.items():
        module.eval()
        file, ins, outs = specs[key]
        with torch.no_grad():
            export_graph(module, inputs, os.path.join(args.out, file), specs[key])
            outputs = module(*inputs)
        outputs = outputs if isinstance(outputs, tuple) else (outputs,)
        graphs[key] = {
            "file": file,
            "inputs": [{"name": n, "type": t, "shape": concrete_shape(s, cfg, rcfg)} for n, t, s in ins],
            "outputs": [{"name": n, "type": t, "shape": concrete_shape(s, cfg, rcfg)} for n, t, s in outs],
        }
        if args.parity_dir:
            os.makedirs(args.parity_dir, exist_ok=True)
            vector = {"graph": file,
                      "inputs": {n: encode_array(v) for (n, _, _), v in zip(ins, inputs)},
                      "outputs": {n: encode_array(v) for (n, _, _), v in zip(outs, outputs)}}
            with open(os.path.join(args.parity_dir, key + ".json"), "w") as f:
                json.dump(vector, f)

    files = {}
    for name in sorted(os.listdir(args.out)):
        path = os.path.join(args.out, name)
        if name != "manifest.json" and os.path.isfile(path):
            files[name] = {"bytes": os.path.getsize(path), "sha256": sha256(path)}
    metrics = json.load(open(args.metrics)) if args.metrics else {}
    manifest = {
        "format": "parti-package",
        "formatVersion": 2,
        "id": args.id,
        "name": args.name,
        "description": "Parti-style text-to-image model of the shapes world (shared/world/SPEC.md v1): "
                       "coloured circles, squares, triangles and crosses on a 3x3 grid.",
        "image": {"resolution": RESOLUTION, "grid": cfg.grid, "codebookSize": cfg.codebook_size},
        "text": {"tokenizer": "tokenizer.json", "maxLength": cfg.max_text,
                 "padId": PAD, "unkId": UNK, "bosId": BOS, "eosId": EOS},
        "decoder": {"layers": cfg.decoder_layers, "heads": cfg.heads, "headDim": cfg.head_dim,
                    "startTokenId": cfg.codebook_size},
        "reranker": {"embedDim": rcfg.embed_dim, "logitScale": round(float(reranker.scale()), 4)},
        "defaults": {"guidance": args.guidance, "temperature": args.temperature, "topK": args.top_k,
                     "topP": 1.0, "candidates": args.candidates},
        "graphs": graphs,
        "files": files,
        "training": {"recipe": "native-models/training/train.py", "model": cfg.to_json(),
                     "reranker": rcfg.to_json(), "steps": ckpt["step"], "trainSeconds": round(ckpt["seconds"])},
        "metrics": metrics,
    }
    with open(os.path.join(args.out, "manifest.json"), "w") as f:
        json.dump(manifest, f, indent=1)
    total = sum(v["bytes"] for v in files.values())
    print(json.dumps({"package": args.out, "bytes": total, "files": len(files)}))


if __name__ == "__main__":
    main()
