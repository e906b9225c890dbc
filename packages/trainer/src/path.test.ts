import { posix } from 'node:path';
import { describe, expect, it } from 'vitest';
import * as browserPath from './path.browser.js';

// The browser's run paths are IndexedDB keys written as POSIX paths: the same as Node's on POSIX.
describe('browser run paths', () => {
  const cases = ['runs/a', 'runs/a/', './runs/a', '/abs/run', 'runs/../other/run', 'run', 'a//b/./c'];
  it.each(cases)('joins, splits and names %s as node:path does', (dir) => {
    expect(browserPath.joinPath(dir, 'checkpoints', 'step-000000001')).toBe(
      posix.join(dir, 'checkpoints', 'step-000000001'),
    );
    expect(browserPath.parentPath(dir)).toBe(posix.dirname(dir));
    expect(browserPath.baseName(dir)).toBe(posix.basename(dir));
  });

  it('keeps a run module in tfjs IndexedDB store', () => {
    expect(browserPath.moduleLocation('runs/a/encoder')).toBe('indexeddb://runs/a/encoder');
  });
});
