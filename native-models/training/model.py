"""Parti-style encoder-decoder transformer and the contrastive reranker (PyTorch).

Image tokens are factorised (see image_tokenizer.py): token = (background, colour or
empty, alpha pattern). The decoder embeds a token as the sum of its three factor
embeddings and predicts the three factors with three small heads; the joint log-probability
of a token is the sum of its factors' log-probabilities, a properly normalised
distribution over the whole codebook that costs d*(3+7+G) instead of d*V per step.
"""
from dataclasses import dataclass, asdict
import math

import torch
from torch import nn
import torch.nn.functional as F

N_BACKGROUNDS = 3
N_COLOURS = 6


@dataclass
class ModelConfig:
    text_vocab: int
    patterns: int              # G, alpha patterns in the image codebook
    grid: int = 8
    max_text: int = 32
    d_model: int = 256
    heads: int = 4
    encoder_layers: int = 2
    decoder_layers: int = 4
    ff_mult: int = 4
    dropout: float = 0.0

    @property
    def image_tokens(self):
        return self.grid * self.grid

    @property
    def codebook_size(self):
        return N_BACKGROUNDS * (1 + N_COLOURS * self.patterns)

    @property
    def head_dim(self):
        return self.d_model // self.heads

    def to_json(self):
        return asdict(self)


def split_tokens(tokens, patterns):
    """token -> (background, colour slot 0=empty 1..6, pattern or `patterns` when empty)."""
    per_bg = 1 + N_COLOURS * patterns
    bg = torch.div(tokens, per_bg, rounding_mode="floor")
    rest = tokens - bg * per_bg
    empty = rest == 0
    colour = torch.where(empty, torch.zeros_like(rest), torch.div(rest - 1, patterns, rounding_mode="floor") + 1)
    pattern = torch.where(empty, torch.full_like(rest, patterns), (rest - 1) % patterns)
    return bg, colour, pattern


class Attention(nn.Module):
    def __init__(self, d, heads):
        super().__init__()
        self.heads, self.head_dim = heads, d // heads
        self.q = nn.Linear(d, d)
        self.kv = nn.Linear(d, 2 * d)
        self.out = nn.Linear(d, d)

    def project_kv(self, x):
        b, t, _ = x.shape
        k, v = self.kv(x).view(b, t, 2, self.heads, self.head_dim).permute(2, 0, 3, 1, 4)
        return k, v                                    # [B,H,T,Dh] each

    def attend(self, x, k, v, bias):
        b, s, d = x.shape
        q = self.q(x).view(b, s, self.heads, self.head_dim).transpose(1, 2)
        scores = q @ k.transpose(-1, -2) * (1.0 / math.sqrt(self.head_dim))
        if bias is not None:
            scores = scores + bias
        y = scores.softmax(-1) @ v
        return self.out(y.transpose(1, 2).reshape(b, s, d))


class FeedForward(nn.Sequential):
    def __init__(self, d, mult):
        super().__init__(nn.Linear(d, mult * d), nn.GELU(), nn.Linear(mult * d, d))


class EncoderLayer(nn.Module):
    def __init__(self, cfg):
        super().__init__()
        self.norm1, self.norm2 = nn.LayerNorm(cfg.d_model), nn.LayerNorm(cfg.d_model)
        self.attn = Attention(cfg.d_model, cfg.heads)
        self.ff = FeedForward(cfg.d_model, cfg.ff_mult)

    def forward(self, x, bias):
        h = self.norm1(x)
        k, v = self.attn.project_kv(h)
        x = x + self.attn.attend(h, k, v, bias)
        return x + self.ff(self.norm2(x))


class DecoderLayer(nn.Module):
    def __init__(self, cfg):
        super().__init__()
        d = cfg.d_model
        self.norm_self, self.norm_cross, self.norm_ff = nn.LayerNorm(d), nn.LayerNorm(d), nn.LayerNorm(d)
        self.self_attn = Attention(d, cfg.heads)
        self.cross_attn = Attention(d, cfg.heads)
        self.ff = FeedForward(d, cfg.ff_mult)

    def forward(self, x, past_k, past_v, self_bias, cross_k, cross_v, cross_bias):
        """Returns the layer output and the self-attention cache including this call's tokens."""
        h = self.norm_self(x)
        k, v = self.self_attn.project_kv(h)
        if past_k is not None:
            k, v = torch.cat([past_k, k], 2), torch.cat([past_v, v], 2)
        x = x + self.self_attn.attend(h, k, v, self_bias)
        x = x + self.cross_attn.attend(self.norm_cross(x), cross_k, cross_v, cross_bias)
        return x + self.ff(self.norm_ff(x)), k, v


def padding_bias(attention_mask):
    """[B,T] of 1/0 -> additive bias [B,1,1,T] that hides padding."""
    return (1.0 - attention_mask[:, None, None, :].float()) * -1e9


class TextEncoder(nn.Module):
    def __init__(self, cfg):
        super().__init__()
        self.embed = nn.Embedding(cfg.text_vocab, cfg.d_model)
        self.pos = nn.Parameter(torch.randn(cfg.max_text, cfg.d_model) * 0.02)
        self.layers = nn.ModuleList(EncoderLayer(cfg) for _ in range(cfg.encoder_layers))
        self.norm = nn.LayerNorm(cfg.d_model)

    def forward(self, input_ids, attention_mask):
        x = self.embed(input_ids) + self.pos[: input_ids.shape[1]]
        bias = padding_bias(attention_mask)
        for layer in self.layers:
            x = layer(x, bias)
        return self.norm(x)


class TokenEmbedding(nn.Module):
    """Factorised image-token embedding, plus one vector for the start token."""

    def __init__(self, cfg):
        super().__init__()
        self.patterns = cfg.patterns
        self.bg = nn.Embedding(N_BACKGROUNDS, cfg.d_model)
        self.colour = nn.Embedding(N_COLOURS + 1, cfg.d_model)
        self.pattern = nn.Embedding(cfg.patterns + 1, cfg.d_model)
        self.start = nn.Parameter(torch.randn(cfg.d_model) * 0.02)

    def forward(self, tokens):
        """tokens [B,S] with start token id == codebook size."""
        start = tokens == N_BACKGROUNDS * (1 + N_COLOURS * self.patterns)
        safe = torch.where(start, torch.zeros_like(tokens), tokens)
        bg, colour, pattern = split_tokens(safe, self.patterns)
        x = self.bg(bg) + self.colour(colour) + self.pattern(pattern)
        return torch.where(start[..., None], self.start.expand_as(x), x)

    def table(self, codebook_size):
        """The full [V+1, d] embedding table, for export (one Gather at run time)."""
        return self.forward(torch.arange(codebook_size + 1)[None])[0]


class PartiModel(nn.Module):
    def __init__(self, cfg: ModelConfig):
        super().__init__()
        self.cfg = cfg
        d = cfg.d_model
        self.text_encoder = TextEncoder(cfg)
        self.token_embed = TokenEmbedding(cfg)
        self.pos = nn.Parameter(torch.randn(cfg.image_tokens, d) * 0.02)
        self.layers = nn.ModuleList(DecoderLayer(cfg) for _ in range(cfg.decoder_layers))
        self.norm = nn.LayerNorm(d)
        self.head_bg = nn.Linear(d, N_BACKGROUNDS)
        self.head_colour = nn.Linear(d, N_COLOURS + 1)
        self.head_pattern = nn.Linear(d, cfg.patterns)
        self.apply(_init)

    def cross_kv(self, input_ids, attention_mask):
        """Every decoder layer's cross-attention keys and values: two lists of [B,H,T,Dh]."""
        memory = self.text_encoder(input_ids, attention_mask)
        kvs = [layer.cross_attn.project_kv(memory) for layer in self.layers]
        return [k for k, _ in kvs], [v for _, v in kvs]

    def decode(self, hidden_tokens, past_k, past_v, cross_k, cross_v, attention_mask):
        """Run the decoder on S new tokens after P cached ones; returns the final hidden state and
        the cache, per layer (lists of [B,H,P+S,Dh]): per-layer tensors spare the exported graph
        a split and a stack, each a copy of the whole cache, on every step."""
        s = hidden_tokens.shape[1]
        p = 0 if past_k is None else past_k[0].shape[2]
        x = self.token_embed(hidden_tokens) + self.pos[p:p + s]
        query_pos = torch.arange(s) + p
        key_pos = torch.arange(p + s)
        self_bias = (key_pos[None, :] > query_pos[:, None]).float() * -1e9
        cross_bias = padding_bias(attention_mask)
        present_k, present_v = [], []
        for i, layer in enumerate(self.layers):
            x, k, v = layer(x, None if past_k is None else past_k[i], None if past_v is None else past_v[i],
                            self_bias, cross_k[i], cross_v[i], cross_bias)
            present_k.append(k)
            present_v.append(v)
        return self.norm(x), present_k, present_v

    def factor_logits(self, hidden):
        return self.head_bg(hidden), self.head_colour(hidden), self.head_pattern(hidden)

    def joint_log_probs(self, hidden):
        """Log-probability of every codebook token, [.., V]."""
        bg, colour, pattern = (t.log_softmax(-1) for t in self.factor_logits(hidden))
        # Broadcast sums in codebook order (per background: empty, then colour-major patterns)
        # rather than three V-long gathers: the same values, and ~10x faster in ONNX Runtime.
        bg_colour = bg[..., :, None] + colour[..., None, :]                       # [..,3,7]
        filled = bg_colour[..., 1:, None] + pattern[..., None, None, :]           # [..,3,6,G]
        per_bg = torch.cat([bg_colour[..., :1], filled.flatten(-2)], -1)          # [..,3,1+6G]
        return per_bg.flatten(-2)

    def loss(self, input_ids, attention_mask, image_tokens):
        """Teacher-forced factorised cross-entropy; returns (loss, per-factor losses)."""
        b = image_tokens.shape[0]
        cross_k, cross_v = self.cross_kv(input_ids, attention_mask)
        start = torch.full((b, 1), self.cfg.codebook_size, dtype=torch.long)
        inputs = torch.cat([start, image_tokens[:, :-1]], 1)
        hidden, _, _ = self.decode(inputs, None, None, cross_k, cross_v, attention_mask)
        bg_l, colour_l, pattern_l = self.factor_logits(hidden)
        bg, colour, pattern = split_tokens(image_tokens, self.cfg.patterns)
        loss_bg = F.cross_entropy(bg_l.reshape(-1, N_BACKGROUNDS), bg.reshape(-1))
        loss_colour = F.cross_entropy(colour_l.reshape(-1, N_COLOURS + 1), colour.reshape(-1))
        has_pattern = (colour > 0).reshape(-1)
        loss_pattern = F.cross_entropy(pattern_l.reshape(-1, self.cfg.patterns)[has_pattern],
                                       pattern.reshape(-1)[has_pattern], reduction="sum") / pattern.numel()
        total = loss_bg + loss_colour + loss_pattern
        return total, {"bg": loss_bg.item(), "colour": loss_colour.item(), "pattern": loss_pattern.item()}


def _init(module):
    if isinstance(module, nn.Linear):
        nn.init.normal_(module.weight, std=0.02)
        nn.init.zeros_(module.bias)
    elif isinstance(module, nn.Embedding):
        nn.init.normal_(module.weight, std=0.02)


# ---- contrastive reranker ----

@dataclass
class RerankerConfig:
    text_vocab: int
    patterns: int
    grid: int = 8
    max_text: int = 32
    d_model: int = 128
    heads: int = 4
    layers: int = 2
    embed_dim: int = 128
    ff_mult: int = 4

    @property
    def encoder_layers(self):
        return self.layers

    def to_json(self):
        return asdict(self)


class Tower(nn.Module):
    """Transformer encoder + masked mean pool + projection to a unit vector."""

    def __init__(self, cfg, length):
        super().__init__()
        self.pos = nn.Parameter(torch.randn(length, cfg.d_model) * 0.02)
        self.layers = nn.ModuleList(EncoderLayer(cfg) for _ in range(cfg.layers))
        self.norm = nn.LayerNorm(cfg.d_model)
        self.proj = nn.Linear(cfg.d_model, cfg.embed_dim)

    def forward(self, x, mask):
        x = x + self.pos[: x.shape[1]]
        bias = padding_bias(mask)
        for layer in self.layers:
            x = layer(x, bias)
        m = mask[..., None].float()
        pooled = (self.norm(x) * m).sum(1) / m.sum(1)
        return F.normalize(self.proj(pooled), dim=-1)


class Reranker(nn.Module):
    def __init__(self, cfg: RerankerConfig):
        super().__init__()
        self.cfg = cfg
        self.text_embed = nn.Embedding(cfg.text_vocab, cfg.d_model)
        self.image_embed = TokenEmbedding(cfg)
        self.text_tower = Tower(cfg, cfg.max_text)
        self.image_tower = Tower(cfg, cfg.grid * cfg.grid)
        self.log_scale = nn.Parameter(torch.tensor(math.log(10.0)))
        self.apply(_init)

    def embed_text(self, input_ids, attention_mask):
        return self.text_tower(self.text_embed(input_ids), attention_mask)

    def embed_image(self, tokens):
        return self.image_tower(self.image_embed(tokens), torch.ones_like(tokens))

    def scale(self):
        return self.log_scale.exp().clamp(max=100.0)
