// Module hooks for the start-up test: appends to a file every module under @tensorflow/ that the
// process resolves. Registered by record-tfjs-loads.mjs (`node --import`). Not part of the package.
import { appendFileSync } from 'node:fs';

let log;

/** Receives the file to append to from `register`'s `data`. */
export function initialize(data) {
  log = data.log;
}

export async function resolve(specifier, context, nextResolve) {
  const resolved = await nextResolve(specifier, context);
  if (log !== undefined && /[/\\]@tensorflow[/\\]/.test(resolved.url)) appendFileSync(log, `${resolved.url}\n`);
  return resolved;
}
