"""Write onnx/image_encoder.onnx into a Janus-Pro ONNX folder, from the original PyTorch weights.

    /usr/bin/python3 native-models/janus/export_image_encoder.py \
        --weights /path/to/deepseek-ai/Janus-Pro-1B --out /path/to/Janus-Pro-1B-ONNX

The onnx-community export ships the VQ decoder (image_decode) but not its encoder, so the
studio cannot turn an outside image into Janus tokens; this script exports LlamaGen's VQ-16
encoder + quantiser (`gen_vision_model.encoder`, `quant_conv`, `quantize`) from the
original checkpoint (config.json + pytorch_model.bin, or *.safetensors shards; only the
`gen_vision_model.*` tensors are read). Graph: `pixel_values` float32 [B, 3, 384, 384] in
[-1, 1] -> `image_ids` int64 [B, 576], the nearest L2-normalised code per 16-px cell.

It needs the original weights (about 4 GB, downloaded from the Hugging Face hub), which
cannot be fetched on the machine this project is built on: it has only been run on the
tiny replica's own VQ (make_replica.py --torch-weights), under npm test.
`--reference FILE` also writes PyTorch's ids for a fixed test picture, for that test.
"""
from __future__ import annotations

import argparse
import glob
import json
import os
import sys

import numpy as np
import onnx
import torch
from torch import nn

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from janus_torch import VQModel, vq_settings  # noqa: E402

PREFIX = 'gen_vision_model.'
SAFETENSORS_DTYPES = {'F32': np.float32, 'F16': np.float16, 'BF16': np.uint16}


def read_safetensors(path: str, prefix: str) -> dict[str, torch.Tensor]:
    """The tensors under `prefix` of one .safetensors file (8-byte header size, JSON header, data)."""
    out = {}
    with open(path, 'rb') as f:
        size = int.from_bytes(f.read(8), 'little')
        header = json.loads(f.read(size))
        base = 8 + size
        for name, entry in header.items():
            if not name.startswith(prefix):
                continue
            start, end = entry['data_offsets']
            f.seek(base + start)
            raw = np.frombuffer(f.read(end - start), dtype=SAFETENSORS_DTYPES[entry['dtype']]).reshape(entry['shape'])
            tensor = torch.from_numpy(raw.copy())
            if entry['dtype'] == 'BF16':  # bfloat16 is the top half of a float32
                tensor = (tensor.to(torch.int32) << 16).view(torch.float32)
            out[name] = tensor.float()
    return out


def vq_state_dict(weights_dir: str) -> dict[str, torch.Tensor]:
    tensors: dict[str, torch.Tensor] = {}
    for path in sorted(glob.glob(os.path.join(weights_dir, '*.safetensors'))):
        tensors.update(read_safetensors(path, PREFIX))
    for path in sorted(glob.glob(os.path.join(weights_dir, 'pytorch_model*.bin'))):
        state = torch.load(path, map_location='cpu')
        tensors.update({k: v.float() for k, v in state.items() if k.startswith(PREFIX)})
    if not tensors:
        raise SystemExit(f'export_image_encoder: no {PREFIX}* weights in {weights_dir} (expected *.safetensors or pytorch_model*.bin)')
    return {k[len(PREFIX):]: v for k, v in tensors.items()}


class ImageEncoder(nn.Module):
    def __init__(self, vq: VQModel):
        super().__init__()
        self.vq = vq

    def forward(self, pixel_values):
        return self.vq.encode_to_ids(pixel_values)


def test_picture(size: int) -> torch.Tensor:
    """A fixed picture both this script and the engine's test draw: R = x mod 256, G = y mod 256, B = x·y mod 256."""
    y, x = np.mgrid[0:size, 0:size]
    rgb = np.stack([x % 256, y % 256, (x * y) % 256]).astype(np.float32)
    return torch.from_numpy(rgb / 255 * 2 - 1)[None]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    parser.add_argument('--weights', required=True, help='folder of the original deepseek-ai/Janus-Pro-1B checkpoint')
    parser.add_argument('--out', required=True, help='the Janus ONNX folder to add onnx/image_encoder.onnx to')
    parser.add_argument('--reference', help="also write PyTorch's ids for the test picture (JSON) here")
    args = parser.parse_args()
    with open(os.path.join(args.weights, 'config.json'), encoding='utf-8') as f:
        config = json.load(f)
    with open(os.path.join(args.out, 'preprocessor_config.json'), encoding='utf-8') as f:
        image_size = json.load(f)['image_size']
    vq = VQModel(vq_settings(config, image_size)).eval()
    missing, unexpected = vq.load_state_dict(vq_state_dict(args.weights), strict=False)
    needed = [k for k in missing if k.startswith(('encoder.', 'quant_conv.', 'quantize.'))]
    if needed:
        raise SystemExit(f'export_image_encoder: the checkpoint lacks {len(needed)} encoder tensors, e.g. {needed[0]}')
    path = os.path.join(args.out, 'onnx', 'image_encoder.onnx')
    with torch.no_grad():
        torch.onnx.export(ImageEncoder(vq), (test_picture(image_size),), path, input_names=['pixel_values'],
                          output_names=['image_ids'], dynamic_axes={'pixel_values': {0: 'batch_size'}, 'image_ids': {0: 'batch_size'}},
                          opset_version=14)
    onnx.checker.check_model(onnx.load(path))
    if args.reference:
        with torch.no_grad():
            ids = vq.encode_to_ids(test_picture(image_size))[0].tolist()
        with open(args.reference, 'w', encoding='utf-8') as f:
            json.dump({'ids': ids}, f)
    print(json.dumps({'out': path, 'bytes': os.path.getsize(path), 'ignored_tensors': len(unexpected)}))


if __name__ == '__main__':
    main()
