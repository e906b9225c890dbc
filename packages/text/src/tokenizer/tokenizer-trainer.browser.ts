// Browser: no tokenizer trainer — @huggingface/tokenizers only runs trained tokenizers.
import type { TokenizerJson } from './text-tokenizer.js';

/** What the Rust trainer learned (Node only). */
export interface TrainedVocabulary {
  trained: TokenizerJson;
  texts: number;
  byteLevelAlphabet: string[];
}

/**
 * @throws always: training runs Hugging Face's Rust trainer, which a page does not have.
 */
export async function trainVocabulary(
  _texts: Iterable<string> | AsyncIterable<string>,
  _settings: { model: 'wordpiece' | 'bpe'; lowercase: boolean },
): Promise<TrainedVocabulary> {
  throw new Error(
    "trainTokenizer(texts) runs Hugging Face's Rust trainer (native tokenizers) and is Node-only; in a browser, " +
      "train in Node (trainTokenizer, then tokenizer.save('tokenizer.json')) and load that file with " +
      'loadTokenizer(url or File) or tokenizerFromJson(text)',
  );
}
