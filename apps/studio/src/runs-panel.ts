import { listRuns, removeRun, type StoredRun } from '@selfsup/trainer';
import { byId } from './dom.js';

/** Where the studio keeps its runs in the page's IndexedDB (`studio/run-<time>`). */
export const STUDIO_RUNS = 'studio';

/** What the stored-runs table needs from the train panel. */
export interface RunsPanelHooks {
  /** The run training now, if any: it can be neither resumed nor deleted meanwhile. */
  training(): string | undefined;
  resume(dir: string): void;
  /** A run was deleted (the train panel forgets it when it was its last one). */
  removed(dir: string): void;
  say(line: string): void;
}

const kib = (bytes: number) => `${(bytes / 1024).toFixed(0)} KiB`;

/** The runs stored in this page, each with Resume (a stopped run) and Delete. */
export function setUpRunsPanel(hooks: RunsPanelHooks): { refresh(): Promise<void> } {
  const body = byId<HTMLTableSectionElement>('runs-body');
  const button = (label: string, className: string, disabled: boolean, action: () => void) => {
    const element = document.createElement('button');
    element.type = 'button';
    element.textContent = label;
    element.className = className;
    element.disabled = disabled;
    element.addEventListener('click', action);
    return element;
  };
  const row = (run: StoredRun) => {
    const tr = document.createElement('tr');
    tr.dataset.dir = run.dir;
    tr.dataset.state = run.state;
    tr.dataset.step = String(run.step ?? '');
    const cells = [run.name, run.objective ?? '–', run.state, String(run.step ?? '–'), kib(run.bytes)];
    for (const text of cells) tr.insertCell().textContent = text;
    const busy = hooks.training() !== undefined;
    const actions = tr.insertCell();
    actions.append(
      button('Resume', 'resume-run', busy || run.state !== 'training' || run.step === undefined, () =>
        hooks.resume(run.dir),
      ),
      button('Delete', 'delete-run', busy, async () => {
        try {
          await removeRun(run.dir);
          hooks.say(`deleted ${run.dir} (${kib(run.bytes)})`);
          hooks.removed(run.dir);
        } catch (error) {
          hooks.say(`could not delete ${run.dir}: ${(error as Error).message}`);
        }
        await refresh();
      }),
    );
    return tr;
  };
  const refresh = async () => {
    const runs = await listRuns(STUDIO_RUNS);
    body.replaceChildren(...runs.map(row));
    body.dataset.count = String(runs.length);
  };
  return { refresh };
}
