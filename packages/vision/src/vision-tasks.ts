import { rotationTask } from './rotation/rotation-task.js';

/** The vision package's tasks by registry id. Adding a task: one folder, one line here. */
export const visionTasks = {
  rotation: rotationTask,
} as const;
