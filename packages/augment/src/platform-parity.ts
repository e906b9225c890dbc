// Type-only: each Node/browser pair exports the same names with mutually assignable types
// (decision 0004). `typecheck` fails when a pair drifts; excluded from the build.
import type { SameExports } from '@selfsup/backend';
import type * as DecodeImageBrowser from './io/decode-image.browser.js';
import type * as DecodeImageNode from './io/decode-image.node.js';
import type * as ListImageFilesBrowser from './io/list-image-files.browser.js';
import type * as ListImageFilesNode from './io/list-image-files.node.js';
import type * as PngFileBrowser from './io/png-file.browser.js';
import type * as PngFileNode from './io/png-file.node.js';

export const decodeImageParity: SameExports<typeof DecodeImageNode, typeof DecodeImageBrowser> = true;
export const listImageFilesParity: SameExports<typeof ListImageFilesNode, typeof ListImageFilesBrowser> = true;
export const pngFileParity: SameExports<typeof PngFileNode, typeof PngFileBrowser> = true;
