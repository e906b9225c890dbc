// `node --import ./record-tfjs-loads.mjs …`: records every @tensorflow module the process resolves
// into the file named by SELFSUP_TFJS_LOG (see tfjs-load-hooks.mjs), and, when it exits, what the
// tfjs engine did into the file named by SELFSUP_TFJS_ENGINE_LOG (JSON): `null` when no tfjs-core
// engine was made, else `{ backends, tensors }` — the backends it initialized (tfjs-core's
// `engine.registry`, filled only when a backend starts: registering one on import leaves it empty)
// and how many tensors were ever made (`Engine.nextTensorId`). Not part of the package.
import { writeFileSync } from 'node:fs';
import { register } from 'node:module';

register('./tfjs-load-hooks.mjs', import.meta.url, { data: { log: process.env.SELFSUP_TFJS_LOG } });

const engineLog = process.env.SELFSUP_TFJS_ENGINE_LOG;
if (engineLog !== undefined) {
  process.on('exit', () => {
    // tfjs-core keeps its one engine on the global object (getOrMakeEngine).
    const engine = globalThis._tfengine;
    const state =
      engine === undefined
        ? null
        : { backends: Object.keys(engine.registry), tensors: engine.constructor.nextTensorId };
    writeFileSync(engineLog, JSON.stringify(state));
  });
}
