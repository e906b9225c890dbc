import { createHash } from 'node:crypto';
import type { TextTokenizer } from '@selfsup/text';
import type { BrownDocument } from './brown-corpus.js';

/**
 * A SHA-256 of the corpus as the pipeline reads it (file names, genres, sentences): a resumed run
 * checks it to be sure it trains on the text it started on, wherever the directory now lives.
 */
export function corpusFingerprint(documents: readonly BrownDocument[]): string {
  const hash = createHash('sha256');
  for (const document of documents) {
    hash.update(`${document.id}\t${document.genre}\t${document.sentences.length}\n`);
    for (const sentence of document.sentences) hash.update(`${sentence}\n`);
  }
  return hash.digest('hex');
}

/**
 * A SHA-256 of a tokenizer's whole definition (normalizer, pre-tokenizer, vocabulary, special
 * tokens) as the native library serializes it, so a tokenizer loaded from its saved file has the
 * fingerprint it had when trained.
 */
export async function tokenizerFingerprint(tokenizer: TextTokenizer): Promise<string> {
  return createHash('sha256')
    .update(await tokenizer.toJSON())
    .digest('hex');
}
