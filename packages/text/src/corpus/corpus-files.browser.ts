// Browser: a corpus path is a URL, fetched; a page cannot list folders (pass File objects instead).

/**
 * The bytes of a URL in chunks as they arrive.
 * @throws naming the URL when it cannot be fetched.
 */
export async function* readFileChunks(path: string): AsyncGenerator<Uint8Array> {
  let body: ReadableStream<Uint8Array>;
  try {
    const response = await fetch(path);
    if (!response.ok) throw new Error(`HTTP ${response.status}`);
    if (response.body === null) throw new Error('no body');
    body = response.body;
  } catch (error) {
    throw new Error(`${path}: cannot read the corpus file (${(error as Error).message})`);
  }
  const reader = body.getReader();
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) return;
      yield value;
    }
  } finally {
    reader.releaseLock();
  }
}

/** The whole text of a URL. @throws naming the URL when it cannot be fetched. */
export async function readTextFile(path: string): Promise<string> {
  const response = await fetch(path);
  if (!response.ok) throw new Error(`${path}: cannot read (HTTP ${response.status})`);
  return response.text();
}

/** What a path names: a file, a folder, or nothing readable (with the file system's code). */
export type PathKind = { kind: 'file' | 'directory' } | { kind: 'missing'; code: string };

/** The files of a corpus at a URL: the URL itself (a page cannot list a folder). */
export async function corpusFiles(path: string, _extensions: readonly string[]): Promise<string[]> {
  return [path];
}

/** A URL is always taken as a file. */
export async function pathKind(_path: string): Promise<PathKind> {
  return { kind: 'file' };
}

const ALTERNATIVES: Record<string, string> = {
  readLabeledText: 'in a browser pass a .jsonl File, Blob or URL of { "text", "label" } records to readLabeledText',
  readTaggedCorpus:
    'in a browser read the corpus in Node and pass its documents and labels on (e.g. as a .jsonl File to readLabeledText)',
};

/** @throws always: a page has no folders to list; names `caller` and its browser alternative. */
export async function listFolder(
  path: string,
  caller: string,
): Promise<Array<{ name: string; path: string; directory: boolean }>> {
  throw new Error(
    `${caller}('${path}') lists a folder and is Node-only; ${ALTERNATIVES[caller] ?? 'in a browser pass File objects'}`,
  );
}
