"""Training data: rendered scenes, their image tokens, and captions drawn afresh each batch.

Scenes never contain a held-out colour-shape pair, and captions reserved for evaluation
(captions.is_evaluation_caption) are never used: a scene whose drawn caption is reserved
gets another draw.
"""
import random

import numpy as np
import torch

from world.captions import describe, is_evaluation_caption
from world.render import render
from world.scene import Scene, SceneObject, sample_scene
from world.spec import BACKGROUND_NAMES, COLOR_NAMES, SHAPES
from image_tokenizer import PATCH, background_colours, nearest_tokens, to_patches

SIZES = ["small", "large"]


def pack_scenes(scenes):
    """Scenes -> compact arrays (background index, object count, objects [N,2,7])."""
    bg = np.array([BACKGROUND_NAMES.index(s.background) for s in scenes], np.int8)
    count = np.array([len(s.objects) for s in scenes], np.int8)
    objs = np.zeros((len(scenes), 2, 7), np.float32)
    for i, s in enumerate(scenes):
        for j, o in enumerate(s.objects):
            objs[i, j] = (COLOR_NAMES.index(o.color), SHAPES.index(o.shape), SIZES.index(o.size),
                          o.row, o.col, o.cx, o.cy)
    return bg, count, objs


def unpack_scene(bg, count, objs):
    return Scene(BACKGROUND_NAMES[bg], tuple(
        SceneObject(COLOR_NAMES[int(o[0])], SHAPES[int(o[1])], SIZES[int(o[2])], int(o[3]), int(o[4]),
                    float(o[5]), float(o[6]))
        for o in objs[:count]))


def tokenize_known_background(images, backgrounds, patterns, chunk=4096):
    """The image encoder's tokens for rendered images whose background is known.

    Only patches that differ from the background are searched (most are empty), which
    makes building a large dataset some ten times faster than running the encoder.
    """
    patterns = torch.as_tensor(patterns)
    g = len(patterns)
    bg_all = torch.as_tensor(backgrounds).long()
    out = []
    for i in range(0, len(images), chunk):
        px = torch.as_tensor(images[i:i + chunk]).permute(0, 3, 1, 2).float() / 255
        bg_idx = bg_all[i:i + chunk]
        patches = to_patches(px)                                        # [B,N,192]
        tokens = (bg_idx[:, None] * (1 + 6 * g)).expand(patches.shape[:2]).clone()
        bg_pixels = background_colours()[bg_idx].repeat(1, PATCH * PATCH)  # [B,192]
        busy = (patches - bg_pixels[:, None]).abs().amax(-1) > 0.5 / 255
        rows = busy.nonzero(as_tuple=True)
        tokens[rows] = nearest_tokens(patches[rows][:, None], bg_idx[rows[0]], patterns)[:, 0]
        out.append(tokens)
    return torch.cat(out).numpy().astype(np.int32)


def build_dataset(n, seed, patterns, resolution=64):
    rng = random.Random(seed)
    scenes = [sample_scene(rng) for _ in range(n)]
    images = np.stack([render(s, resolution) for s in scenes])
    bg, count, objs = pack_scenes(scenes)
    tokens = tokenize_known_background(images, bg, patterns)
    return {"bg": bg, "count": count, "objs": objs, "tokens": tokens}


class CaptionedBatches:
    """Random batches of (captions, image tokens); captions are drawn per batch."""

    def __init__(self, dataset, tokenizer, batch_size, seed, drop_caption=0.1):
        self.data = dataset
        self.tokenizer = tokenizer
        self.batch_size = batch_size
        self.rng = random.Random(seed)
        self.drop_caption = drop_caption

    def caption(self, scene):
        if self.rng.random() < self.drop_caption:
            return ""
        for _ in range(20):
            text = describe(self.rng, scene)
            if not is_evaluation_caption(text):
                return text
        return ""

    def scenes(self, idx):
        return [unpack_scene(self.data["bg"][i], self.data["count"][i], self.data["objs"][i]) for i in idx]

    def next(self):
        idx = [self.rng.randrange(len(self.data["tokens"])) for _ in range(self.batch_size)]
        scenes = self.scenes(idx)
        captions = [self.caption(s) for s in scenes]
        ids, mask = self.tokenizer.batch(captions)
        tokens = torch.as_tensor(self.data["tokens"][idx]).long()
        return ids, mask, tokens, scenes, captions
