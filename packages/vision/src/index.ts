/** @selfsup/vision — image pretext tasks. */
export { rotate90 } from './rotation/rotate90.js';
export { type RotationTaskOptions, rotationTask } from './rotation/rotation-task.js';
export { visionTasks } from './vision-tasks.js';
