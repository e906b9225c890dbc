/**
 * The special tokens a text model needs, by role. Their ids come from the tokenizer; masking never
 * selects them and never writes them as random replacements.
 */
export interface SpecialTokens {
  /** Fills sequences up to a common length; attention ignores it. */
  pad: string;
  /** Stands for text the vocabulary cannot spell. */
  unk: string;
  /** Starts a sequence; its output is a sentence feature in BERT. */
  cls: string;
  /** Ends a sequence or separates two segments (also the end-of-sequence token of T5 targets). */
  sep: string;
  /** Replaces masked tokens. */
  mask: string;
}

/** BERT's special tokens: `[PAD]`, `[UNK]`, `[CLS]`, `[SEP]`, `[MASK]`. */
export const BERT_SPECIAL_TOKENS: Readonly<SpecialTokens> = Object.freeze({
  pad: '[PAD]',
  unk: '[UNK]',
  cls: '[CLS]',
  sep: '[SEP]',
  mask: '[MASK]',
});

/** RoBERTa's (and BART's) special tokens: `<pad>`, `<unk>`, `<s>`, `</s>`, `<mask>`. */
export const ROBERTA_SPECIAL_TOKENS: Readonly<SpecialTokens> = Object.freeze({
  pad: '<pad>',
  unk: '<unk>',
  cls: '<s>',
  sep: '</s>',
  mask: '<mask>',
});

/** The roles in vocabulary order: a trained tokenizer gives them ids 0–4 in this order. */
export const SPECIAL_TOKEN_ROLES = ['pad', 'unk', 'cls', 'sep', 'mask'] as const;

/** T5's name for the i-th sentinel token of span corruption. */
export function sentinelToken(index: number): string {
  return `<extra_id_${index}>`;
}
