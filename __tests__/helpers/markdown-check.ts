// Structural checks on rendered Markdown, used by the report tests: tables keep their shape, and no
// HTML tag appears except the ones the renderers emit on purpose.

/** Cells of one GFM table line, split on pipes not escaped by a backslash. */
export function splitCells(line: string): string[] {
  const cells: string[] = [];
  let current = '';
  for (let i = 0; i < line.length; i++) {
    const ch = line[i]!;
    if (ch === '\\' && i + 1 < line.length) {
      current += ch + line[i + 1];
      i++;
    } else if (ch === '|') {
      cells.push(current);
      current = '';
    } else {
      current += ch;
    }
  }
  cells.push(current);
  // a row `| a | b |` splits into ['', ' a ', ' b ', '']
  return cells.slice(1, -1);
}

const DELIMITER_ROW = /^\|( *:?-+:? *\|)+$/;

export interface TableShape {
  header: string[];
  rows: string[][];
}

/** Every GFM table in the document; throws on a malformed one (ragged row, unterminated row, run-on text). */
export function tablesOf(markdown: string): TableShape[] {
  const lines = markdown.split('\n');
  const tables: TableShape[] = [];
  for (let i = 0; i + 1 < lines.length; i++) {
    if (!lines[i]!.startsWith('|') || !DELIMITER_ROW.test(lines[i + 1]!)) continue;
    const header = splitCells(lines[i]!);
    const rows: string[][] = [];
    let j = i + 2;
    for (; j < lines.length && lines[j] !== ''; j++) {
      const line = lines[j]!;
      if (!line.startsWith('|') || !line.endsWith('|')) throw new Error(`line ${j + 1} runs into the table: ${line}`);
      const cells = splitCells(line);
      if (cells.length !== header.length) {
        throw new Error(`line ${j + 1} has ${cells.length} cells, the header ${header.length}: ${line}`);
      }
      rows.push(cells);
    }
    tables.push({ header, rows });
    i = j;
  }
  return tables;
}

const ALLOWED_TAGS = /^<(\/?(code|details|summary|pre|sub)>|!-- wasm-perf-gate:[^\s>]* -->)/;

/** The document without its fenced code blocks (whose content is literal text). */
export function withoutCodeBlocks(markdown: string): string {
  const out: string[] = [];
  let fence: string | undefined;
  for (const line of markdown.split('\n')) {
    const open = /^(`{3,})/.exec(line)?.[1];
    if (fence === undefined && open) fence = open;
    else if (fence !== undefined && line.startsWith(fence) && line.trim() === line.trim().replace(/[^`]/g, ''))
      fence = undefined;
    else if (fence === undefined) out.push(line);
  }
  return out.join('\n');
}

/** Every `<` outside code blocks that opens something other than the renderers' own tags (each is an injection). */
export function foreignTags(document: string): string[] {
  const markdown = withoutCodeBlocks(document);
  const found: string[] = [];
  for (let i = markdown.indexOf('<'); i !== -1; i = markdown.indexOf('<', i + 1)) {
    const rest = markdown.slice(i, i + 60);
    if (!ALLOWED_TAGS.test(rest)) found.push(rest.split('\n')[0]!);
  }
  return found;
}
