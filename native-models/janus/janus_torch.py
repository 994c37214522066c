"""PyTorch modules with Janus-Pro's architecture, sized by its config.json.

The language model is Llama (RMSNorm, rotary positions, SwiGLU, multi-head attention with a
key/value cache); the generation path is DeepSeek's: `gen_embed` (codes -> 8-d) and
`gen_aligner` (MLP with GELU) embed image tokens, `gen_head` (Linear, GELU, Linear) maps the
normed hidden state to logits over the codes, and `gen_vision_model` is LlamaGen's VQ-16
(encoder, quantiser with an L2-normalised codebook, decoder). Parameter names follow the
original checkpoint (`language_model.model.layers.0.self_attn.q_proj.weight`,
`gen_vision_model.quantize.embedding.weight`, …) so `export_image_encoder.py` loads the real
weights with the same classes. `make_replica.py` builds a tiny instance and exports it.
"""
from __future__ import annotations

import math

import torch
from torch import nn
from torch.nn import functional as F

# Attention logits of masked keys; a row with every key masked attends uniformly (as in
# Hugging Face's Llama), which is what transformers.js's all-padding unconditional row sees.
MASKED = torch.finfo(torch.float32).min


class RMSNorm(nn.Module):
    def __init__(self, size: int, eps: float):
        super().__init__()
        self.weight = nn.Parameter(torch.ones(size))
        self.eps = eps

    def forward(self, x):
        return self.weight * (x * torch.rsqrt(x.pow(2).mean(-1, keepdim=True) + self.eps))


def rotate_half(x):
    half = x.shape[-1] // 2
    return torch.cat((-x[..., half:], x[..., :half]), dim=-1)


class Attention(nn.Module):
    def __init__(self, hidden: int, heads: int, kv_heads: int, theta: float):
        super().__init__()
        self.heads, self.kv_heads, self.head_dim = heads, kv_heads, hidden // heads
        self.q_proj = nn.Linear(hidden, heads * self.head_dim, bias=False)
        self.k_proj = nn.Linear(hidden, kv_heads * self.head_dim, bias=False)
        self.v_proj = nn.Linear(hidden, kv_heads * self.head_dim, bias=False)
        self.o_proj = nn.Linear(heads * self.head_dim, hidden, bias=False)
        self.register_buffer(
            'inv_freq', 1.0 / (theta ** (torch.arange(0, self.head_dim, 2).float() / self.head_dim)), persistent=False)

    def forward(self, x, position_ids, bias, past_key, past_value):
        b, s, _ = x.shape
        q = self.q_proj(x).view(b, s, self.heads, self.head_dim).transpose(1, 2)
        k = self.k_proj(x).view(b, s, self.kv_heads, self.head_dim).transpose(1, 2)
        v = self.v_proj(x).view(b, s, self.kv_heads, self.head_dim).transpose(1, 2)
        freqs = position_ids[:, :, None].float() * self.inv_freq[None, None, :]
        emb = torch.cat((freqs, freqs), dim=-1)[:, None]
        cos, sin = emb.cos(), emb.sin()
        q = q * cos + rotate_half(q) * sin
        k = k * cos + rotate_half(k) * sin
        key = torch.cat((past_key, k), dim=2)
        value = torch.cat((past_value, v), dim=2)
        groups = self.heads // self.kv_heads
        k_all = key.repeat_interleave(groups, dim=1) if groups > 1 else key
        v_all = value.repeat_interleave(groups, dim=1) if groups > 1 else value
        scores = q @ k_all.transpose(2, 3) / math.sqrt(self.head_dim) + bias
        out = (scores.softmax(-1) @ v_all).transpose(1, 2).reshape(b, s, self.heads * self.head_dim)
        return self.o_proj(out), key, value


class Mlp(nn.Module):
    def __init__(self, hidden: int, inner: int):
        super().__init__()
        self.gate_proj = nn.Linear(hidden, inner, bias=False)
        self.up_proj = nn.Linear(hidden, inner, bias=False)
        self.down_proj = nn.Linear(inner, hidden, bias=False)

    def forward(self, x):
        return self.down_proj(F.silu(self.gate_proj(x)) * self.up_proj(x))


class DecoderLayer(nn.Module):
    def __init__(self, c: dict):
        super().__init__()
        self.self_attn = Attention(c['hidden_size'], c['num_attention_heads'], c['num_key_value_heads'], c['rope_theta'])
        self.mlp = Mlp(c['hidden_size'], c['intermediate_size'])
        self.input_layernorm = RMSNorm(c['hidden_size'], c['rms_norm_eps'])
        self.post_attention_layernorm = RMSNorm(c['hidden_size'], c['rms_norm_eps'])

    def forward(self, x, position_ids, bias, past_key, past_value):
        attended, key, value = self.self_attn(self.input_layernorm(x), position_ids, bias, past_key, past_value)
        x = x + attended
        return x + self.mlp(self.post_attention_layernorm(x)), key, value


class LlamaModel(nn.Module):
    def __init__(self, c: dict):
        super().__init__()
        self.embed_tokens = nn.Embedding(c['vocab_size'], c['hidden_size'])
        self.layers = nn.ModuleList(DecoderLayer(c) for _ in range(c['num_hidden_layers']))
        self.norm = RMSNorm(c['hidden_size'], c['rms_norm_eps'])

    def forward(self, inputs_embeds, attention_mask, position_ids, past):
        """past: [(key, value)] per layer, [B, kvH, P, Dh]; attention_mask [B, P+S]."""
        s, total = inputs_embeds.shape[1], attention_mask.shape[1]
        query_pos = torch.arange(s, device=inputs_embeds.device) + (total - s)
        key_pos = torch.arange(total, device=inputs_embeds.device)
        allowed = (key_pos[None, :] <= query_pos[:, None])[None, None] & (attention_mask[:, None, None, :] == 1)
        bias = torch.where(allowed, torch.zeros((), dtype=inputs_embeds.dtype), torch.full((), MASKED))
        x, presents = inputs_embeds, []
        for layer, (past_key, past_value) in zip(self.layers, past):
            x, key, value = layer(x, position_ids, bias, past_key, past_value)
            presents.append((key, value))
        return self.norm(x), presents


class LanguageModel(nn.Module):
    def __init__(self, c: dict):
        super().__init__()
        self.model = LlamaModel(c)
        self.lm_head = nn.Linear(c['hidden_size'], c['vocab_size'], bias=False)


class MlpProjector(nn.Module):
    """`mlp_gelu` projector of depth 2, named as DeepSeek's (`layers.0`, `layers.2`)."""

    def __init__(self, input_dim: int, n_embed: int):
        super().__init__()
        self.layers = nn.Sequential(nn.Linear(input_dim, n_embed), nn.GELU(), nn.Linear(n_embed, n_embed))

    def forward(self, x):
        return self.layers(x)


class VisionHead(nn.Module):
    def __init__(self, n_embed: int, image_token_embed: int, image_token_size: int):
        super().__init__()
        self.output_mlp_projector = nn.Linear(n_embed, image_token_embed)
        self.vision_activation = nn.GELU()
        self.vision_head = nn.Linear(image_token_embed, image_token_size)

    def forward(self, x):
        return self.vision_head(self.vision_activation(self.output_mlp_projector(x)))


class PatchVisionTower(nn.Module):
    """Stand-in for SigLIP in the understanding path (text-to-image never uses it): 16-px
    patches -> one linear map. It only has to take prepare_inputs_embeds' inputs."""

    def __init__(self, image_size: int, patch: int, width: int):
        super().__init__()
        self.image_size, self.patch = image_size, patch
        self.proj = nn.Linear(3 * patch * patch, width)

    def forward(self, pixels):  # [N, 3, R, R] -> [N, (R/p)^2, width]
        g, p = self.image_size // self.patch, self.patch
        x = pixels.reshape(-1, 3, g, p, g, p).permute(0, 2, 4, 1, 3, 5).reshape(-1, g * g, 3 * p * p)
        return self.proj(x)


# --- LlamaGen VQ-16, as Janus ships it (janus/models/vq_model.py) -------------------------

class GroupNorm(nn.GroupNorm):
    def __init__(self, channels: int, groups: int):
        super().__init__(groups, channels, eps=1e-6, affine=True)


class ResnetBlock(nn.Module):
    def __init__(self, cin: int, cout: int, groups: int):
        super().__init__()
        self.norm1 = GroupNorm(cin, groups)
        self.conv1 = nn.Conv2d(cin, cout, 3, 1, 1)
        self.norm2 = GroupNorm(cout, groups)
        self.conv2 = nn.Conv2d(cout, cout, 3, 1, 1)
        if cin != cout:
            self.nin_shortcut = nn.Conv2d(cin, cout, 1, 1, 0)

    def forward(self, x):
        h = self.conv1(F.silu(self.norm1(x)))
        h = self.conv2(F.silu(self.norm2(h)))
        return (self.nin_shortcut(x) if hasattr(self, 'nin_shortcut') else x) + h


class AttnBlock(nn.Module):
    def __init__(self, channels: int, groups: int):
        super().__init__()
        self.norm = GroupNorm(channels, groups)
        self.q = nn.Conv2d(channels, channels, 1)
        self.k = nn.Conv2d(channels, channels, 1)
        self.v = nn.Conv2d(channels, channels, 1)
        self.proj_out = nn.Conv2d(channels, channels, 1)

    def forward(self, x):
        h = self.norm(x)
        b, c, hh, ww = h.shape
        q = self.q(h).reshape(b, c, hh * ww).permute(0, 2, 1)
        k = self.k(h).reshape(b, c, hh * ww)
        w = torch.softmax((q @ k) * (c ** -0.5), dim=2)
        v = self.v(h).reshape(b, c, hh * ww)
        return x + self.proj_out((v @ w.permute(0, 2, 1)).reshape(b, c, hh, ww))


class Downsample(nn.Module):
    def __init__(self, channels: int):
        super().__init__()
        self.conv = nn.Conv2d(channels, channels, 3, 2, 0)

    def forward(self, x):
        return self.conv(F.pad(x, (0, 1, 0, 1)))


class Upsample(nn.Module):
    def __init__(self, channels: int):
        super().__init__()
        self.conv = nn.Conv2d(channels, channels, 3, 1, 1)

    def forward(self, x):
        return self.conv(F.interpolate(x, scale_factor=2.0, mode='nearest'))


class VqEncoder(nn.Module):
    def __init__(self, v: dict):
        super().__init__()
        ch, mult, blocks, groups = v['ch'], v['ch_mult'], v['num_res_blocks'], v['norm_groups']
        self.num_res_blocks = blocks
        self.conv_in = nn.Conv2d(3, ch, 3, 1, 1)
        self.conv_blocks = nn.ModuleList()
        cin_mult = (1,) + tuple(mult)
        block_in = ch
        for level, m in enumerate(mult):
            block = nn.Module()
            block.res, block.attn = nn.ModuleList(), nn.ModuleList()
            block_in, block_out = ch * cin_mult[level], ch * m
            for _ in range(blocks):
                block.res.append(ResnetBlock(block_in, block_out, groups))
                block_in = block_out
                if level == len(mult) - 1:
                    block.attn.append(AttnBlock(block_in, groups))
            if level != len(mult) - 1:
                block.downsample = Downsample(block_in)
            self.conv_blocks.append(block)
        self.mid = nn.ModuleList([ResnetBlock(block_in, block_in, groups), AttnBlock(block_in, groups),
                                  ResnetBlock(block_in, block_in, groups)])
        self.norm_out = GroupNorm(block_in, groups)
        self.conv_out = nn.Conv2d(block_in, v['z_channels'], 3, 1, 1)

    def forward(self, x):
        h = self.conv_in(x)
        for level, block in enumerate(self.conv_blocks):
            for i in range(self.num_res_blocks):
                h = block.res[i](h)
                if len(block.attn) > 0:
                    h = block.attn[i](h)
            if hasattr(block, 'downsample'):
                h = block.downsample(h)
        for layer in self.mid:
            h = layer(h)
        return self.conv_out(F.silu(self.norm_out(h)))


class VqDecoder(nn.Module):
    def __init__(self, v: dict):
        super().__init__()
        ch, mult, blocks, groups = v['ch'], v['ch_mult'], v['num_res_blocks'], v['norm_groups']
        self.num_res_blocks = blocks
        block_in = ch * mult[-1]
        self.conv_in = nn.Conv2d(v['z_channels'], block_in, 3, 1, 1)
        self.mid = nn.ModuleList([ResnetBlock(block_in, block_in, groups), AttnBlock(block_in, groups),
                                  ResnetBlock(block_in, block_in, groups)])
        self.conv_blocks = nn.ModuleList()
        for level in range(len(mult)):
            block = nn.Module()
            block.res, block.attn = nn.ModuleList(), nn.ModuleList()
            block_out = ch * mult[len(mult) - level - 1]
            for _ in range(blocks + 1):
                block.res.append(ResnetBlock(block_in, block_out, groups))
                block_in = block_out
                if level == 0:
                    block.attn.append(AttnBlock(block_in, groups))
            if level != len(mult) - 1:
                block.upsample = Upsample(block_in)
            self.conv_blocks.append(block)
        self.norm_out = GroupNorm(block_in, groups)
        self.conv_out = nn.Conv2d(block_in, 3, 3, 1, 1)

    def forward(self, z):
        h = self.conv_in(z)
        for layer in self.mid:
            h = layer(h)
        for block in self.conv_blocks:
            for i in range(self.num_res_blocks + 1):
                h = block.res[i](h)
                if len(block.attn) > 0:
                    h = block.attn[i](h)
            if hasattr(block, 'upsample'):
                h = block.upsample(h)
        return self.conv_out(F.silu(self.norm_out(h)))


class VectorQuantizer(nn.Module):
    def __init__(self, codes: int, dim: int):
        super().__init__()
        self.embedding = nn.Embedding(codes, dim)

    def codebook(self):
        return F.normalize(self.embedding.weight, p=2, dim=-1)

    def indices(self, z):  # [B, C, h, w] -> [B, h*w], nearest L2-normalised code
        flat = F.normalize(z.permute(0, 2, 3, 1).reshape(z.shape[0], -1, z.shape[1]), p=2, dim=-1)
        book = self.codebook()
        distance = (flat ** 2).sum(-1, keepdim=True) + (book ** 2).sum(-1)[None, None] - 2 * flat @ book.t()
        return distance.argmin(-1)


class VQModel(nn.Module):
    def __init__(self, v: dict):
        super().__init__()
        self.grid = v['image_size'] // 2 ** (len(v['ch_mult']) - 1)
        self.encoder = VqEncoder(v)
        self.decoder = VqDecoder(v)
        self.quantize = VectorQuantizer(v['image_token_size'], v['n_embed'])
        self.quant_conv = nn.Conv2d(v['z_channels'], v['n_embed'], 1)
        self.post_quant_conv = nn.Conv2d(v['n_embed'], v['z_channels'], 1)

    def encode_to_ids(self, pixels):  # [B,3,R,R] in [-1,1] -> [B, grid²]
        return self.quantize.indices(self.quant_conv(self.encoder(pixels)))

    def decode_ids(self, ids):  # [B, grid²] -> [B,3,R,R], about [-1,1]
        quant = self.quantize.codebook()[ids].reshape(-1, self.grid, self.grid, self.quantize.embedding.weight.shape[1])
        return self.decoder(self.post_quant_conv(quant.permute(0, 3, 1, 2)))


VQ16 = {'ch': 128, 'ch_mult': [1, 1, 2, 2, 4], 'num_res_blocks': 2, 'z_channels': 256, 'norm_groups': 32}


def vq_settings(config: dict, image_size: int) -> dict:
    """VQ-16's published widths, overridden by any the config's params name (the replica's)."""
    params = config['gen_vision_config']['params']
    return {**VQ16, **params, 'image_size': image_size}


class MultiModality(nn.Module):
    """The parts of DeepSeek's MultiModalityCausalLM that text-to-image and editing use."""

    def __init__(self, config: dict, image_size: int):
        super().__init__()
        lang = config['language_config']
        gen_head = config['gen_head_config']['params']
        gen_aligner = config['gen_aligner_config']['params']
        aligner = config['aligner_config']['params']
        self.language_model = LanguageModel(lang)
        self.vision_model = PatchVisionTower(image_size, 16, aligner['input_dim'])
        self.aligner = MlpProjector(aligner['input_dim'], aligner['n_embed'])
        self.gen_vision_model = VQModel(vq_settings(config, image_size))
        self.gen_aligner = MlpProjector(gen_aligner['input_dim'], gen_aligner['n_embed'])
        self.gen_head = VisionHead(gen_head['n_embed'], gen_head['image_token_embed'], gen_head['image_token_size'])
        self.gen_embed = nn.Embedding(config['gen_vision_config']['params']['image_token_size'],
                                      config['gen_vision_config']['params']['n_embed'])

    def prepare_gen_img_embeds(self, image_ids):
        return self.gen_aligner(self.gen_embed(image_ids))
