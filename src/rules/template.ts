/**
 * Version templates: literal text with `${name}` variables, and `${name:N}` for the first N
 * characters (`${sha:8}`). Parsed once when the rules file loads, so a malformed template or an
 * unknown variable is a config error before any ref is looked at.
 */
export type TemplatePart = { text: string } | { variable: string; length: number | undefined };

export interface Template {
  readonly source: string;
  readonly parts: readonly TemplatePart[];
  /** Variable names used, in order of first use. */
  readonly variables: readonly string[];
}

/** Group and variable names: as RE2 allows for named groups. */
const VARIABLE = /^([A-Za-z_][A-Za-z0-9_]*)(?::([0-9]+))?$/;

export class TemplateError extends Error {}

export function parseTemplate(source: string): Template {
  const parts: TemplatePart[] = [];
  const variables: string[] = [];
  let text = '';
  let i = 0;
  while (i < source.length) {
    const start = source.indexOf('${', i);
    if (start < 0) {
      text += source.slice(i);
      break;
    }
    text += source.slice(i, start);
    const end = source.indexOf('}', start + 2);
    if (end < 0) throw new TemplateError(`'\${' at character ${start + 1} has no closing '}'`);
    const inner = source.slice(start + 2, end);
    const m = VARIABLE.exec(inner);
    if (!m) throw new TemplateError(`'\${${inner}}' is not a variable; write \${name} or \${name:8}`);
    const [, variable = '', lengthText] = m;
    const length = lengthText === undefined ? undefined : Number(lengthText);
    if (length !== undefined && (length < 1 || length > 128)) {
      throw new TemplateError(`'\${${inner}}': the length must be from 1 to 128`);
    }
    if (text) parts.push({ text });
    text = '';
    parts.push({ variable, length });
    if (!variables.includes(variable)) variables.push(variable);
    i = end + 1;
  }
  if (text) parts.push({ text });
  return { source, parts, variables };
}

/** Renders with `values`; every variable the template uses must be present (checked at load). */
export function renderTemplate(template: Template, values: Readonly<Record<string, string>>): string {
  let out = '';
  for (const part of template.parts) {
    if ('text' in part) {
      out += part.text;
    } else {
      const value = values[part.variable] ?? '';
      out += part.length === undefined ? value : Array.from(value).slice(0, part.length).join('');
    }
  }
  return out;
}

/** The literal text of a template, for checks that only concern what the user typed. */
export function literalText(template: Template): string {
  return template.parts.map((p) => ('text' in p ? p.text : '')).join('');
}
