/**
 * `true` when two modules (`typeof import(...)`) export the same value names with mutually
 * assignable types; otherwise an object type that names the mismatch, so assigning `true` to it
 * fails to type-check. Each package's `platform-parity.ts` applies it to its `.node.ts` /
 * `.browser.ts` pairs (decision 0004), so a pair cannot drift apart.
 *
 * @example
 * import type * as Node from './read-image.node.js';
 * import type * as Browser from './read-image.browser.js';
 * export const readImageParity: SameExports<typeof Node, typeof Browser> = true;
 */
export type SameExports<NodeModule, BrowserModule> = [
  Exclude<keyof NodeModule, keyof BrowserModule> | Exclude<keyof BrowserModule, keyof NodeModule>,
] extends [never]
  ? [NodeModule] extends [BrowserModule]
    ? [BrowserModule] extends [NodeModule]
      ? true
      : { browserExportsDoNotFitNode: { [K in keyof BrowserModule]: BrowserModule[K] } }
    : { nodeExportsDoNotFitBrowser: { [K in keyof NodeModule]: NodeModule[K] } }
  : {
      onlyInNode: Exclude<keyof NodeModule, keyof BrowserModule>;
      onlyInBrowser: Exclude<keyof BrowserModule, keyof NodeModule>;
    };
