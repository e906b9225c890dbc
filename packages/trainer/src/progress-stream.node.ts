import type { ProgressStream } from './callbacks.js';

/** Where progress goes by default: the process's stderr (a TTY gets one line redrawn in place). */
export function defaultProgressStream(): ProgressStream {
  return process.stderr;
}
