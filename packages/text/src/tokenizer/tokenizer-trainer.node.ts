// Node: tokenizers are trained by Hugging Face's Rust trainer (native `tokenizers` bindings).
import { once } from 'node:events';
import { createWriteStream } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  BPE,
  bertNormalizer,
  bertPreTokenizer,
  byteLevelAlphabet,
  byteLevelPreTokenizer,
  lowercase,
  Tokenizer as NativeTokenizer,
  WordPiece,
  whitespaceSplitPreTokenizer,
} from 'tokenizers';
import type { TokenizerJson } from './text-tokenizer.js';

/** What the Rust trainer learned, before `trainTokenizer` fixes the special tokens and the size. */
export interface TrainedVocabulary {
  /** The trained tokenizer.json (30 000 entries at most). */
  trained: TokenizerJson;
  /** Texts the corpus had, blank ones included. */
  texts: number;
  /** The 256 symbols of byte-level BPE (GPT-2's byte-to-character table). */
  byteLevelAlphabet: string[];
}

/**
 * Runs the native trainer on a corpus streamed through a temporary file (never held in memory at
 * once): WordPiece with BERT's normalizer and pre-tokenizer, or byte-level BPE. The same corpus and
 * settings always give the same vocabulary (see {@link trainWordPieceVocabulary}).
 * @throws if the corpus has no text or a text is not a string.
 */
export async function trainVocabulary(
  texts: Iterable<string> | AsyncIterable<string>,
  settings: { model: 'wordpiece' | 'bpe'; lowercase: boolean },
): Promise<TrainedVocabulary> {
  const dir = await mkdtemp(join(tmpdir(), 'selfsup-train-tokenizer-'));
  try {
    if (settings.model === 'wordpiece') return await trainWordPieceVocabulary(texts, settings.lowercase, dir);
    const corpusPath = join(dir, 'corpus.txt');
    const { texts: count, characters } = await writeCorpus(texts, corpusPath);
    if (characters === 0) {
      throw new Error(`trainTokenizer: the corpus is empty (${count} texts, no non-blank character)`);
    }
    // Byte-level BPE: every symbol is in the alphabet, whose ids the trainer assigns in sorted
    // order, so ties between equally frequent merges break the same way on every run.
    const native = new NativeTokenizer(BPE.empty());
    if (settings.lowercase) native.setNormalizer(lowercase());
    native.setPreTokenizer(byteLevelPreTokenizer(false, true));
    native.train([corpusPath]);
    const trained = await savedJson(native, dir);
    return { trained, texts: count, byteLevelAlphabet: byteLevelAlphabet() };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

async function savedJson(native: NativeTokenizer, dir: string): Promise<TokenizerJson> {
  const path = join(dir, 'trained.json');
  native.save(path, false);
  return JSON.parse(await readFile(path, 'utf8')) as TokenizerJson;
}

/** The first code point of Unicode's Supplementary Private Use Area-A, and how many follow it (planes 15–16). */
const PRIVATE_USE_START = 0xf0000;
const PRIVATE_USE_COUNT = 0x10fffe - PRIVATE_USE_START;

/**
 * WordPiece, trained deterministically. The Rust WordPiece trainer gives its `##` continuation
 * symbols ids in hash-map order and breaks ties between equally frequent merges by those ids, so
 * one corpus gave another vocabulary on every run (huggingface/tokenizers#1794) — and with it
 * other bag-of-words and random-init floors. Here every symbol, a character at a word's start or
 * `##` + a character after it, becomes one private-use character (numbered in the order the corpus
 * first shows it), BERT's normalizer and pre-tokenizer having run first; the native BPE trainer,
 * whose alphabet ids are sorted, learns the merges on those words, and each learned token is spelt
 * back (`##` kept only at its start). The merges are WordPiece's: counts of adjacent symbols within
 * words, the most frequent merged first.
 */
async function trainWordPieceVocabulary(
  texts: Iterable<string> | AsyncIterable<string>,
  lowercaseText: boolean,
  dir: string,
): Promise<TrainedVocabulary> {
  const normalizer = bertNormalizer({ lowercase: lowercaseText, stripAccents: lowercaseText });
  const preTokenizer = bertPreTokenizer();
  const symbols = new Map<string, string>();
  const spelled: string[] = [];
  const symbolOf = (piece: string): string => {
    let symbol = symbols.get(piece);
    if (symbol === undefined) {
      if (spelled.length >= PRIVATE_USE_COUNT) {
        throw new Error(
          `trainTokenizer: the corpus has more than ${PRIVATE_USE_COUNT} distinct word-start and continuation characters`,
        );
      }
      symbol = String.fromCodePoint(PRIVATE_USE_START + spelled.length);
      symbols.set(piece, symbol);
      spelled.push(piece);
    }
    return symbol;
  };
  const words = (text: string) =>
    preTokenizer
      .preTokenizeString(normalizer.normalizeString(text))
      .map(([word]) => [...word].map((character, i) => symbolOf(i === 0 ? character : `##${character}`)).join(''))
      .join(' ');
  const corpusPath = join(dir, 'corpus.txt');
  const { texts: count, characters } = await writeCorpus(texts, corpusPath, words);
  if (characters === 0) {
    throw new Error(`trainTokenizer: the corpus is empty (${count} texts, no non-blank character)`);
  }
  const native = new NativeTokenizer(BPE.empty());
  native.setPreTokenizer(whitespaceSplitPreTokenizer());
  native.train([corpusPath]);
  const learned = (await savedJson(native, dir)).model.vocab as Record<string, number>;
  const vocab: Record<string, number> = {};
  let size = 0;
  const ordered = Object.entries(learned).sort((a, b) => a[1] - b[1]);
  for (const [symbolsOfToken] of ordered) {
    const pieces = [...symbolsOfToken].map((symbol) => spelled[(symbol.codePointAt(0) as number) - PRIVATE_USE_START]);
    if (pieces.some((piece) => piece === undefined)) continue;
    const [first, ...rest] = pieces as string[];
    vocab[`${first}${rest.map((piece) => piece.slice(2)).join('')}`] = size++;
  }
  // As the Rust trainer does, every character seen only inside words is also a word-start token.
  for (const piece of spelled) {
    const character = piece.startsWith('##') ? piece.slice(2) : piece;
    if (!(character in vocab)) vocab[character] = size++;
  }
  const shell = new NativeTokenizer(WordPiece.empty());
  shell.setNormalizer(normalizer);
  shell.setPreTokenizer(preTokenizer);
  const trained = await savedJson(shell, dir);
  trained.model = { ...trained.model, vocab };
  return { trained, texts: count, byteLevelAlphabet: byteLevelAlphabet() };
}

/** Writes each non-blank text, trimmed (and rewritten by `line` when given), as one line of `path`. */
async function writeCorpus(
  texts: Iterable<string> | AsyncIterable<string>,
  path: string,
  line: (text: string) => string = (text) => text,
): Promise<{ texts: number; characters: number }> {
  const out = createWriteStream(path, { encoding: 'utf8' });
  let count = 0;
  let characters = 0;
  try {
    for await (const text of texts) {
      if (typeof text !== 'string') {
        throw new Error(`trainTokenizer: text ${count} of the corpus is ${typeof text}, not a string`);
      }
      count++;
      const trimmed = text.trim();
      if (trimmed === '') continue;
      characters += trimmed.length;
      if (!out.write(`${line(trimmed)}\n`)) await once(out, 'drain');
    }
  } finally {
    out.end();
    await once(out, 'close');
  }
  return { texts: count, characters };
}
