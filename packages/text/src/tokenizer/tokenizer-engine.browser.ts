// Browser: tokenizer.json runs in @huggingface/tokenizers, Hugging Face's JavaScript implementation
// of the format (the one Transformers.js uses). It gives the native library's ids; what it does not
// report (word ids, special-token flags, offsets, truncation) is derived here from its own parts.
import { Tokenizer } from '@huggingface/tokenizers';
import type { EncodedText } from './text-tokenizer.js';
import type { EncodedRow, TokenizerEngine } from './tokenizer-engine.js';

/**
 * The tokenizer.json text of a URL (fetched) or a `Blob`/`File`.
 * @throws naming the URL or file when it cannot be fetched or read, or is not UTF-8.
 */
export async function readTokenizerText(source: string | Blob): Promise<string> {
  const name = typeof source === 'string' ? source : ((source as File).name ?? 'tokenizer.json');
  let bytes: Uint8Array;
  try {
    if (typeof source === 'string') {
      const response = await fetch(source);
      if (!response.ok) throw new Error(`HTTP ${response.status}`);
      bytes = new Uint8Array(await response.arrayBuffer());
    } else {
      bytes = new Uint8Array(await source.arrayBuffer());
    }
  } catch (error) {
    throw new Error(`${name}: cannot read the tokenizer file (${(error as Error).message ?? error})`);
  }
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    throw new Error(`${name}: not valid UTF-8 text (a tokenizer.json is UTF-8 JSON)`);
  }
}

/**
 * The JavaScript engine of a tokenizer.json text.
 * @throws naming `source` when @huggingface/tokenizers rejects it.
 */
export function createTokenizerEngine(text: string, source: string): TokenizerEngine {
  const json = JSON.parse(text) as Record<string, unknown>;
  let tokenizer: Tokenizer;
  try {
    // Every key the library requires; a tokenizer.json written by hand may leave some out.
    const complete = { normalizer: null, pre_tokenizer: null, post_processor: null, decoder: null, ...json };
    tokenizer = new Tokenizer(complete, { clean_up_tokenization_spaces: false });
  } catch (error) {
    throw new Error(`${source}: the tokenizers library rejects this tokenizer.json (${(error as Error).message})`);
  }
  return new JsTokenizerEngine(tokenizer, text, json);
}

/** A pre-tokenized word and the tokens the model made of it, in the order the model saw them. */
interface ModelWord {
  word: string;
  tokens: string[];
}

const MARKER = '\u0000selfsup-sequence\u0000';

class JsTokenizerEngine implements TokenizerEngine {
  private readonly model: NonNullable<Tokenizer['model']>;
  private readonly addedTokens: Set<string>;
  private readonly byteDecoder: Record<string, number> | undefined;
  private readonly prefix: string;
  private readonly suffix: string;
  private readonly metaspace: string | undefined;
  /** Special tokens the post-processor puts before and after a sequence. */
  private readonly specialAround: { before: number; after: number };
  private recording: ModelWord[] | undefined;

  constructor(
    private readonly tokenizer: Tokenizer,
    private readonly text: string,
    json: Record<string, unknown>,
  ) {
    const model = tokenizer.model;
    if (model === null) throw new Error('tokenizer.json has no model');
    this.model = model;
    // The library hands each section's pre-tokenized words to the model in one call; calling the
    // model word by word (it tokenizes words independently) tells which word each token is of.
    const modelCall = model._call.bind(model);
    model._call = (words: string[]): string[] => {
      if (this.recording === undefined) return modelCall(words);
      const out: string[] = [];
      for (const word of words) {
        const tokens = modelCall([word]);
        this.recording.push({ word, tokens });
        out.push(...tokens);
      }
      return out;
    };
    this.addedTokens = new Set([...tokenizer.get_added_tokens_decoder().values()].map((token) => token.content));
    const types = componentTypes(json.pre_tokenizer);
    const byteEncoder = types.includes('ByteLevel') ? findByteEncoder(tokenizer.pre_tokenizer) : undefined;
    this.byteDecoder = byteEncoder
      ? Object.fromEntries(Object.entries(byteEncoder).map(([byte, char]) => [char, Number(byte)]))
      : undefined;
    const modelJson = json.model as { continuing_subword_prefix?: string | null; end_of_word_suffix?: string | null };
    this.prefix = modelJson.continuing_subword_prefix ?? '';
    this.suffix = modelJson.end_of_word_suffix ?? '';
    this.metaspace = types.includes('Metaspace') ? metaspaceReplacement(json.pre_tokenizer) : undefined;
    const around = tokenizer.post_processor?.([MARKER], null, true).tokens ?? [MARKER];
    const before = around.indexOf(MARKER);
    this.specialAround = { before, after: around.length - before - 1 };
  }

  vocab(): Record<string, number> {
    return Object.fromEntries(this.tokenizer.get_vocab(true));
  }

  tokenToId(token: string): number | undefined {
    return this.tokenizer.token_to_id(token);
  }

  async encode(text: string, addSpecialTokens: boolean): Promise<EncodedText> {
    const { tokens, words } = this.content(text);
    const offsets = this.offsets(text, tokens, words.recorded);
    const row = this.withSpecialTokens(tokens, words.ids, undefined, addSpecialTokens);
    const { before } = addSpecialTokens ? this.specialAround : { before: 0 };
    return {
      ids: Array.from(row.ids),
      tokens: row.tokens,
      wordIds: Array.from(row.words),
      offsets: row.tokens.map((_, i) => {
        const content = i - before;
        return row.special[i] === 1 || content < 0 || content >= offsets.length ? [0, 0] : offsets[content]!;
      }),
    };
  }

  async encodeRows(
    texts: readonly string[],
    maxLength: number | undefined,
    addSpecialTokens: boolean,
  ): Promise<EncodedRow[]> {
    return texts.map((text) => {
      const { tokens, words } = this.content(text);
      const { ids, special, words: wordIds } = this.withSpecialTokens(tokens, words.ids, maxLength, addSpecialTokens);
      return { ids, special, words: wordIds };
    });
  }

  async decode(ids: number[], skipSpecialTokens: boolean): Promise<string> {
    if (ids.length === 0) return '';
    return this.tokenizer.decode(ids, { skip_special_tokens: skipSpecialTokens });
  }

  async toJSON(): Promise<string> {
    return this.text;
  }

  async save(path: string): Promise<void> {
    throw new Error(
      `TextTokenizer.save('${path}') writes a file and is Node-only; in a browser call tokenizer.toJSON() and keep ` +
        'the text (download it as a Blob, store it in IndexedDB); tokenizerFromJson(text) loads it back',
    );
  }

  /** The tokens of a text without special tokens, and the word of each (−1 where none). */
  private content(text: string): { tokens: string[]; words: { ids: number[]; recorded: ModelWord[] } } {
    this.recording = [];
    let tokens: string[];
    let recorded: ModelWord[];
    try {
      tokens = this.tokenizer.tokenize(text, { add_special_tokens: false });
    } finally {
      recorded = this.recording;
      this.recording = undefined;
    }
    // As the native library counts words: every pre-tokenized word and every added token found in
    // the text is a word; the model's words arrive in order, added tokens come between them.
    const ids: number[] = [];
    let word = 0;
    let next = 0;
    for (let i = 0; i < tokens.length; ) {
      const candidate = recorded[next];
      if (candidate !== undefined && candidate.tokens.length === 0) {
        next++;
        word++;
        continue;
      }
      if (candidate?.tokens.every((token, k) => tokens[i + k] === token)) {
        for (let k = 0; k < candidate.tokens.length; k++) ids.push(word);
        i += candidate.tokens.length;
        next++;
      } else {
        ids.push(word);
        i++;
      }
      word++;
    }
    return { tokens, words: { ids, recorded } };
  }

  /** Truncates the content to fit `maxLength` with the special tokens, then adds them. */
  private withSpecialTokens(
    tokens: string[],
    words: number[],
    maxLength: number | undefined,
    addSpecialTokens: boolean,
  ): { ids: Int32Array; special: Uint8Array; words: Int32Array; tokens: string[] } {
    const { before, after } = addSpecialTokens ? this.specialAround : { before: 0, after: 0 };
    const keep = maxLength === undefined ? tokens.length : Math.max(0, maxLength - before - after);
    const content = tokens.slice(0, keep);
    const all = addSpecialTokens ? (this.tokenizer.post_processor?.(content, null, true).tokens ?? content) : content;
    const unk = this.model.unk_token_id ?? 0;
    const ids = Int32Array.from(all, (token) => this.tokenizer.token_to_id(token) ?? unk);
    const special = new Uint8Array(all.length).fill(1);
    special.fill(0, before, before + content.length);
    const wordIds = new Int32Array(all.length).fill(-1);
    wordIds.set(words.slice(0, content.length), before);
    return { ids, special, words: wordIds, tokens: all };
  }

  /**
   * [start, end) offsets of each content token in the original text, in characters (code points)
   * as the native library gives them: found in order in the normalized text, each normalized character mapped back to the
   * original one it came from (byte-level tokens by their bytes).
   */
  private offsets(text: string, tokens: string[], recorded: ModelWord[]): Array<[number, number]> {
    const normalize = this.tokenizer.normalizer;
    let normalized = '';
    const origin: Array<[number, number]> = [];
    for (let i = 0; i < text.length; ) {
      const codePoint = text.codePointAt(i) as number;
      const width = codePoint > 0xffff ? 2 : 1;
      const char = text.slice(i, i + width);
      const out = normalize ? normalize(char) : char;
      normalized += out;
      for (let k = 0; k < out.length; k++) origin.push([i, i + width]);
      i += width;
    }
    const encoder = new TextEncoder();
    // Byte-level tokens spell UTF-8 bytes: search bytes, and map each byte to its character.
    const haystack = this.byteDecoder ? encoder.encode(normalized) : undefined;
    const byteUnit: number[] = [];
    if (haystack) {
      for (let unit = 0; unit < normalized.length; unit++) {
        const codePoint = normalized.codePointAt(unit) as number;
        const bytes = encoder.encode(String.fromCodePoint(codePoint)).length;
        const width = codePoint > 0xffff ? 2 : 1;
        for (let b = 0; b < bytes; b++) byteUnit.push(unit);
        unit += width - 1;
      }
    }
    const unk = this.model.unk_token;
    const words = [...recorded];
    let wordTokensLeft = 0;
    let currentWord: ModelWord | undefined;
    let cursor = 0; // in normalized code units, or in bytes for byte-level tokens
    let originCursor = 0;
    const result: Array<[number, number]> = [];
    for (const token of tokens) {
      if (wordTokensLeft === 0) {
        currentWord = undefined;
        const next = words[0];
        if (next && next.tokens[0] === token && (token === unk || !this.addedTokens.has(token))) {
          currentWord = words.shift();
          wordTokensLeft = currentWord?.tokens.length ?? 0;
        }
      }
      if (currentWord === undefined) {
        // An added token is matched in the original text, before normalization.
        const at = text.indexOf(token, originCursor);
        const span: [number, number] = at < 0 ? [originCursor, originCursor] : [at, at + token.length];
        originCursor = span[1];
        const units = haystack ? byteUnit : origin.map((_, unit) => unit);
        while (cursor < units.length && (origin[units[cursor] as number] as [number, number])[0] < originCursor)
          cursor++;
        result.push(span);
        continue;
      }
      wordTokensLeft--;
      const surface = token === unk && currentWord.tokens.length === 1 ? currentWord.word : this.surface(token);
      let span: [number, number] | undefined;
      if (haystack && this.byteDecoder) {
        const bytes = [...surface].map((char) => this.byteDecoder?.[char] ?? -1);
        const at = indexOfBytes(haystack, bytes, cursor);
        if (at >= 0) {
          const first = byteUnit[at] as number;
          const last = byteUnit[at + bytes.length - 1] as number;
          span = [(origin[first] as [number, number])[0], (origin[last] as [number, number])[1]];
          cursor = at + bytes.length;
        }
      } else {
        const at = surface === '' ? -1 : normalized.indexOf(surface, cursor);
        if (at >= 0) {
          span = [(origin[at] as [number, number])[0], (origin[at + surface.length - 1] as [number, number])[1]];
          cursor = at + surface.length;
        }
      }
      if (span === undefined) span = [originCursor, originCursor];
      originCursor = span[1];
      result.push(span);
    }
    // The native library counts characters (code points), not UTF-16 units.
    const codePoints = new Int32Array(text.length + 1);
    for (let unit = 0, point = 0; unit <= text.length; unit++) {
      codePoints[unit] = point;
      const code = text.charCodeAt(unit);
      if (!(code >= 0xd800 && code <= 0xdbff)) point++;
    }
    return result.map(([start, end]) => [codePoints[start] as number, codePoints[end] as number]);
  }

  /** The text a model token stands for: without its continuation prefix or end-of-word suffix. */
  private surface(token: string): string {
    let surface = token;
    if (this.prefix !== '' && surface.startsWith(this.prefix) && surface.length > this.prefix.length) {
      surface = surface.slice(this.prefix.length);
    }
    if (this.suffix !== '' && surface.endsWith(this.suffix)) surface = surface.slice(0, -this.suffix.length);
    if (this.metaspace !== undefined) surface = surface.replaceAll(this.metaspace, ' ');
    return surface;
  }
}

/** The byte → character table of the library's ByteLevel pre-tokenizer (GPT-2's), alone or in a Sequence. */
function findByteEncoder(preTokenizer: unknown): Record<number, string> | undefined {
  if (typeof preTokenizer !== 'function' && (typeof preTokenizer !== 'object' || preTokenizer === null))
    return undefined;
  const { byte_encoder, tokenizers } = preTokenizer as {
    byte_encoder?: Record<number, string>;
    tokenizers?: unknown[];
  };
  if (byte_encoder) return byte_encoder;
  for (const inner of tokenizers ?? []) {
    const found = findByteEncoder(inner);
    if (found) return found;
  }
  return undefined;
}

function componentTypes(component: unknown): string[] {
  if (typeof component !== 'object' || component === null) return [];
  const { type, pretokenizers } = component as { type?: string; pretokenizers?: unknown[] };
  return [...(type ? [type] : []), ...(pretokenizers ?? []).flatMap(componentTypes)];
}

function metaspaceReplacement(component: unknown): string {
  if (typeof component !== 'object' || component === null) return '▁';
  const { type, replacement, pretokenizers } = component as {
    type?: string;
    replacement?: string;
    pretokenizers?: unknown[];
  };
  if (type === 'Metaspace') return replacement ?? '▁';
  for (const inner of pretokenizers ?? []) {
    if (componentTypes(inner).includes('Metaspace')) return metaspaceReplacement(inner);
  }
  return '▁';
}

function indexOfBytes(haystack: Uint8Array, needle: readonly number[], from: number): number {
  if (needle.length === 0 || needle.includes(-1)) return -1;
  outer: for (let i = from; i <= haystack.length - needle.length; i++) {
    for (let k = 0; k < needle.length; k++) if (haystack[i + k] !== needle[k]) continue outer;
    return i;
  }
  return -1;
}
