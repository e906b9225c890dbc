// Node: tokenizer.json runs in Hugging Face's Rust `tokenizers` (the npm package's native bindings).
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Tokenizer as NativeTokenizer } from 'tokenizers';
import type { EncodedText } from './text-tokenizer.js';
import type { EncodedRow, TokenizerEngine } from './tokenizer-engine.js';

const ENCODE_CHUNK = 2048;

/**
 * The tokenizer.json text of a file path or a `Blob`/`File`.
 * @throws naming the file when it cannot be read or is not UTF-8.
 */
export async function readTokenizerText(source: string | Blob): Promise<string> {
  const name = typeof source === 'string' ? source : ((source as File).name ?? 'tokenizer.json');
  let bytes: Uint8Array;
  try {
    bytes = typeof source === 'string' ? await readFile(source) : new Uint8Array(await source.arrayBuffer());
  } catch (error) {
    throw new Error(`${name}: cannot read the tokenizer file (${(error as NodeJS.ErrnoException).code ?? error})`);
  }
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    throw new Error(`${name}: not valid UTF-8 text (a tokenizer.json is UTF-8 JSON)`);
  }
}

/**
 * The native engine of a tokenizer.json text.
 * @throws naming `source` when the tokenizers library rejects it.
 */
export function createTokenizerEngine(text: string, source: string): TokenizerEngine {
  let native: NativeTokenizer;
  try {
    native = NativeTokenizer.fromString(text);
  } catch (error) {
    throw new Error(`${source}: the tokenizers library rejects this tokenizer.json (${(error as Error).message})`);
  }
  return new NativeTokenizerEngine(native);
}

class NativeTokenizerEngine implements TokenizerEngine {
  private queue: Promise<unknown> = Promise.resolve();

  constructor(private readonly native: NativeTokenizer) {}

  vocab(): Record<string, number> {
    return this.native.getVocab(true);
  }

  tokenToId(token: string): number | undefined {
    return this.native.tokenToId(token) ?? undefined;
  }

  async encode(text: string, addSpecialTokens: boolean): Promise<EncodedText> {
    const encoding = await this.serialized(() => {
      this.native.disableTruncation();
      return this.native.encode(text, null, { addSpecialTokens });
    });
    return {
      ids: encoding.getIds(),
      tokens: encoding.getTokens(),
      wordIds: encoding.getWordIds().map((w) => (w === null || w === undefined ? -1 : w)),
      offsets: encoding.getOffsets().map(([start, end]) => [start as number, end as number]),
    };
  }

  async encodeRows(
    texts: readonly string[],
    maxLength: number | undefined,
    addSpecialTokens: boolean,
  ): Promise<EncodedRow[]> {
    const rows: EncodedRow[] = [];
    for (let start = 0; start < texts.length; start += ENCODE_CHUNK) {
      const chunk = texts.slice(start, start + ENCODE_CHUNK) as string[];
      const encodings = await this.serialized(() => {
        if (maxLength === undefined) this.native.disableTruncation();
        else this.native.setTruncation(maxLength);
        return this.native.encodeBatch(chunk, { addSpecialTokens });
      });
      for (const encoding of encodings) {
        const ids = Int32Array.from(encoding.getIds());
        const special = Uint8Array.from(encoding.getSpecialTokensMask());
        const words = Int32Array.from(encoding.getWordIds(), (w) => (w === null || w === undefined ? -1 : w));
        rows.push({ ids, special, words });
      }
    }
    return rows;
  }

  decode(ids: number[], skipSpecialTokens: boolean): Promise<string> {
    return this.native.decode(ids, skipSpecialTokens);
  }

  async save(path: string): Promise<void> {
    try {
      this.native.save(path, false);
    } catch (error) {
      throw new Error(`save: cannot write ${path} (${(error as Error).message})`);
    }
  }

  async toJSON(): Promise<string> {
    const dir = await mkdtemp(join(tmpdir(), 'selfsup-tokenizer-'));
    try {
      const path = join(dir, 'tokenizer.json');
      this.native.save(path, false);
      return await readFile(path, 'utf8');
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  }

  /**
   * Runs native calls one at a time: truncation is tokenizer state that an encode running on a
   * Rust thread reads, so a second call must not change it under the first.
   */
  private serialized<T>(call: () => Promise<T>): Promise<T> {
    const result = this.queue.then(call);
    this.queue = result.catch(() => undefined);
    return result;
  }
}
