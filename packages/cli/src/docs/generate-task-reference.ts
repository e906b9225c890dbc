import type { Registries } from '../registries/registries.js';
import { declaredTextInputs } from '../run/text-task-inputs.js';
import { describeTasks, type EntryInfo, type TaskOptionDocs } from './describe-options.js';
import { cell, optionTable } from './generate-reference.js';

/** The modalities in the order the reference lists them, with what data a config gives each. */
const MODALITIES: ReadonlyArray<{ modality: string; title: string; data: string }> = [
  { modality: 'image', title: 'Image tasks', data: '`data.kind: image-folder` or `idx`' },
  { modality: 'text', title: 'Text tasks', data: '`data.kind: text-corpus`' },
  { modality: 'video', title: 'Video tasks', data: '`data.kind: video-folder`' },
];

/** A task's modality and head, as `describeTasks` notes them (`image; head: linear → 4`). */
function modalityAndHead(entry: EntryInfo): { modality: string; head: string } {
  const [modality = '', head = ''] = (entry.notes ?? '').split('; head: ');
  return { modality, head };
}

/** What a text task trains on, as the CLI runs it: the samples' layout and the encoders it trains. */
function textInputs(registries: Registries, id: string): string {
  const inputs = declaredTextInputs(registries, id);
  const samples =
    inputs.samples === 'segments'
      ? 'segments of a document [N, S, L] (`data.sequenceLength` split between them)'
      : 'token ids packed into `[CLS] … [SEP]` sequences [N, L]';
  const models = inputs.models === undefined ? 'any text encoder' : inputs.models.map((m) => `\`${m}\``).join(', ');
  return `Samples: ${samples}. Encoder (\`model.kind\`): ${models}.`;
}

/**
 * The task reference: every task of the registries (the task packages' maps, and any plugin's),
 * generated from the tasks' declarations — the one-line `description`, modality, head, resolved
 * options (the defaults) and, from `taskOptionDocs`, each option's declared type and meaning. Not
 * committed: `pnpm build` writes it to `dist/tasks.md` of `@selfsup/cli`, so adding a task
 * regenerates no committed doc; the committed docs point to it and to `selfsup list tasks`.
 *
 * @param taskOptionDocs from `readTaskOptionDocs(registries.tasks, pluginFiles)`; without them the
 *   meaning column is empty.
 * @example
 * const registries = createRegistries(await loadBuiltinTaskMaps());
 * const markdown = generateTaskReference(registries, readTaskOptionDocs(registries.tasks));
 */
export function generateTaskReference(registries: Registries, taskOptionDocs?: TaskOptionDocs): string {
  const entries = describeTasks(registries.tasks, taskOptionDocs);
  const lines: string[] = [
    '# selfsup pretext tasks',
    '',
    '<!-- Generated from the task declarations (each task’s file, reached through its package’s map) by',
    '     `npx -y pnpm@10 --filter @selfsup/cli docs:tasks`, which `pnpm build` runs. Not committed. -->',
    '',
    'Every pretext task a config can name: `task: { id, options }` in a config, or `--task <id>` and',
    '`--set task.options.<name>=<value>` on the command line. The options are shown with their',
    'defaults; an unknown option, or a value the task rejects, is a config error (exit code 3).',
    '`selfsup list tasks` lists the same, plugins’ tasks included (`--plugin ./my-task.ts`).',
    '',
    '| id | modality | what the encoder sees → what is predicted | head |',
    '| --- | --- | --- | --- |',
  ];
  for (const entry of entries) {
    const { modality, head } = modalityAndHead(entry);
    lines.push(`| [\`${entry.id}\`](#${entry.id}) | ${modality} | ${cell(entry.description)} | ${cell(head)} |`);
  }
  lines.push('');
  const known = new Set(MODALITIES.map((m) => m.modality));
  const groups = [
    ...MODALITIES,
    { modality: undefined, title: 'Other tasks', data: 'the data their modality needs' },
  ] as const;
  for (const group of groups) {
    const members = entries.filter((entry) => {
      const { modality } = modalityAndHead(entry);
      return group.modality === undefined ? !known.has(modality) : modality === group.modality;
    });
    if (members.length === 0) continue;
    lines.push(`## ${group.title}`, '', `Trained on ${group.data}.`, '');
    for (const entry of members) {
      const { modality, head } = modalityAndHead(entry);
      const builds =
        head === 'custom' ? ' (the task builds it)' : head === 'none' ? ' (the task computes its outputs)' : '';
      lines.push(`### \`${entry.id}\``, '', entry.description, '', `Head: ${head}${builds}.`, '');
      if (modality === 'text') lines.push(textInputs(registries, entry.id), '');
      lines.push(...optionTable(entry.options));
    }
  }
  return `${lines
    .join('\n')
    .replace(/\n{3,}/g, '\n\n')
    .trimEnd()}\n`;
}
