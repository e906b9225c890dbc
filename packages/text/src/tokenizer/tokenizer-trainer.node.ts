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
 * once): WordPiece with BERT's normalizer and pre-tokenizer, or byte-level BPE.
 * @throws if the corpus has no text or a text is not a string.
 */
export async function trainVocabulary(
  texts: Iterable<string> | AsyncIterable<string>,
  settings: { model: 'wordpiece' | 'bpe'; lowercase: boolean },
): Promise<TrainedVocabulary> {
  const dir = await mkdtemp(join(tmpdir(), 'selfsup-train-tokenizer-'));
  try {
    const corpusPath = join(dir, 'corpus.txt');
    const { texts: count, characters } = await writeCorpus(texts, corpusPath);
    if (characters === 0) {
      throw new Error(`trainTokenizer: the corpus is empty (${count} texts, no non-blank character)`);
    }
    const native = new NativeTokenizer(settings.model === 'wordpiece' ? WordPiece.empty() : BPE.empty());
    if (settings.model === 'wordpiece') {
      native.setNormalizer(bertNormalizer({ lowercase: settings.lowercase, stripAccents: settings.lowercase }));
      native.setPreTokenizer(bertPreTokenizer());
    } else {
      if (settings.lowercase) native.setNormalizer(lowercase());
      native.setPreTokenizer(byteLevelPreTokenizer(false, true));
    }
    native.train([corpusPath]);
    const trainedPath = join(dir, 'trained.json');
    native.save(trainedPath, false);
    const trained = JSON.parse(await readFile(trainedPath, 'utf8')) as TokenizerJson;
    return { trained, texts: count, byteLevelAlphabet: byteLevelAlphabet() };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

async function writeCorpus(
  texts: Iterable<string> | AsyncIterable<string>,
  path: string,
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
      if (!out.write(`${trimmed}\n`)) await once(out, 'drain');
    }
  } finally {
    out.end();
    await once(out, 'close');
  }
  return { texts: count, characters };
}
