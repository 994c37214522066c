"""Rebuild a run's decoder checkpoint from an exported package, when the run folder is lost.

    /usr/bin/python3 native-models/training/recover_checkpoint.py --package native-models/shapes-v1 --run-dir RUN

Checkpoints live outside the repo, so a machine change can lose them; the package holds
every weight of the encoder-decoder. Named initialisers map to the state dict directly;
the MatMul weights that the exporter stored transposed under anonymous names are
identified by the node that consumes them. The rebuilt model must reproduce the package's
parity vectors, or nothing is written. The checkpoint carries no optimiser state:
train.py then restarts AdamW with a short warm-up from the recorded step.
"""
import argparse
import base64
import json
import os
import re

import numpy as np
import onnx
import torch
from onnx import numpy_helper

from export import DecoderGraph, TextEncoderGraph
from model import ModelConfig, PartiModel

# Exporter node scope -> state-dict module. Within a decoder layer the self-attention's
# projections are traced first, so the cross-attention's carry the "_1" suffix.
DECODER_LAYER_MODULES = {"q": "self_attn.q", "kv": "self_attn.kv", "out": "self_attn.out",
                         "q_1": "cross_attn.q", "out_1": "cross_attn.out", "ff/ff.0": "ff.0", "ff/ff.2": "ff.2"}
ENCODER_LAYER_MODULES = {"q": "attn.q", "kv": "attn.kv", "out": "attn.out", "ff/ff.0": "ff.0", "ff/ff.2": "ff.2"}


def module_for(graph, scope):
    """State-dict module name of a MatMul node's scope, e.g. '/layers.0/q_1' -> 'layers.0.cross_attn.q'."""
    m = re.fullmatch(r"/text_encoder/layers\.(\d+)/(.+)", scope)
    if graph == "text_encoder" and m:
        return f"text_encoder.layers.{m[1]}.{ENCODER_LAYER_MODULES[m[2]]}"
    m = re.fullmatch(r"/kv(?:_(\d+))?", scope)
    if graph == "text_encoder" and m:   # every decoder layer's cross-attention keys/values, in layer order
        return f"layers.{int(m[1] or 0)}.cross_attn.kv"
    m = re.fullmatch(r"/layers\.(\d+)/(.+)", scope)
    if graph == "decoder" and m:
        return f"layers.{m[1]}.{DECODER_LAYER_MODULES[m[2]]}"
    m = re.fullmatch(r"/(head_\w+)", scope)
    if graph == "decoder" and m:
        return m[1]
    raise ValueError(f"{graph}: no module for MatMul scope {scope}")


def weights_of(path, graph):
    model = onnx.load(path)
    consumers = {x: n for n in model.graph.node for x in n.input}
    state = {}
    for init in model.graph.initializer:
        value = torch.from_numpy(numpy_helper.to_array(init).copy())
        if init.name.startswith("model."):
            state[init.name[len("model."):]] = value
        else:
            node = consumers[init.name]
            assert node.op_type == "MatMul" and node.name.endswith("/MatMul"), node.name
            state[module_for(graph, node.name[:-len("/MatMul")]) + ".weight"] = value.T.contiguous()
    return state


def decode_array(a):
    dtype = {"float32": np.float32, "int64": np.int64}[a["dtype"]]
    return torch.from_numpy(np.frombuffer(base64.b64decode(a["base64"]), dtype).reshape(a["shape"]).copy())


def parity_error(graph_module, vector_path):
    vector = json.load(open(vector_path))
    inputs = [decode_array(v) for v in vector["inputs"].values()]
    with torch.no_grad():
        outputs = graph_module(*inputs)
    outputs = outputs if isinstance(outputs, tuple) else (outputs,)
    return max((o - decode_array(e)).abs().max().item() for o, e in zip(outputs, vector["outputs"].values()))


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--package", required=True)
    p.add_argument("--run-dir", required=True)
    p.add_argument("--parity-dir", default="test/fixtures/parity/shapes-v1")
    args = p.parse_args()
    manifest = json.load(open(os.path.join(args.package, "manifest.json")))
    training = manifest["training"]
    model = PartiModel(ModelConfig(**training["model"]))
    state = {**weights_of(os.path.join(args.package, "text_encoder.onnx"), "text_encoder"),
             **weights_of(os.path.join(args.package, "decoder.onnx"), "decoder")}
    model.load_state_dict(state, strict=True)
    model.eval()
    errors = {"textEncoder": parity_error(TextEncoderGraph(model), os.path.join(args.parity_dir, "textEncoder.json")),
              "decoder": parity_error(DecoderGraph(model), os.path.join(args.parity_dir, "decoder.json"))}
    print(json.dumps({"parity_max_abs_error": errors}))
    if max(errors.values()) > 1e-4:
        raise SystemExit("recovered weights do not reproduce the package's parity vectors; nothing written")
    os.makedirs(args.run_dir, exist_ok=True)
    out = os.path.join(args.run_dir, "decoder.pt")
    torch.save({"config": model.cfg.to_json(), "state": model.state_dict(), "step": training["steps"],
                "seconds": training["trainSeconds"], "recovered_from": args.package}, out)
    print(json.dumps({"checkpoint": out, "step": training["steps"]}))


if __name__ == "__main__":
    main()
