import type { TaskRegistry } from '@selfsup/pretext';
import { markdownTables } from './markdown-tables.js';

/** The section of one task in a generated task reference: from its `### \`id\`` heading to the next heading. */
export function taskSection(reference: string, id: string): string | undefined {
  const start = reference.indexOf(`### \`${id}\`\n`);
  if (start === -1) return undefined;
  const body = reference.indexOf('\n', start) + 1;
  const end = reference.slice(body).search(/^#{1,3} /m);
  return end === -1 ? reference.slice(start) : reference.slice(start, body + end);
}

/**
 * What a generated task reference (`generateTaskReference`) leaves undocumented for the tasks of
 * `tasks`: a task missing from it, one that declares no description, an option without a meaning
 * (no TSDoc on its field). Empty when every task documents itself.
 */
export function undocumentedTasks(reference: string, tasks: TaskRegistry): string[] {
  const problems: string[] = [];
  for (const id of tasks.ids()) {
    const section = taskSection(reference, id);
    if (section === undefined) {
      problems.push(`'${id}' is not in the reference`);
      continue;
    }
    const description = section.split('\n')[2] ?? '';
    if (description.trim() === '' || description.startsWith('Head: ')) problems.push(`'${id}' declares no description`);
    for (const table of markdownTables(section).filter((t) => t.headers.includes('meaning'))) {
      for (const row of table.rows) {
        if (row.meaning === '')
          problems.push(`'${id}': option ${row.option} has no meaning (a TSDoc line on its field)`);
      }
    }
  }
  return problems;
}
