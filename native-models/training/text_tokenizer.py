"""Word-level text tokenizer for the caption grammar, saved in Hugging Face's tokenizer.json format.

The vocabulary is every word the grammar can produce; anything else maps to [unk], which
the app shows to the user as a word the model doesn't know.
"""
import json

import torch

from world.captions import normalize
from world.spec import BACKGROUND_NAMES, COLOR_NAMES, POSITION_CELLS, RELATIONS, SHAPES, SIZE_WORDS

SPECIALS = ["[pad]", "[unk]", "[bos]", "[eos]"]
PAD, UNK, BOS, EOS = range(4)


def grammar_words():
    words = {"a", "an", "and", "at", "in", "the", "on", "background"}
    for group in (COLOR_NAMES, BACKGROUND_NAMES, SHAPES, SIZE_WORDS, POSITION_CELLS, RELATIONS):
        for phrase in group:
            words.update(phrase.split())
    return sorted(words)


class TextTokenizer:
    def __init__(self, max_length=32):
        self.vocab = {w: i for i, w in enumerate(SPECIALS + grammar_words())}
        self.max_length = max_length

    def __len__(self):
        return len(self.vocab)

    def ids(self, caption):
        words = normalize(caption).split()[: self.max_length - 2]
        return [BOS] + [self.vocab.get(w, UNK) for w in words] + [EOS]

    def batch(self, captions):
        """Right-padded input_ids and attention_mask (int64 tensors) for a list of captions."""
        rows = [self.ids(c) for c in captions]
        width = max(len(r) for r in rows)
        ids = torch.full((len(rows), width), PAD, dtype=torch.long)
        mask = torch.zeros((len(rows), width), dtype=torch.long)
        for i, r in enumerate(rows):
            ids[i, : len(r)] = torch.tensor(r)
            mask[i, : len(r)] = 1
        return ids, mask

    def to_hugging_face(self):
        """tokenizer.json: lower-case + punctuation-to-space normaliser, whitespace split,
        word-level vocabulary, and a template that wraps every prompt in [bos] … [eos]."""
        return {
            "version": "1.0",
            "truncation": None,
            "padding": None,
            "added_tokens": [
                {"id": i, "content": t, "single_word": False, "lstrip": False, "rstrip": False,
                 "normalized": False, "special": True}
                for i, t in enumerate(SPECIALS)
            ],
            "normalizer": {"type": "Sequence", "normalizers": [
                {"type": "Lowercase"},
                {"type": "Replace", "pattern": {"Regex": "[^0-9a-z\\s]"}, "content": " "},
            ]},
            "pre_tokenizer": {"type": "WhitespaceSplit"},
            "post_processor": {
                "type": "TemplateProcessing",
                "single": [{"SpecialToken": {"id": "[bos]", "type_id": 0}},
                           {"Sequence": {"id": "A", "type_id": 0}},
                           {"SpecialToken": {"id": "[eos]", "type_id": 0}}],
                "pair": [{"SpecialToken": {"id": "[bos]", "type_id": 0}},
                         {"Sequence": {"id": "A", "type_id": 0}},
                         {"Sequence": {"id": "B", "type_id": 1}},
                         {"SpecialToken": {"id": "[eos]", "type_id": 0}}],
                "special_tokens": {
                    "[bos]": {"id": "[bos]", "ids": [BOS], "tokens": ["[bos]"]},
                    "[eos]": {"id": "[eos]", "ids": [EOS], "tokens": ["[eos]"]},
                },
            },
            "decoder": {"type": "WordPiece", "prefix": "##", "cleanup": True},
            # WordPiece over a whole-word vocabulary is word level (no "##" pieces exist), and
            # unlike WordLevel it is implemented by both the Python and the JS libraries.
            "model": {"type": "WordPiece", "vocab": self.vocab, "unk_token": "[unk]",
                      "continuing_subword_prefix": "##", "max_input_chars_per_word": 100},
        }

    def save(self, path):
        with open(path, "w") as f:
            json.dump(self.to_hugging_face(), f, indent=1)
