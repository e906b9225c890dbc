// A Vite plugin (Node side of a Vite config) that serves tfjs-backend-wasm's binaries where
// `initBackend` looks for them in a page by default. Typed structurally: no dependency on Vite.
import { readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

/** Options of {@link selfsupWasmFiles}. */
export interface SelfsupWasmFilesOptions {
  /** The folder under the site's base the binaries are served from; default `tfjs-wasm` (what `initBackend` expects). */
  folder?: string;
}

interface DevServerLike {
  config: { base: string };
  middlewares: {
    use(handler: (request: { url?: string }, response: WasmResponse, next: () => void) => void): void;
  };
}

interface WasmResponse {
  setHeader(name: string, value: string): void;
  end(body: Uint8Array): void;
}

interface EmitContext {
  emitFile(file: { type: 'asset'; fileName: string; source: Uint8Array }): string;
}

/** The shape of the Vite plugin {@link selfsupWasmFiles} returns (a subset of Vite's `Plugin`). */
export interface SelfsupWasmFilesPlugin {
  name: string;
  configureServer(server: DevServerLike): void;
  generateBundle(this: EmitContext): void;
}

/** The `.wasm` files of the installed `@tensorflow/tfjs-backend-wasm`, by file name. */
function wasmBinaries(): Map<string, string> {
  const require = createRequire(import.meta.url);
  const dist = join(dirname(require.resolve('@tensorflow/tfjs-backend-wasm/package.json')), 'dist');
  const files = new Map<string, string>();
  for (const name of readdirSync(dist)) if (name.endsWith('.wasm')) files.set(name, join(dist, name));
  return files;
}

/**
 * A Vite plugin that serves `@tensorflow/tfjs-backend-wasm`'s `.wasm` binaries under
 * `<base>tfjs-wasm/` — by the dev/preview server, and as files in the build — which is where
 * `initBackend({ backend: 'wasm' })` fetches them in a page unless `wasmPaths` says otherwise.
 *
 * @example
 * // vite.config.ts
 * import { selfsupWasmFiles } from '@selfsup/backend/vite';
 * export default { plugins: [selfsupWasmFiles()] };
 */
export function selfsupWasmFiles(options: SelfsupWasmFilesOptions = {}): SelfsupWasmFilesPlugin {
  const folder = (options.folder ?? 'tfjs-wasm').replace(/^\/+|\/+$/g, '');
  const binaries = wasmBinaries();
  return {
    name: 'selfsup-wasm-files',
    configureServer(server) {
      const prefix = `${server.config.base.replace(/\/?$/, '/')}${folder}/`;
      server.middlewares.use((request, response, next) => {
        const path = request.url?.split('?')[0] ?? '';
        const file = path.startsWith(prefix) ? binaries.get(path.slice(prefix.length)) : undefined;
        if (file === undefined) return next();
        response.setHeader('Content-Type', 'application/wasm');
        response.end(readFileSync(file));
      });
    },
    generateBundle() {
      for (const [name, file] of binaries) {
        this.emitFile({ type: 'asset', fileName: `${folder}/${name}`, source: readFileSync(file) });
      }
    },
  };
}
