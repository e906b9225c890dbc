// Type-only: each platform pair of this package exports the same names with the same types
// (decision 0004). `typecheck` fails when a pair drifts; the build leaves this file out.
import type { SameExports } from '@selfsup/backend';
import type * as CheckpointStoreBrowser from './checkpoint-store.browser.js';
import type * as CheckpointStoreNode from './checkpoint-store.node.js';
import type * as PathBrowser from './path.browser.js';
import type * as PathNode from './path.node.js';
import type * as ProgressStreamBrowser from './progress-stream.browser.js';
import type * as ProgressStreamNode from './progress-stream.node.js';
import type * as RunLockBrowser from './run/run-lock.browser.js';
import type * as RunLockNode from './run/run-lock.node.js';
import type * as RunStorageBrowser from './run-storage.browser.js';
import type * as RunStorageNode from './run-storage.node.js';

export const checkpointStoreParity: SameExports<typeof CheckpointStoreNode, typeof CheckpointStoreBrowser> = true;
export const pathParity: SameExports<typeof PathNode, typeof PathBrowser> = true;
export const progressStreamParity: SameExports<typeof ProgressStreamNode, typeof ProgressStreamBrowser> = true;
export const runLockParity: SameExports<typeof RunLockNode, typeof RunLockBrowser> = true;
export const runStorageParity: SameExports<typeof RunStorageNode, typeof RunStorageBrowser> = true;
