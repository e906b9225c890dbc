import { Readable, Writable } from 'node:stream';
import ffmpeg from 'fluent-ffmpeg';
import { VideoError } from '../video-error.js';
import type { FfmpegTools } from './resolve-ffmpeg.node.js';

/** One ffmpeg run, built and spawned by fluent-ffmpeg. */
export interface FfmpegRun {
  tools: FfmpegTools;
  /** The file the run is about (named in errors). */
  file: string;
  /** `-i` source: a path, or bytes/a stream fed to stdin. */
  input: string | Uint8Array | Readable;
  inputOptions?: string[];
  /** The `-filter:v` graph. */
  videoFilter?: string;
  outputOptions: string[];
  /** A file path, or `buffer`: stdout is collected (raw frames). */
  output: string | 'buffer';
  /** Bytes expected on stdout (the buffer is allocated once at this size when known). */
  expectedOutputBytes?: number;
  /** Stop collecting past this many bytes (a guard against a filter that selects too much). */
  maxOutputBytes?: number;
  timeoutMs: number;
  signal?: AbortSignal;
}

/** What a run left: stdout (for `buffer` output) and stderr, line by line. */
export interface FfmpegRunResult {
  data: Uint8Array;
  stderr: string[];
}

/** A stdout sink into one growing buffer (no `close` event: fluent-ffmpeg would treat it as a failure). */
class ByteSink extends Writable {
  private buffer: Uint8Array;
  length = 0;
  overflow = false;

  constructor(
    initialBytes: number,
    private readonly maxBytes: number,
  ) {
    super({ emitClose: false });
    this.buffer = new Uint8Array(Math.max(1 << 16, initialBytes));
  }

  override _write(chunk: Buffer, _encoding: BufferEncoding, callback: (error?: Error | null) => void): void {
    const needed = this.length + chunk.length;
    if (needed > this.maxBytes) {
      this.overflow = true;
      callback();
      return;
    }
    if (needed > this.buffer.length) {
      const grown = new Uint8Array(Math.min(this.maxBytes, Math.max(needed, this.buffer.length * 2)));
      grown.set(this.buffer.subarray(0, this.length));
      this.buffer = grown;
    }
    this.buffer.set(chunk, this.length);
    this.length = needed;
    callback();
  }

  bytes(): Uint8Array {
    return this.buffer.subarray(0, this.length);
  }
}

/** The lines of ffmpeg's log at error level or worse (`-loglevel level+…` prefixes them). */
export function errorLines(stderr: readonly string[]): string[] {
  return stderr.filter((line) => /\[(error|fatal|panic)\]/.test(line)).map((line) => line.trim());
}

/** The most telling error lines, for a message: the last few, deduplicated. */
export function summarizeErrors(lines: readonly string[], max = 3): string {
  const unique = [...new Set(lines.map((line) => line.replace(/^\[[^\]]+ @ 0x[0-9a-f]+\] /, '').trim()))];
  return unique.slice(-max).join('; ');
}

/**
 * Runs ffmpeg once through fluent-ffmpeg: sets the resolved binary, spawns one process, streams
 * stdout into memory (no temporary files), keeps every stderr line, and kills the process with
 * SIGKILL when `timeoutMs` passes or `signal` aborts.
 *
 * @throws a {@link VideoError} (`timeout`, `aborted`, or `ffmpeg-failed` with ffmpeg's error lines).
 */
export function runFfmpeg(run: FfmpegRun): Promise<FfmpegRunResult> {
  const { file } = run;
  return new Promise<FfmpegRunResult>((resolve, reject) => {
    if (run.signal?.aborted) {
      reject(new VideoError(file, 'aborted', 'aborted before ffmpeg started'));
      return;
    }
    const stderr: string[] = [];
    const input =
      typeof run.input === 'string'
        ? run.input
        : run.input instanceof Readable
          ? run.input
          : Readable.from([run.input]);
    // fluent-ffmpeg keeps its binary path in module state; every run sets the one it resolved.
    const command = ffmpeg({ stdoutLines: 0 }).setFfmpegPath(run.tools.ffmpeg.path).input(input);
    if (run.inputOptions !== undefined && run.inputOptions.length > 0) command.inputOptions(run.inputOptions);
    if (run.videoFilter !== undefined) command.videoFilters([run.videoFilter]);
    const maxBytes = run.maxOutputBytes ?? 2 ** 31;
    const sink =
      run.output === 'buffer'
        ? new ByteSink(Math.min(maxBytes, run.expectedOutputBytes ?? 1 << 20), maxBytes)
        : undefined;
    command.output(sink ?? (run.output as string)).outputOptions(run.outputOptions);
    let settled = false;
    let killed: VideoError | undefined;
    const settle = (error: Error | undefined) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      run.signal?.removeEventListener('abort', onAbort);
      if (error !== undefined) reject(error);
      else resolve({ data: sink?.bytes() ?? new Uint8Array(0), stderr });
    };
    // A killed run rejects once ffmpeg has exited (fluent-ffmpeg's 'error' or 'end'), so no process
    // outlives the promise.
    const kill = (why: 'timeout' | 'aborted') => {
      if (killed !== undefined) return;
      killed =
        why === 'timeout'
          ? new VideoError(
              file,
              'timeout',
              `ffmpeg did not finish within ${run.timeoutMs / 1000} s and was killed (a stalled input such as a pipe, or a hung decoder)`,
              summarizeErrors(errorLines(stderr)) || undefined,
            )
          : new VideoError(file, 'aborted', 'aborted; ffmpeg was killed');
      // Before the process exists (fluent-ffmpeg probes capabilities first) the kill happens on 'start'.
      if ((command as unknown as { ffmpegProc?: unknown }).ffmpegProc !== undefined) command.kill('SIGKILL');
    };
    const onAbort = () => kill('aborted');
    const timer = setTimeout(() => kill('timeout'), run.timeoutMs);
    run.signal?.addEventListener('abort', onAbort, { once: true });
    command
      .on('start', () => {
        if (killed !== undefined) command.kill('SIGKILL');
      })
      .on('stderr', (line: string) => {
        stderr.push(line);
      })
      .on('error', (error: Error) => {
        if (killed !== undefined) {
          settle(killed);
          return;
        }
        const lines = errorLines(stderr);
        settle(
          new VideoError(
            file,
            'ffmpeg-failed',
            `ffmpeg failed: ${error.message.split('\n')[0]}`,
            summarizeErrors(lines) || undefined,
          ),
        );
      })
      .on('end', () => {
        if (killed !== undefined) {
          settle(killed);
          return;
        }
        if (sink?.overflow) {
          settle(
            new VideoError(
              file,
              'ffmpeg-failed',
              `ffmpeg wrote more than the ${run.maxOutputBytes} bytes expected (more frames than requested)`,
            ),
          );
          return;
        }
        settle(undefined);
      });
    command.run();
  });
}
