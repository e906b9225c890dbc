// Type-only: each platform pair of this package exports the same names with the same types
// (decision 0004). `typecheck` fails when a pair drifts; the build leaves this file out.
import type { SameExports } from '@selfsup/backend';
import type * as CorpusFilesBrowser from './corpus/corpus-files.browser.js';
import type * as CorpusFilesNode from './corpus/corpus-files.node.js';
import type * as TokenizerEngineBrowser from './tokenizer/tokenizer-engine.browser.js';
import type * as TokenizerEngineNode from './tokenizer/tokenizer-engine.node.js';
import type * as TokenizerTrainerBrowser from './tokenizer/tokenizer-trainer.browser.js';
import type * as TokenizerTrainerNode from './tokenizer/tokenizer-trainer.node.js';

export const corpusFilesParity: SameExports<typeof CorpusFilesNode, typeof CorpusFilesBrowser> = true;
export const tokenizerEngineParity: SameExports<typeof TokenizerEngineNode, typeof TokenizerEngineBrowser> = true;
export const tokenizerTrainerParity: SameExports<typeof TokenizerTrainerNode, typeof TokenizerTrainerBrowser> = true;
