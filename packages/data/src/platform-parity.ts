// Type-only: each Node/browser pair exports the same names with mutually assignable types
// (decision 0004). `typecheck` fails when a pair drifts; excluded from the build.
import type { SameExports } from '@selfsup/backend';
import type * as IdxBytesBrowser from './idx-bytes.browser.js';
import type * as IdxBytesNode from './idx-bytes.node.js';
import type * as IdxFilesBrowser from './idx-files.browser.js';
import type * as IdxFilesNode from './idx-files.node.js';
import type * as LabeledImageFilesBrowser from './labeled-image-files.browser.js';
import type * as LabeledImageFilesNode from './labeled-image-files.node.js';
import type * as PhotoFilesBrowser from './photo-files.browser.js';
import type * as PhotoFilesNode from './photo-files.node.js';

export const idxBytesParity: SameExports<typeof IdxBytesNode, typeof IdxBytesBrowser> = true;
export const idxFilesParity: SameExports<typeof IdxFilesNode, typeof IdxFilesBrowser> = true;
export const labeledImageFilesParity: SameExports<typeof LabeledImageFilesNode, typeof LabeledImageFilesBrowser> = true;
export const photoFilesParity: SameExports<typeof PhotoFilesNode, typeof PhotoFilesBrowser> = true;
