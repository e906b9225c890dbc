// Run by scripts/pack-check.mjs in a scratch project that installed the packed tarballs.
import { createTaskRegistry } from '@selfsup/pretext';
import { visionTasks } from '@selfsup/vision';

const registry = createTaskRegistry(visionTasks);
const task = registry.create('rotation', { rotations: 4 });
if (task.head.outputSize !== 4) throw new Error('unexpected rotation head');
try {
  registry.create('jigsw');
  throw new Error('unknown task accepted');
} catch (error) {
  if (!/'jigsw' is not a task; known: .*\brotation\b/.test(error.message)) throw error;
}
console.log(`pretext: registry with ${registry.ids().join(', ')}`);
