// After `tsc`, marks dist/bin.js executable (npm links it as the `selfsup` command).
import { chmodSync } from 'node:fs';

chmodSync(new URL('../dist/bin.js', import.meta.url), 0o755);
