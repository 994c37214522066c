/**
 * Prompt text: the world spec's normalisation, word-level tokenisation with the package's
 * tokenizer.json, and the words the model does not know.
 */
import { readFile } from 'node:fs/promises';
import { Tokenizer } from '@huggingface/tokenizers';

/**
 * Spec normalisation, identical to the training code's `normalize`: lower case, every
 * character other than a-z, 0-9 or white space becomes a space, runs of white space collapse.
 * (`Top-left.` reads as `top left`; a non-ASCII letter is not a word character to the model.)
 */
export function normalizePrompt(text: string): string {
  return text
    .toLowerCase()
    .replace(/[^0-9a-z\s]/g, ' ')
    .split(/\s+/)
    .filter((word) => word.length > 0)
    .join(' ');
}

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

  /** `[bos] words… [eos]`, words cut so the whole fits `maxLength`. The empty prompt is `[bos] [eos]`. */
  ids(prompt: string): number[] {
    const words = this.words(prompt);
    const wordIds = words.length === 0 ? [] : this.tokenizer.encode(words.join(' '), { add_special_tokens: false }).ids;
    return [this.config.bosId, ...wordIds, this.config.eosId];
  }

  /** Normalised words (after truncation) that the vocabulary lacks, each once, in prompt order. */
  unknownWords(prompt: string): string[] {
    const unknown = this.words(prompt).filter((word) => this.tokenizer.token_to_id(word) === undefined);
    return [...new Set(unknown)];
  }

  /** Prompts right-padded with [pad] to the longest; attention mask 1 for tokens, 0 for padding. */
  batch(prompts: string[]): TokenBatch {
    const rows = prompts.map((prompt) => this.ids(prompt));
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

  private words(prompt: string): string[] {
    const words = normalizePrompt(prompt).split(' ').filter((word) => word.length > 0);
    return words.slice(0, this.config.maxLength - 2);
  }
}
