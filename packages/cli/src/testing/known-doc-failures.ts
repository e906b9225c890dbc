/**
 * TypeScript blocks in package READMEs that do not typecheck yet, owned by other packages (the
 * docs-code test keeps them visible: a new failure fails the test, and so does an entry here that
 * no longer fails — remove it then). Keyed by file and TypeScript's message, not line numbers.
 * Mark a block that is an excerpt on purpose as ```ts fragment instead.
 */
export const KNOWN_DOC_FAILURES: Record<string, string[]> = {};

/**
 * Markdown files whose TypeScript blocks are not formatted as biome formats them yet, owned by
 * others (the docs-code test fails on a new one, and on an entry here whose blocks are formatted
 * now — remove it then). Fix one with `npx biome check --write --linter-enabled=false
 * --stdin-file-path=block.ts < block`.
 */
export const KNOWN_UNFORMATTED_DOCS: string[] = ['packages/backend/README.md'];
