import { createTaskRegistry, type PretextTask, type TaskMap } from '@selfsup/pretext';
import { beforeAll, describe, expect, it } from 'vitest';
import { readTaskOptionDocs } from '../../scripts/task-option-docs.js';
import { validationTaskOptions } from '../config/run-provided-options.js';
import { createRegistries, loadBuiltinTaskMaps } from '../registries/registries.js';
import { declaredTextInputs } from '../run/text-task-inputs.js';
import { taskSection, undocumentedTasks } from '../testing/undocumented-tasks.js';
import type { TaskOptionDocs } from './describe-options.js';
import { generateTaskReference } from './generate-task-reference.js';

// Every built-in task, read from the task packages' maps: no id is written here.
const builtinTaskMaps = await loadBuiltinTaskMaps();

let taskOptionDocs: TaskOptionDocs;

beforeAll(() => {
  taskOptionDocs = readTaskOptionDocs(createRegistries(builtinTaskMaps).tasks);
}, 120_000);

describe('the task reference (generated into dist/tasks.md by pnpm build)', () => {
  it('reads every built-in task option’s type and meaning from its source', () => {
    const registries = createRegistries(builtinTaskMaps);
    expect(Object.keys(taskOptionDocs).sort()).toEqual(registries.tasks.ids());
    expect(taskOptionDocs.rotation?.rotations).toEqual({
      description: 'Rotations to predict: 4 (0°, 90°, 180°, 270°, as RotNet) or 2 (0°, 180°).',
      type: '2 | 4',
    });
    // A field without TSDoc takes its type alias's.
    expect(taskOptionDocs['missing-frame']?.mode?.description).toMatch(/^`choose`: pick the missing frame/);
    expect(taskOptionDocs['missing-frame']?.mode?.type).toBe("'choose' | 'regress'");
  });

  it('shows every task of the maps with its description, head, and every option with its default and meaning', () => {
    const registries = createRegistries(builtinTaskMaps);
    const reference = generateTaskReference(registries, taskOptionDocs);
    expect(undocumentedTasks(reference, registries.tasks)).toEqual([]);
    for (const id of registries.tasks.ids()) {
      const task = registries.tasks.create(id, validationTaskOptions());
      expect(reference, id).toContain(`### \`${id}\`\n\n${task.description}\n`);
      expect(reference, id).toContain(`| [\`${id}\`](#${id}) | ${task.modality} |`);
    }
  }, 60_000);

  it('says how each text task’s samples are laid out and which encoders it trains, as the CLI runs it', () => {
    const registries = createRegistries(builtinTaskMaps);
    const reference = generateTaskReference(registries, taskOptionDocs);
    const text = registries.tasks
      .ids()
      .filter((id) => registries.tasks.create(id, validationTaskOptions()).modality === 'text');
    expect(text.length).toBeGreaterThan(0);
    for (const id of text) {
      const section = taskSection(reference, id) ?? '';
      const inputs = declaredTextInputs(registries, id);
      expect(section, id).toContain(inputs.samples === 'segments' ? 'Samples: segments' : 'Samples: token ids packed');
      for (const model of inputs.models ?? []) expect(section, id).toContain(`\`${model}\``);
    }
  }, 60_000);

  it('fails a task that declares no description, or an option without TSDoc', () => {
    // A task whose options interface is an inline type without TSDoc, and no description.
    const bare = (options: Partial<{ size: number }> = {}) =>
      ({
        id: 'bare',
        modality: 'image',
        options: { size: options.size ?? 2 },
        head: { kind: 'linear', outputSize: 2 },
        makeBatch: () => {
          throw new Error('unused');
        },
        loss: () => {
          throw new Error('unused');
        },
      }) as PretextTask<{ size: number }>;
    const registries = createRegistries([{ bare } as unknown as TaskMap]);
    const reference = generateTaskReference(registries, readTaskOptionDocs(registries.tasks));
    expect(undocumentedTasks(reference, createTaskRegistry({ bare } as unknown as TaskMap))).toEqual([
      "'bare' declares no description",
      "'bare': option `size` has no meaning (a TSDoc line on its field)",
    ]);
  });
});
