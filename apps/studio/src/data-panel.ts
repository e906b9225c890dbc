import { byId } from './dom.js';
import {
  embeddedFashionMnist,
  hasClassFolders,
  labeledFolder,
  type StudioData,
  unlabeledFolder,
} from './studio-data.js';

/** The files under dropped folders (`entries` taken during the drop event), with their paths as `webkitRelativePath`. */
async function droppedFiles(entries: readonly FileSystemEntry[]): Promise<File[]> {
  const files: File[] = [];
  const walk = async (entry: FileSystemEntry, path: string): Promise<void> => {
    if (entry.isFile) {
      const file = await new Promise<File>((resolve, reject) => (entry as FileSystemFileEntry).file(resolve, reject));
      // What <input webkitdirectory> gives: the path under the dropped folder, the folder first.
      Object.defineProperty(file, 'webkitRelativePath', { value: `${path}${file.name}` });
      files.push(file);
      return;
    }
    const reader = (entry as FileSystemDirectoryEntry).createReader();
    for (;;) {
      const batch = await new Promise<FileSystemEntry[]>((resolve, reject) => reader.readEntries(resolve, reject));
      if (batch.length === 0) break;
      for (const child of batch) await walk(child, `${path}${entry.name}/`);
    }
  };
  for (const entry of entries) await walk(entry, '');
  return files;
}

/** A folder's images: labeled by class sub-folders when it has them. */
function folderData(files: File[], seed: number): Promise<StudioData> {
  return hasClassFolders(files) ? labeledFolder(files, seed) : unlabeledFolder(files);
}

/** Wires section 1: the embedded subset, or a folder picked or dropped; `onData` hears the data read. */
export function setUpDataPanel(seed: () => number, onData: (data: StudioData) => void): void {
  const summary = byId('data-summary');
  const skipped = byId<HTMLDetailsElement>('skipped');
  const dropZone = byId('drop-zone');
  const show = (data: StudioData) => {
    const classes = data.classes === undefined ? 'no labels' : `${data.classes.length} classes`;
    summary.textContent = `Read ${data.train.count + (data.test?.count ?? 0)} images (${classes}); skipped ${data.skipped.length}. ${data.description}`;
    summary.dataset.read = String(data.train.count + (data.test?.count ?? 0));
    summary.dataset.skipped = String(data.skipped.length);
    skipped.hidden = data.skipped.length === 0;
    skipped.querySelector('summary')!.textContent = `${data.skipped.length} file(s) skipped`;
    skipped
      .querySelector('ul')!
      .replaceChildren(
        ...data.skipped.map((file) =>
          Object.assign(document.createElement('li'), { textContent: `${file.path}: ${file.reason}` }),
        ),
      );
    onData(data);
  };
  const load = async (read: () => Promise<StudioData>) => {
    summary.textContent = 'reading…';
    delete summary.dataset.read;
    try {
      show(await read());
    } catch (error) {
      summary.textContent = `Could not read the data: ${(error as Error).message}`;
      console.error(error);
    }
  };
  byId('embedded').addEventListener('click', () => load(embeddedFashionMnist));
  const folder = byId<HTMLInputElement>('folder');
  folder.addEventListener('change', () => {
    const files = [...(folder.files ?? [])];
    if (files.length > 0) void load(() => folderData(files, seed()));
  });
  dropZone.addEventListener('dragover', (event) => {
    event.preventDefault();
    dropZone.classList.add('over');
  });
  dropZone.addEventListener('dragleave', () => dropZone.classList.remove('over'));
  dropZone.addEventListener('drop', (event) => {
    event.preventDefault();
    dropZone.classList.remove('over');
    // The entries must be taken now: the drop's data is gone once the event returns.
    const entries = [...(event.dataTransfer?.items ?? [])].flatMap((item) => item.webkitGetAsEntry() ?? []);
    if (entries.length > 0) void load(async () => folderData(await droppedFiles(entries), seed()));
  });
}
