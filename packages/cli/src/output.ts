/** Where a command writes: results to stdout (one JSON document with `--json`), logs to stderr. */
export interface Output {
  /** `--json` was given. */
  json: boolean;
  /** A line of the human-readable result (suppressed with `--json`). */
  print(line: string): void;
  /** The machine-readable result (printed only with `--json`). */
  result(value: unknown): void;
  /** A log line (stderr), unless quiet; a line that starts with `warning:` is written even then. */
  log(line: string): void;
  /** A warning or error line (stderr), always. */
  error(line: string): void;
}

/** Streams to write to (process.stdout / process.stderr, or test doubles). */
export interface OutputStreams {
  stdout: { write(text: string): unknown };
  stderr: { write(text: string): unknown };
}

/** An {@link Output} over two streams. */
export function createOutput(streams: OutputStreams, options: { json: boolean; quiet: boolean }): Output {
  return {
    json: options.json,
    print: (line) => {
      if (!options.json) streams.stdout.write(`${line}\n`);
    },
    result: (value) => {
      if (options.json) streams.stdout.write(`${JSON.stringify(value, null, 2)}\n`);
    },
    log: (line) => {
      if (!options.quiet || line.startsWith('warning:')) streams.stderr.write(`${line}\n`);
    },
    error: (line) => {
      streams.stderr.write(`${line}\n`);
    },
  };
}
