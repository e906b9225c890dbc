import { readFile } from 'node:fs/promises';
import { extname } from 'node:path';
import { parseDocument } from 'yaml';
import { CliError } from '../cli-error.js';

/**
 * Reads a run config: YAML (`.yaml`, `.yml`) or JSON (`.json`; YAML accepts JSON too).
 * @throws CliError('config') naming the file and, for syntax errors, the line and column.
 */
export async function readConfigFile(path: string): Promise<Record<string, unknown>> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new CliError('config', `--config ${path}: ${code === 'ENOENT' ? 'file not found' : `cannot read (${code})`}`);
  }
  let value: unknown;
  if (extname(path).toLowerCase() === '.json') {
    try {
      value = JSON.parse(text);
    } catch (error) {
      throw new CliError('config', `${path}: not valid JSON (${(error as Error).message})`);
    }
  } else {
    const document = parseDocument(text, { prettyErrors: true, uniqueKeys: true });
    if (document.errors.length > 0) {
      const issues = document.errors.map((error) => {
        const where = error.linePos?.[0];
        return `${path}${where === undefined ? '' : `:${where.line}:${where.col}`}: ${error.message.split('\n')[0]}`;
      });
      throw new CliError('config', `${path}: not valid YAML`, { issues });
    }
    value = document.toJS();
  }
  if (value === null || value === undefined) return {};
  if (typeof value !== 'object' || Array.isArray(value)) {
    throw new CliError(
      'config',
      `${path}: a config is a mapping of sections (data, method, …), not ${Array.isArray(value) ? 'a list' : typeof value}`,
    );
  }
  return value as Record<string, unknown>;
}
