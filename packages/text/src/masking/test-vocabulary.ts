// Test helper (not built): a synthetic vocabulary and batches shaped like those of bench/reference/mlm_masking.py.
import { createRng } from '@selfsup/backend';
import { createTokenVocabulary, type TokenVocabulary } from '../tokenizer/token-vocabulary.js';

/**
 * 1000 ids: [PAD]=0 [UNK]=1 [CLS]=2 [SEP]=3 [MASK]=4, sentinels 5–104, words 105–899 and
 * continuation pieces 900–999.
 */
export const TEST_VOCABULARY: TokenVocabulary = createTokenVocabulary(1000, {
  sentinels: 100,
  continuation: Uint8Array.from({ length: 1000 }, (_, id) => (id >= 900 ? 1 : 0)),
});

/**
 * [CLS] + ids + [SEP] + [PAD]… rows with lengths uniform in [length/4, length]; words get 0–2
 * continuation pieces when `pieces` is set.
 */
export function syntheticBatch(rows: number, length: number, seed: number, pieces = false): Int32Array {
  const rng = createRng(seed);
  const ids = new Int32Array(rows * length);
  for (let row = 0; row < rows; row++) {
    const used = Math.floor(length / 4) + rng.int(length - Math.floor(length / 4) + 1);
    const offset = row * length;
    ids[offset] = 2;
    for (let column = 1; column < used - 1; column++) {
      const continues = pieces && column > 1 && ids[offset + column - 1] !== 2 && rng.next() < 0.3;
      ids[offset + column] = continues ? 900 + rng.int(100) : 105 + rng.int(795);
    }
    ids[offset + used - 1] = 3;
  }
  return ids;
}
