// `node --import ./record-tfjs-loads.mjs …`: records every @tensorflow module the process resolves
// into the file named by SELFSUP_TFJS_LOG (see tfjs-load-hooks.mjs). Not part of the package.
import { register } from 'node:module';

register('./tfjs-load-hooks.mjs', import.meta.url, { data: { log: process.env.SELFSUP_TFJS_LOG } });
