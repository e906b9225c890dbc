// Type-only: each platform pair of this package exports the same names with the same types
// (decision 0004). `typecheck` fails when a pair drifts; the build leaves this file out.
import type { SameExports } from '@selfsup/backend';
import type * as AtomicDirectoryBrowser from './atomic-directory.browser.js';
import type * as AtomicDirectoryNode from './atomic-directory.node.js';
import type * as ModuleStoreBrowser from './module-store.browser.js';
import type * as ModuleStoreNode from './module-store.node.js';

export const atomicDirectoryParity: SameExports<typeof AtomicDirectoryNode, typeof AtomicDirectoryBrowser> = true;
export const moduleStoreParity: SameExports<typeof ModuleStoreNode, typeof ModuleStoreBrowser> = true;
