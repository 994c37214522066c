"""The image tokenizer: a vector quantiser over 8x8 patches with a factorised codebook.

Every patch of a shapes-world image is the background blended with at most one object
colour, so a codeword is (background, object colour, alpha pattern) and the decoded patch
is `bg + alpha * (colour - bg)`. Only the alpha patterns are learned (k-means over patches
of rendered scenes); colours come from the spec's palette, so colour is never blurred and
the learned patterns are shared by all 18 colour/background pairs.

Encoder: the background by a vote of the border pixels, then the nearest codeword in
pixel space among that background's codewords.
Decoder: the same formula, from the token's three factors. Token layout, for G alpha patterns:
    token = bg * (1 + 6 G) + 0                      an empty (background-only) patch
    token = bg * (1 + 6 G) + 1 + colour * G + g     colour's alpha pattern g
"""
import numpy as np
import torch
from torch import nn
import torch.nn.functional as F

from world.render import object_alpha
from world.spec import BACKGROUND_COLORS, OBJECT_COLORS

PATCH = 8
_BACKGROUNDS = torch.tensor(list(BACKGROUND_COLORS.values()), dtype=torch.float32) / 255
_COLOURS = torch.tensor(list(OBJECT_COLORS.values()), dtype=torch.float32) / 255


def patch_alphas(scenes, resolution):
    """Alpha patches [n, PATCH*PATCH] of every non-empty patch of the scenes' objects."""
    out = []
    grid = resolution // PATCH
    for scene in scenes:
        for obj in scene.objects:
            a = object_alpha(obj, resolution).reshape(grid, PATCH, grid, PATCH).transpose(0, 2, 1, 3)
            a = a.reshape(grid * grid, PATCH * PATCH)
            out.append(a[a.sum(1) > 0.05])
    return np.concatenate(out).astype(np.float32)


def kmeans(data, k, iterations, seed):
    """k-means++ initialisation then Lloyd iterations (torch on CPU)."""
    g = torch.Generator().manual_seed(seed)
    x = torch.from_numpy(data)
    centers = [x[torch.randint(len(x), (1,), generator=g)].squeeze(0)]
    d2 = ((x - centers[0]) ** 2).sum(1)
    for _ in range(1, k):
        idx = torch.multinomial(d2 / d2.sum(), 1, generator=g)
        centers.append(x[idx].squeeze(0))
        d2 = torch.minimum(d2, ((x - centers[-1]) ** 2).sum(1))
    c = torch.stack(centers)
    for _ in range(iterations):
        assign = _nearest(x, c)
        sums = torch.zeros_like(c).index_add_(0, assign, x)
        counts = torch.bincount(assign, minlength=k).float()
        empty = counts == 0
        c = torch.where(empty[:, None], x[torch.randint(len(x), (k,), generator=g)], sums / counts.clamp(min=1)[:, None])
    return c.clamp(0, 1).numpy()


def medoids(data, centers):
    """Replace each centre by its cluster's member nearest to it.

    A k-means centre averages many edge offsets and so rounds corners (a small square
    round-trips as a circle); a real patch keeps edges sharp: judge agreement on round
    trips rose from 99.4 % to 99.7 % for the same clusters.
    """
    x, c = torch.from_numpy(data), torch.from_numpy(centers)
    assign = _nearest(x, c)
    out = centers.copy()
    for k in range(len(centers)):
        members = (assign == k).nonzero()[:, 0]
        if len(members):
            out[k] = data[members[((x[members] - c[k]) ** 2).sum(1).argmin()]]
    return out


def _nearest(x, c, chunk=65536):
    cc = (c * c).sum(1)
    return torch.cat([(cc[None] - 2 * x[i:i + chunk] @ c.T).argmin(1) for i in range(0, len(x), chunk)])


def to_patches(pixels):
    """[B,3,R,R] -> [B, N, PATCH*PATCH*3] in raster order of patches, pixel-major RGB."""
    b, c, r, _ = pixels.shape
    g = r // PATCH
    x = pixels.reshape(b, c, g, PATCH, g, PATCH).permute(0, 2, 4, 3, 5, 1)
    return x.reshape(b, g * g, PATCH * PATCH * c)


def from_patches(patches, resolution):
    b, n, _ = patches.shape
    g = resolution // PATCH
    x = patches.reshape(b, g, g, PATCH, PATCH, 3).permute(0, 5, 1, 3, 2, 4)
    return x.reshape(b, 3, resolution, resolution)


def background_colours():
    return _BACKGROUNDS


def background_index(pixels):
    """Index of the background colour most border pixels are nearest to (spec, judging step 1)."""
    border = torch.cat([pixels[:, :, 0, :], pixels[:, :, -1, :], pixels[:, :, :, 0], pixels[:, :, :, -1]], 2)
    d = ((border.transpose(1, 2)[:, :, None, :] - _BACKGROUNDS[None, None]) ** 2).sum(-1)   # [B,4R,3]
    return F.one_hot(d.argmin(-1), len(_BACKGROUNDS)).sum(1).argmax(-1)


def nearest_tokens(patches, bg_idx, patterns):
    """Nearest codeword of each patch within the background's block of the codebook.

    patches [B,N,PATCH*PATCH*3] in [0,1]; bg_idx [B]. For a codeword (bg, colour c, alpha a),
    |p - bg - a (c - bg)|^2 = |p - bg|^2 - 2 a.s_c + |c - bg|^2 |a|^2 with s_c = (p - bg).(c - bg)
    per pixel, so the search is 6 small MatMuls. Keeping the background fixed also breaks the
    ties between fully covered patches, which look the same on every background.
    """
    a = patterns                                                   # [G,64]
    g = a.shape[0]
    bg = _BACKGROUNDS[bg_idx]                                      # [B,3]
    delta = patches.reshape(patches.shape[0], patches.shape[1], PATCH * PATCH, 3) - bg[:, None, None]
    best_cost = torch.zeros(delta.shape[:2])                       # the empty patch costs |p - bg|^2
    best_token = torch.zeros(delta.shape[:2], dtype=torch.long)
    for c in range(len(_COLOURS)):
        direction = _COLOURS[c] - bg                               # [B,3]
        s = (delta * direction[:, None, None]).sum(-1)             # [B,N,64]
        cost = -2 * s @ a.T + (direction * direction).sum(-1)[:, None, None] * (a * a).sum(1)
        value, pattern = cost.min(-1)
        better = value < best_cost
        best_cost = torch.where(better, value, best_cost)
        best_token = torch.where(better, 1 + c * g + pattern, best_token)
    return bg_idx[:, None] * (1 + len(_COLOURS) * g) + best_token


class ImageEncoder(nn.Module):
    """pixels [B,3,R,R] in [0,1] -> token ids [B,N]: background, then each patch's nearest codeword."""

    def __init__(self, patterns):
        super().__init__()
        self.register_buffer("patterns", torch.as_tensor(patterns))

    def forward(self, pixels):
        return nearest_tokens(to_patches(pixels), background_index(pixels), self.patterns)


class Detokenizer(nn.Module):
    """token ids [B,N] -> pixels [B,3,R,R] in [0,1]: bg + alpha pattern * (colour - bg)."""

    def __init__(self, patterns, resolution):
        super().__init__()
        self.resolution = resolution
        self.n_patterns = len(patterns)
        # One extra all-zero pattern for empty patches.
        alphas = torch.cat([torch.as_tensor(patterns), torch.zeros(1, PATCH * PATCH)])
        self.register_buffer("alphas", alphas)
        self.register_buffer("colours", torch.cat([torch.zeros(1, 3), _COLOURS]))

    def forward(self, tokens):
        per_bg = 1 + len(_COLOURS) * self.n_patterns
        bg_idx = torch.div(tokens, per_bg, rounding_mode="floor")
        rest = tokens - bg_idx * per_bg
        empty = rest == 0
        colour_idx = torch.where(empty, torch.zeros_like(rest), torch.div(rest - 1, self.n_patterns, rounding_mode="floor") + 1)
        pattern_idx = torch.where(empty, torch.full_like(rest, self.n_patterns), (rest - 1) % self.n_patterns)
        bg = _BACKGROUNDS[bg_idx]                                       # [B,N,3]
        colour = torch.where(empty[..., None], bg, self.colours[colour_idx])
        alpha = self.alphas[pattern_idx]                                # [B,N,64]
        patches = bg[:, :, None] + alpha[..., None] * (colour - bg)[:, :, None]
        return from_patches(patches.reshape(tokens.shape[0], tokens.shape[1], -1), self.resolution)
