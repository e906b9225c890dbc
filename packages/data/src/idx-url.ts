import { type IdxArray, readIdx } from './idx.js';

/** What {@link readIdxFile} found: the file it read (for errors) and its contents. */
export interface IdxFile {
  source: string;
  idx: IdxArray;
}

/** The message for a directory without `{stem}[.gz]`. */
export function missingIdxFile(dir: string, stem: string): Error {
  return new Error(`${dir}: no ${stem}[.gz] — expected an IDX dataset directory (MNIST/Fashion-MNIST layout)`);
}

/** Fetches `{stem}.gz`, else `{stem}`, from a folder served over HTTP (`dir` ends with `/`). */
export async function fetchIdxFile(dir: URL, stem: string): Promise<IdxFile> {
  const base = dir.href.endsWith('/') ? dir : new URL(`${dir.href}/`);
  for (const name of [`${stem}.gz`, stem]) {
    const url = new URL(name, base);
    const response = await fetch(url).catch((error: Error) => {
      throw new Error(`${url.href}: cannot read IDX file (fetch failed: ${error.message})`, { cause: error });
    });
    if (response.status === 404) continue;
    if (!response.ok) throw new Error(`${url.href}: cannot read IDX file (HTTP ${response.status})`);
    return {
      source: url.href,
      idx: await readIdx(new Uint8Array(await response.arrayBuffer())).catch(rename(url.href)),
    };
  }
  throw missingIdxFile(base.href, stem);
}

/** Re-throws an IDX decoding error with `<bytes>` replaced by the file's name. */
export function rename(source: string): (error: Error) => never {
  return (error) => {
    throw new Error(error.message.replace(/^<bytes>/, source), { cause: error.cause });
  };
}
