import type { ProgressStream } from './callbacks.js';

/**
 * Where progress goes by default in a page: the console, one `console.log` per complete line (not
 * a TTY, so the progress callback writes plain lines).
 */
export function defaultProgressStream(): ProgressStream {
  let buffered = '';
  return {
    write(text: string) {
      buffered += text;
      const lines = buffered.split('\n');
      buffered = lines.pop() ?? '';
      for (const line of lines) console.log(line);
      return true;
    },
  };
}
