/** A Markdown table: its header cells and its rows, each a record keyed by header. */
export interface MarkdownTable {
  /** 1-based line of the header row. */
  line: number;
  headers: string[];
  rows: Array<Record<string, string>>;
}

/** The cells of a table row; `\|` inside a cell stays a pipe. */
function cells(row: string): string[] {
  return row
    .trim()
    .replace(/^\||\|$/g, '')
    .split(/(?<!\\)\|/)
    .map((cell) => cell.trim().replace(/\\\|/g, '|'));
}

/**
 * Every pipe table of a Markdown text (outside code fences), with its rows keyed by header.
 *
 * @example
 * markdownTables('| id | head |\n|---|---|\n| `rotation` | linear |\n');
 * // [{ line: 1, headers: ['id', 'head'], rows: [{ id: '`rotation`', head: 'linear' }] }]
 */
export function markdownTables(markdown: string): MarkdownTable[] {
  const lines = markdown.split('\n');
  const tables: MarkdownTable[] = [];
  let fenced = false;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i] as string;
    if (line.startsWith('```')) fenced = !fenced;
    if (fenced || !line.startsWith('|') || !/^\|(\s*:?-+:?\s*\|)+\s*$/.test(lines[i + 1] ?? '')) continue;
    const headers = cells(line);
    const rows: Array<Record<string, string>> = [];
    let next = i + 2;
    for (; next < lines.length && (lines[next] as string).startsWith('|'); next++) {
      const values = cells(lines[next] as string);
      rows.push(Object.fromEntries(headers.map((header, column) => [header, values[column] ?? ''])));
    }
    tables.push({ line: i + 1, headers, rows });
    i = next - 1;
  }
  return tables;
}

/** The `code spans` of a Markdown text (outside code fences), without their backticks. */
export function codeSpans(text: string): string[] {
  const prose = text.replace(/^```[^\n]*\n[\s\S]*?^```/gm, '');
  return [...prose.matchAll(/`([^`\n]+)`/g)].map((match) => match[1] as string);
}
