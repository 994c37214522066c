/**
 * Prompt text: word-level tokenisation with the package's tokenizer.json of the words as the
 * domain's splitter reads them, and the words the model does not know. A prompt is read once
 * into a PreparedPrompt that travels with the run.
 */
import { readFile } from 'node:fs/promises';
import { Tokenizer } from '@huggingface/tokenizers';
import { isModelWord, promptWords } from '../../../common/words.js';
import type { PreparedPrompt } from '../model.js';

export interface TextConfig {
  maxLength: number;
  padId: number;
  unkId: number;
  bosId: number;
  eosId: number;
}

/** A batch of prompts as the text graphs take them: right-padded, row-major [rows, length]. */
export interface TokenBatch {
  inputIds: BigInt64Array;
  attentionMask: BigInt64Array;
  rows: number;
  length: number;
}

export class PromptTokenizer {
  private constructor(
    private readonly tokenizer: Tokenizer,
    private readonly config: TextConfig,
  ) {}

  static async load(tokenizerPath: string, config: TextConfig): Promise<PromptTokenizer> {
    const json: unknown = JSON.parse(await readFile(tokenizerPath, 'utf8'));
    return new PromptTokenizer(new Tokenizer(json as object, {}), config);
  }

  /** Reads a prompt once: its normalised text, token ids and unknown words. The empty prompt is `[bos] [eos]`. */
  prepare(text: string): PreparedPrompt {
    const all = promptWords(text).map((word) => word.normalized);
    const words = all.slice(0, this.config.maxLength - 2);
    const wordIds = words.length === 0 ? [] : this.tokenizer.encode(words.join(' '), { add_special_tokens: false }).ids;
    const unknown = words.filter((word) => this.tokenizer.token_to_id(word) === undefined);
    return { text, normalized: all.join(' '), ids: [this.config.bosId, ...wordIds, this.config.eosId], unknownWords: [...new Set(unknown)] };
  }

  /** The words the model knows (the vocabulary without its special tokens), for suggestions. */
  vocabulary(): string[] {
    return [...this.tokenizer.get_vocab(false).keys()].filter(isModelWord);
  }

  /** Prompts right-padded with [pad] to the longest; attention mask 1 for tokens, 0 for padding. */
  batch(prompts: readonly PreparedPrompt[]): TokenBatch {
    const rows = prompts.map((prompt) => prompt.ids);
    const length = Math.max(...rows.map((row) => row.length));
    const inputIds = new BigInt64Array(rows.length * length).fill(BigInt(this.config.padId));
    const attentionMask = new BigInt64Array(rows.length * length);
    rows.forEach((row, r) =>
      row.forEach((id, t) => {
        inputIds[r * length + t] = BigInt(id);
        attentionMask[r * length + t] = 1n;
      }),
    );
    return { inputIds, attentionMask, rows: rows.length, length };
  }
}
