/**
 * List syntax shared with the Docker actions: one item per line, and (unless `ignoreComma`)
 * several comma-separated items per line, where double quotes protect commas
 * (`"type=registry,ref=x"`) and `""` inside quotes is a literal quote.
 */
export interface ListOptions {
  /** Treat each line as one item even if it contains commas (build-args, labels, cache-to…). */
  ignoreComma?: boolean;
  /** Lines starting with this string (after trimming) are ignored. */
  comment?: string;
}

export function parseList(text: string, options: ListOptions = {}): string[] {
  const items: string[] = [];
  for (const rawLine of text.split(/\r?\n/)) {
    const line = rawLine.trim();
    if (line === '' || (options.comment && line.startsWith(options.comment))) continue;
    const parts = options.ignoreComma ? [unquoteWhole(line)] : splitCsvLine(line);
    for (const part of parts) {
      const item = part.trim();
      if (item !== '') items.push(item);
    }
  }
  return items;
}

/** A line that is entirely one quoted field loses its quotes, as in CSV. */
function unquoteWhole(line: string): string {
  if (line.length >= 2 && line.startsWith('"') && line.endsWith('"')) {
    const inner = line.slice(1, -1);
    if (!/(^|[^"])"($|[^"])/.test(inner)) return inner.replace(/""/g, '"');
  }
  return line;
}

function splitCsvLine(line: string): string[] {
  const fields: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const ch = line[i];
    if (quoted) {
      if (ch === '"' && line[i + 1] === '"') {
        field += '"';
        i++;
      } else if (ch === '"') {
        quoted = false;
      } else {
        field += ch;
      }
    } else if (ch === '"' && field.trim() === '') {
      quoted = true;
      field = '';
    } else if (ch === ',') {
      fields.push(field);
      field = '';
    } else {
      field += ch;
    }
  }
  fields.push(field);
  return fields;
}

/** `KEY=VALUE` lines into a map; the first `=` splits. Returns the offending line on error. */
export function parseKeyValues(items: readonly string[]): { values: Record<string, string>; bad?: string } {
  const values: Record<string, string> = {};
  for (const item of items) {
    const eq = item.indexOf('=');
    if (eq <= 0) return { values, bad: item };
    values[item.slice(0, eq).trim()] = item.slice(eq + 1);
  }
  return { values };
}
