"""Write a Janus-Pro replica in the onnx-community/Janus-Pro-1B-ONNX layout, with random weights.

    /usr/bin/python3 native-models/janus/make_replica.py --out test/fixtures/hf/janus-tiny \
        --reference test/fixtures/janus-tiny-reference.json
    /usr/bin/python3 native-models/janus/make_replica.py --preset full-width --layers 2 --out /tmp/janus-wide

The folder holds what transformers.js reads for `model_type: multi_modality`: config.json,
generation_config.json, preprocessor_config.json, processor_config.json, tokenizer.json,
tokenizer_config.json (named chat templates `default` and `text_to_image`) and
onnx/{prepare_inputs_embeds,language_model,lm_head,gen_head,gen_img_embeds,image_decode}.onnx
in fp32 plus `_q4` copies (MatMul weights in 4 bits with ONNX Runtime's MatMulNBits, block 32,
as the published q4 files are). Input/output names and dtypes are the ones transformers.js
feeds and reads; the image grid stays Janus's 24×24 = 576 tokens at 384 px (processor_config's
`num_image_tokens`, preprocessor_config's `image_size`). Only widths, depth and the code and
text vocabularies are small (`--preset full-width` keeps Janus-Pro-1B's widths).

`--reference FILE` also writes the PyTorch logits (uncached, full-sequence forward) for one
prompt and forced image tokens: without guidance, and with guidance for both unconditional
rows (DeepSeek's and transformers.js's). `--torch-weights DIR` writes the same weights as an
original-style checkpoint (config.json + pytorch_model.bin) for export_image_encoder.py.
"""
from __future__ import annotations

import argparse
import json
import os
import shutil
import sys
import tempfile

import numpy as np
import onnx
import torch
from onnx import helper, numpy_helper
from torch import nn

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from janus_torch import MultiModality  # noqa: E402

IMAGE_SIZE = 384
NUM_IMAGE_TOKENS = 576
OPSET = 14
SPECIAL_TOKENS = [
    '<｜begin▁of▁sentence｜>', '<｜end▁of▁sentence｜>', '<｜▁pad▁｜>', '<image_placeholder>', '<patch_placeholder>',
    '<|ref|>', '<|/ref|>', '<|det|>', '<|/det|>', '<|grounding|>', '<|User|>', '<|Assistant|>',
    '<begin_of_image>', '<end_of_image>',
]
BOS, EOS, PAD = SPECIAL_TOKENS[0], SPECIAL_TOKENS[1], SPECIAL_TOKENS[2]
# DeepSeek's `deepseek` SFT format for one user turn and an empty assistant turn, then the
# image start tag (janus/models/processing_vlm.py + generation_inference.py); tokenizer.encode
# adds the BOS token there, so the template writes it here.
TEXT_TO_IMAGE_TEMPLATE = (
    "{{ bos_token }}{% for message in messages %}{{ message['role'] }}: {{ message['content'] | trim }}\n\n"
    "{% endfor %}<|Assistant|>:<begin_of_image>"
)
DEFAULT_TEMPLATE = (
    "{{ bos_token }}{% for message in messages %}{% if message['role'] == '<|User|>' %}"
    "{{ message['role'] }}: {{ message['content'] | trim }}\n\n{% else %}"
    "{{ message['role'] }}: {{ message['content'] | trim }}{{ eos_token }}{% endif %}{% endfor %}"
    "{% if add_generation_prompt %}<|Assistant|>:{% endif %}"
)

# The tiny code vocabulary stays below the text special-token ids (256…): transformers.js's
# min-length processor masks eos_token_id in the image logits, harmless when (as in
# Janus-Pro, eos 100001 of 16,384 codes) that id is no image code.
PRESETS = {
    'tiny': {'hidden': 64, 'inner': 128, 'heads': 4, 'layers': 2, 'codes': 256, 'vision': 32,
             'vq': {'ch': 8, 'ch_mult': [1, 1, 1, 1, 2], 'num_res_blocks': 1, 'z_channels': 16, 'norm_groups': 4},
             'text_vocab': None},
    # Janus-Pro-1B's widths (language_config, gen_head_config, VQ-16); depth from --layers.
    'full-width': {'hidden': 2048, 'inner': 5632, 'heads': 16, 'layers': 24, 'codes': 16384, 'vision': 1024,
                   'vq': {}, 'text_vocab': 102400},
}


def bytes_to_unicode() -> dict[int, str]:
    """GPT-2's byte -> printable character map used by byte-level BPE."""
    bs = list(range(ord('!'), ord('~') + 1)) + list(range(ord('¡'), ord('¬') + 1)) + list(range(ord('®'), ord('ÿ') + 1))
    cs = bs[:]
    n = 0
    for b in range(256):
        if b not in bs:
            bs.append(b)
            cs.append(256 + n)
            n += 1
    return dict(zip(bs, map(chr, cs)))


BYTE_CHARS = bytes_to_unicode()
SPECIAL_IDS = {token: 256 + i for i, token in enumerate(SPECIAL_TOKENS)}


def encode_text(text: str) -> list[int]:
    """Byte-level BPE with no merges: special tokens whole, every other byte one token."""
    ids, i = [], 0
    while i < len(text):
        special = next((t for t in SPECIAL_TOKENS if text.startswith(t, i)), None)
        if special:
            ids.append(SPECIAL_IDS[special])
            i += len(special)
        else:
            ids.extend(text[i].encode('utf-8'))
            i += 1
    return ids


def text_to_image_prompt(prompt: str) -> str:
    return f'{BOS}<|User|>: {prompt.strip()}\n\n<|Assistant|>:<begin_of_image>'


def tokenizer_json() -> dict:
    vocab = {BYTE_CHARS[b]: b for b in range(256)}
    return {
        'version': '1.0',
        'truncation': None,
        'padding': None,
        'added_tokens': [{'id': SPECIAL_IDS[t], 'content': t, 'single_word': False, 'lstrip': False, 'rstrip': False,
                          'normalized': False, 'special': True} for t in SPECIAL_TOKENS],
        'normalizer': None,
        'pre_tokenizer': {'type': 'ByteLevel', 'add_prefix_space': False, 'trim_offsets': True, 'use_regex': True},
        'post_processor': {
            'type': 'TemplateProcessing',
            'single': [{'SpecialToken': {'id': BOS, 'type_id': 0}}, {'Sequence': {'id': 'A', 'type_id': 0}}],
            'pair': [{'SpecialToken': {'id': BOS, 'type_id': 0}}, {'Sequence': {'id': 'A', 'type_id': 0}},
                     {'Sequence': {'id': 'B', 'type_id': 1}}],
            'special_tokens': {BOS: {'id': BOS, 'ids': [SPECIAL_IDS[BOS]], 'tokens': [BOS]}},
        },
        'decoder': {'type': 'ByteLevel', 'add_prefix_space': True, 'trim_offsets': True, 'use_regex': True},
        'model': {'type': 'BPE', 'dropout': None, 'unk_token': None, 'continuing_subword_prefix': None,
                  'end_of_word_suffix': None, 'fuse_unk': False, 'byte_fallback': False, 'vocab': vocab, 'merges': []},
    }


def configs(p: dict, layers: int) -> dict[str, dict]:
    text_vocab = p['text_vocab'] or 256 + len(SPECIAL_TOKENS)
    config = {
        'architectures': ['MultiModalityCausalLM'],
        'model_type': 'multi_modality',
        'aligner_config': {'cls': 'MlpProjector', 'model_type': 'aligner',
                           'params': {'depth': 2, 'input_dim': p['vision'], 'n_embed': p['hidden'], 'projector_type': 'mlp_gelu'}},
        'gen_aligner_config': {'cls': 'MlpProjector', 'model_type': 'gen_aligner',
                               'params': {'depth': 2, 'input_dim': 8, 'n_embed': p['hidden'], 'projector_type': 'mlp_gelu'}},
        'gen_head_config': {'cls': 'vision_head', 'model_type': 'gen_head',
                            'params': {'image_token_embed': p['hidden'], 'image_token_size': p['codes'], 'n_embed': p['hidden']}},
        'gen_vision_config': {'cls': 'VQ-16', 'model_type': 'gen_vision',
                              'params': {'image_token_size': p['codes'], 'n_embed': 8, **p['vq']}},
        'language_config': {'model_type': 'llama', 'hidden_size': p['hidden'], 'intermediate_size': p['inner'],
                            'num_attention_heads': p['heads'], 'num_key_value_heads': p['heads'],
                            'num_hidden_layers': layers, 'vocab_size': text_vocab, 'max_position_embeddings': 16384,
                            'rms_norm_eps': 1e-6, 'rope_theta': 10000.0, 'torch_dtype': 'float32'},
        'vision_config': {'cls': 'CLIPVisionTower', 'model_type': 'vision',
                          'params': {'image_size': IMAGE_SIZE, 'model_name': 'siglip_large_patch16_384',
                                     'select_feature': 'same', 'select_layer': -1}},
        'torch_dtype': 'float32',
        'transformers_version': '4.38.2',
    }
    generation = {'bos_token_id': SPECIAL_IDS[BOS], 'eos_token_id': SPECIAL_IDS[EOS], 'pad_token_id': SPECIAL_IDS[PAD],
                  'guidance_scale': 5.0, 'temperature': 1.0, 'do_sample': True}
    preprocessor = {'background_color': [127, 127, 127], 'do_normalize': True, 'image_mean': [0.5, 0.5, 0.5],
                    'image_std': [0.5, 0.5, 0.5], 'image_processor_type': 'VLMImageProcessor', 'image_size': IMAGE_SIZE,
                    'min_size': 14, 'processor_class': 'VLChatProcessor', 'rescale_factor': 1 / 255, 'do_rescale': True,
                    'do_resize': False}
    processor = {'add_special_token': False, 'ignore_id': -100, 'image_tag': '<image_placeholder>',
                 'image_start_tag': '<begin_of_image>', 'image_end_tag': '<end_of_image>', 'mask_prompt': True,
                 'num_image_tokens': NUM_IMAGE_TOKENS, 'processor_class': 'VLChatProcessor', 'sft_format': 'deepseek'}
    tokenizer_config = {'tokenizer_class': 'LlamaTokenizerFast', 'bos_token': BOS, 'eos_token': EOS, 'pad_token': PAD,
                        'unk_token': None, 'add_bos_token': False, 'add_eos_token': False, 'legacy': True,
                        'model_max_length': 16384, 'clean_up_tokenization_spaces': False,
                        'chat_template': [{'name': 'default', 'template': DEFAULT_TEMPLATE},
                                          {'name': 'text_to_image', 'template': TEXT_TO_IMAGE_TEMPLATE}]}
    return {'config.json': config, 'generation_config.json': generation, 'preprocessor_config.json': preprocessor,
            'processor_config.json': processor, 'tokenizer_config.json': tokenizer_config,
            'tokenizer.json': tokenizer_json()}


# --- graphs ------------------------------------------------------------------------------

class PrepareInputsEmbeds(nn.Module):
    """Text ids -> embeddings; image placeholders take the (stand-in) vision tower's rows.
    Accepts transformers.js's text-to-image dummy: pixel_values [0,0,3,384,384], masks with
    no image rows, and an images_seq_mask of batch 1 beside a guided batch of 2."""

    def __init__(self, m: MultiModality):
        super().__init__()
        self.m = m

    def forward(self, input_ids, pixel_values, images_seq_mask, images_emb_mask):
        text = self.m.language_model.model.embed_tokens(input_ids)
        width = text.shape[-1]
        images = self.m.aligner(self.m.vision_model(pixel_values.reshape(-1, 3, IMAGE_SIZE, IMAGE_SIZE)))
        rows = images.reshape(-1, width) * images_emb_mask.reshape(-1, 1).to(images.dtype)
        rows = torch.cat((rows, torch.zeros(1, width)), dim=0)
        seq = images_seq_mask.reshape(-1).to(torch.int64)
        index = torch.where(seq == 1, torch.cumsum(seq, dim=0) - 1, torch.full_like(seq, -1) + rows.shape[0])
        picked = rows[index.reshape(images_seq_mask.shape)]
        return torch.where(images_seq_mask[..., None], picked, text)


class LanguageModelGraph(nn.Module):
    def __init__(self, m: MultiModality):
        super().__init__()
        self.model = m.language_model.model

    def forward(self, inputs_embeds, attention_mask, position_ids, *past):
        pairs = [(past[2 * i], past[2 * i + 1]) for i in range(len(past) // 2)]
        hidden, presents = self.model(inputs_embeds, attention_mask, position_ids, pairs)
        return (hidden,) + tuple(t for pair in presents for t in pair)


class Head(nn.Module):
    def __init__(self, head: nn.Module):
        super().__init__()
        self.head = head

    def forward(self, hidden_states):
        return self.head(hidden_states)


class GenImgEmbeds(nn.Module):
    def __init__(self, m: MultiModality):
        super().__init__()
        self.m = m

    def forward(self, image_ids):
        return self.m.prepare_gen_img_embeds(image_ids)


class ImageDecode(nn.Module):
    def __init__(self, m: MultiModality):
        super().__init__()
        self.vq = m.gen_vision_model

    def forward(self, generated_tokens):
        return self.vq.decode_ids(generated_tokens)


def export(module: nn.Module, args: tuple, path: str, inputs: list[str], outputs: list[str], axes: dict) -> None:
    with torch.no_grad():
        torch.onnx.export(module, args, path, input_names=inputs, output_names=outputs, dynamic_axes=axes,
                          opset_version=OPSET, do_constant_folding=True)
    model = onnx.load(path)
    onnx.checker.check_model(model)


def export_graphs(m: MultiModality, onnx_dir: str) -> None:
    lang = m.language_model.model
    layers = len(lang.layers)
    heads = lang.layers[0].self_attn.kv_heads
    head_dim = lang.layers[0].self_attn.head_dim
    hidden = lang.norm.weight.shape[0]
    seq = {0: 'batch_size', 1: 'sequence_length'}
    ids = torch.tensor([[5, 6, 7, 8]])
    export(PrepareInputsEmbeds(m),
           (ids, torch.zeros(1, 1, 3, IMAGE_SIZE, IMAGE_SIZE), torch.zeros(1, 4, dtype=torch.bool),
            torch.zeros(1, 1, NUM_IMAGE_TOKENS, dtype=torch.bool)),
           f'{onnx_dir}/prepare_inputs_embeds.onnx',
           ['input_ids', 'pixel_values', 'images_seq_mask', 'images_emb_mask'], ['inputs_embeds'],
           {'input_ids': seq, 'pixel_values': {0: 'batch_size', 1: 'num_images'}, 'images_seq_mask': seq,
            'images_emb_mask': {0: 'batch_size', 1: 'num_images', 2: 'num_image_tokens'}, 'inputs_embeds': seq})
    past_names = [f'past_key_values.{i}.{kind}' for i in range(layers) for kind in ('key', 'value')]
    present_names = [f'present.{i}.{kind}' for i in range(layers) for kind in ('key', 'value')]
    past = tuple(torch.randn(2, heads, 3, head_dim) for _ in past_names)
    axes = {'inputs_embeds': seq, 'attention_mask': {0: 'batch_size', 1: 'total_sequence_length'},
            'position_ids': seq, 'hidden_states': seq}
    axes.update({n: {0: 'batch_size', 2: 'past_sequence_length'} for n in past_names})
    axes.update({n: {0: 'batch_size', 2: 'total_sequence_length'} for n in present_names})
    export(LanguageModelGraph(m),
           (torch.randn(2, 2, hidden), torch.ones(2, 5, dtype=torch.int64), torch.tensor([[3, 4], [3, 4]])) + past,
           f'{onnx_dir}/language_model.onnx', ['inputs_embeds', 'attention_mask', 'position_ids'] + past_names,
           ['hidden_states'] + present_names, axes)
    for name, head in (('lm_head', m.language_model.lm_head), ('gen_head', m.gen_head)):
        export(Head(head), (torch.randn(2, 3, hidden),), f'{onnx_dir}/{name}.onnx', ['hidden_states'], ['logits'],
               {'hidden_states': seq, 'logits': seq})
    export(GenImgEmbeds(m), (torch.tensor([[1], [1]]),), f'{onnx_dir}/gen_img_embeds.onnx', ['image_ids'],
           ['inputs_embeds'], {'image_ids': seq, 'inputs_embeds': seq})
    export(ImageDecode(m), (torch.zeros(1, NUM_IMAGE_TOKENS, dtype=torch.int64),), f'{onnx_dir}/image_decode.onnx',
           ['generated_tokens'], ['decoded_image'], {'generated_tokens': {0: 'batch_size'}, 'decoded_image': {0: 'batch_size'}})


Q4_BLOCK = 32


def pack_q4(w: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """A [K, N] MatMul weight as MatMulNBits holds it: per output column, blocks of 32 along K,
    symmetric 4-bit levels 0…15 around 8 (the default zero point), two per byte, low nibble first."""
    k, n = w.shape
    columns = np.pad(w, ((0, (-k) % Q4_BLOCK), (0, 0))).T.reshape(n, -1, Q4_BLOCK)
    scale = np.maximum(np.abs(columns).max(-1) / 7.0, 1e-8).astype(np.float32)
    levels = np.clip(np.round(columns / scale[..., None]) + 8, 0, 15).astype(np.uint8)
    return (levels[..., 0::2] | (levels[..., 1::2] << 4)).astype(np.uint8), scale.reshape(-1)


def write_q4(fp32_path: str, q4_path: str) -> None:
    """Copy of a graph whose MatMul weights are 4-bit (com.microsoft MatMulNBits, block 32),
    the kernel the published `_q4` files use; other initializers stay fp32."""
    model = onnx.load(fp32_path)
    inits = {i.name: i for i in model.graph.initializer}
    nodes = []
    for node in model.graph.node:
        weight = inits.get(node.input[1]) if node.op_type == 'MatMul' and len(node.input) == 2 else None
        if weight is None or len(weight.dims) != 2 or min(weight.dims) < 16:
            nodes.append(node)
            continue
        w = numpy_helper.to_array(weight)
        packed, scale = pack_q4(w)
        model.graph.initializer.remove(weight)
        model.graph.initializer.extend([numpy_helper.from_array(packed, weight.name + '_q4'),
                                        numpy_helper.from_array(scale, weight.name + '_scales')])
        nodes.append(helper.make_node('MatMulNBits', [node.input[0], weight.name + '_q4', weight.name + '_scales'],
                                      list(node.output), domain='com.microsoft', K=w.shape[0], N=w.shape[1], bits=4,
                                      block_size=Q4_BLOCK))
    del model.graph.node[:]
    model.graph.node.extend(nodes)
    if not any(o.domain == 'com.microsoft' for o in model.opset_import):
        model.opset_import.append(helper.make_opsetid('com.microsoft', 1))
    onnx.save(model, q4_path)


GRAPHS = ['prepare_inputs_embeds', 'language_model', 'lm_head', 'gen_head', 'gen_img_embeds', 'image_decode']


def build(preset: str, layers: int | None, seed: int) -> tuple[MultiModality, dict[str, dict]]:
    p = PRESETS[preset]
    files = configs(p, layers or p['layers'])
    torch.manual_seed(seed)
    m = MultiModality(files['config.json'], IMAGE_SIZE).eval()
    with torch.no_grad():  # random weights at a scale that keeps activations and logits lively
        for name, param in m.named_parameters():
            if name.endswith('weight') and param.dim() >= 2:
                param.normal_(0.0, 0.5 / param.shape[1] ** 0.5 if param.dim() == 2 else 0.3)
    return m, files


def write_folder(m: MultiModality, files: dict[str, dict], out: str, q4: bool) -> None:
    os.makedirs(f'{out}/onnx', exist_ok=True)
    for name, body in files.items():
        with open(f'{out}/{name}', 'w', encoding='utf-8') as f:
            json.dump(body, f, indent=2, ensure_ascii=False)
            f.write('\n')
    export_graphs(m, f'{out}/onnx')
    if q4:
        for graph in GRAPHS:
            write_q4(f'{out}/onnx/{graph}.onnx', f'{out}/onnx/{graph}_q4.onnx')


# --- PyTorch reference -------------------------------------------------------------------

@torch.no_grad()
def reference_logits(m: MultiModality, prompt_ids: list[int], forced: list[int], rows: str, scale: float,
                     pad: int) -> list[list[float]]:
    """Logits at each step, recomputed from the full sequence (no cache): step t predicts
    image token t after forced[:t]. rows: 'none' (conditional only), 'deepseek' (BOS, pads,
    last prompt token, all attended) or 'transformers.js' (all pads, attention mask 0)."""
    lang = m.language_model.model
    n = len(prompt_ids)
    steps = []
    for t in range(len(forced)):
        image = torch.tensor(forced[:t], dtype=torch.int64)[None]
        def row(ids: list[int], prompt_mask: int):
            embeds = torch.cat((lang.embed_tokens(torch.tensor([ids])), m.prepare_gen_img_embeds(image)), dim=1)
            mask = torch.tensor([[prompt_mask] * n + [1] * t])
            if prompt_mask:
                positions = torch.arange(n + t)[None]
            else:  # transformers.js: cumsum(mask) - 1, masked positions 1
                positions = torch.tensor([[1] * n + list(range(t))])
            hidden, _ = lang(embeds, mask, positions, [(torch.zeros(1, l.self_attn.kv_heads, 0, l.self_attn.head_dim),) * 2
                                                        for l in lang.layers])
            return m.gen_head(hidden[:, -1])[0]
        cond = row(prompt_ids, 1)
        if rows == 'none':
            logits = cond
        else:
            uncond_ids = [prompt_ids[0]] + [pad] * (n - 2) + [prompt_ids[-1]] if rows == 'deepseek' else [pad] * n
            uncond = row(uncond_ids, 1 if rows == 'deepseek' else 0)
            logits = uncond + (cond - uncond) * scale
        steps.append([float(f'{x:.7g}') for x in logits.tolist()])
    return steps


def write_reference(m: MultiModality, files: dict[str, dict], path: str) -> None:
    prompt = 'a red fox in the snow'
    prompt_ids = encode_text(text_to_image_prompt(prompt))
    codes = files['config.json']['gen_head_config']['params']['image_token_size']
    forced = torch.randint(0, codes, (8,), generator=torch.Generator().manual_seed(11)).tolist()
    pad = files['generation_config.json']['pad_token_id']
    scale = 5.0
    body = {
        'prompt': prompt, 'promptIds': prompt_ids, 'forcedTokens': forced, 'guidance': scale,
        'logits': {rows: reference_logits(m, prompt_ids, forced, rows, scale, pad)
                   for rows in ('none', 'deepseek', 'transformers.js')},
    }
    with open(path, 'w', encoding='utf-8') as f:
        json.dump(body, f, separators=(',', ':'))
        f.write('\n')


def write_torch_weights(m: MultiModality, files: dict[str, dict], out: str) -> None:
    os.makedirs(out, exist_ok=True)
    with open(f'{out}/config.json', 'w', encoding='utf-8') as f:
        json.dump(files['config.json'], f, indent=2)
    torch.save(m.state_dict(), f'{out}/pytorch_model.bin')


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    parser.add_argument('--out', required=True, help='folder to write (replaced)')
    parser.add_argument('--preset', choices=sorted(PRESETS), default='tiny')
    parser.add_argument('--layers', type=int, help="decoder layers (default: the preset's)")
    parser.add_argument('--seed', type=int, default=0)
    parser.add_argument('--no-q4', action='store_true', help='write fp32 graphs only')
    parser.add_argument('--reference', help='also write PyTorch reference logits (JSON) here')
    parser.add_argument('--torch-weights', help='also write config.json + pytorch_model.bin here')
    args = parser.parse_args()
    m, files = build(args.preset, args.layers, args.seed)
    staging = tempfile.mkdtemp(prefix='janus-replica-', dir=os.path.dirname(os.path.abspath(args.out)))
    write_folder(m, files, staging, not args.no_q4)
    shutil.rmtree(args.out, ignore_errors=True)
    os.replace(staging, args.out)
    if args.reference:
        write_reference(m, files, args.reference)
    if args.torch_weights:
        write_torch_weights(m, files, args.torch_weights)
    total = sum(os.path.getsize(os.path.join(d, f)) for d, _, fs in os.walk(args.out) for f in fs)
    print(json.dumps({'out': args.out, 'bytes': total}))


if __name__ == '__main__':
    main()
