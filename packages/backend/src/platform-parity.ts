// Type-only: each platform pair of this package exports the same names with the same types
// (decision 0004). `typecheck` fails when a pair drifts; the build leaves this file out.
import type * as BackendPlatformBrowser from './backend-platform.browser.js';
import type * as BackendPlatformNode from './backend-platform.node.js';
import type * as FileSystemIOBrowser from './file-system-io.browser.js';
import type * as FileSystemIONode from './file-system-io.node.js';
import type * as InstalledBackendsBrowser from './installed-backends.browser.js';
import type * as InstalledBackendsNode from './installed-backends.node.js';
import type { SameExports } from './same-exports.js';

export const backendPlatformParity: SameExports<typeof BackendPlatformNode, typeof BackendPlatformBrowser> = true;
export const fileSystemIOParity: SameExports<typeof FileSystemIONode, typeof FileSystemIOBrowser> = true;
export const installedBackendsParity: SameExports<typeof InstalledBackendsNode, typeof InstalledBackendsBrowser> = true;
