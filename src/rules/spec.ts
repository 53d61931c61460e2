import { isAlias, isMap, isScalar, isSeq, type Document, type LineCounter, type Node, type Pair, type YAMLMap } from 'yaml';
import { UserError } from '../base/errors.js';

/*
 * A small declarative schema for YAML files. One definition does three jobs, so they cannot
 * drift apart: it checks a parsed YAML document (every problem with its line), it gives the
 * TypeScript type of what it read (`Infer`), and it writes the published JSON Schema.
 * Checks that need more than shape (regexes, templates, image names) come after, in config.ts,
 * using the lines recorded here.
 */

export type JsonSchema = Record<string, unknown>;

/** Where the reader is: the owner messages name (`rule 'release'`; '' at the top) and the field in it. */
export interface At {
  readonly owner: string;
  readonly field: string;
  readonly line: number;
  /** Position in the enclosing list, for owners without a usable name. */
  readonly index?: number;
}

/** `rule 'release' field 'commit'`, `field 'timezone'`, `rule 'release'`; '' for the file itself. */
export function placeName(owner: string, field: string): string {
  const f = field ? `field '${field}'` : '';
  return owner && f ? `${owner} ${f}` : owner || f;
}

/** Collects the problems of one file and the line of every value it has read. */
export class ConfigReader {
  readonly problems: UserError[] = [];
  private readonly incomplete = new WeakSet<object>();
  private readonly lines = new WeakMap<object, Map<string | number | null, number>>();

  constructor(
    readonly file: string,
    private readonly doc: Document,
    private readonly lineCounter: LineCounter,
  ) {}

  lineOf(node: Node | null | undefined, fallback: number): number {
    const offset = node?.range?.[0];
    return offset === undefined ? fallback : this.lineCounter.linePos(offset).line;
  }

  /** Aliases (`*name`) stand for the node they point at. */
  resolve(node: Node): Node {
    if (!isAlias(node)) return node;
    const target = node.resolve(this.doc);
    return (target as Node | undefined) ?? node;
  }

  report(at: { owner: string; field: string; line: number }, message: string): void {
    const place = placeName(at.owner, at.field);
    this.reportNamed(at.line, `${this.file}:${at.line}: ${place ? `${place}: ` : ''}${message}`);
  }

  /** Reports an error whose message already names its place (e.g. from compilePattern). */
  reportNamed(line: number, message: string): void {
    // Messages quote the file's own text, which may span lines; each problem stays one line.
    const oneLine = message.replace(/\r/g, '\\r').replace(/\n/g, '\\n');
    this.problems.push(new UserError(oneLine, this.location(line)));
  }

  location(line: number): { file: string; line: number } {
    return { file: this.file, line };
  }

  remember(container: object, key: string | number | null, line: number): void {
    let map = this.lines.get(container);
    if (!map) this.lines.set(container, (map = new Map()));
    map.set(key, line);
  }

  /** Objects missing a required field (or with one that did not fit) are read anyway, so the checks
   * of meaning can still report the rest of their problems; they are marked here. */
  markIncomplete(value: object): void {
    this.incomplete.add(value);
  }

  isComplete(value: object): boolean {
    return !this.incomplete.has(value);
  }

  /** The line of a value read earlier: a field or list item of `container`, or (key null) the container. */
  lineAt(container: object, key: string | number | null = null): number {
    return this.lines.get(container)?.get(key) ?? this.lines.get(container)?.get(null) ?? 1;
  }
}

/** How a value that does not fit looks in a message. */
function shown(node: Node): string {
  if (isMap(node)) return 'a mapping';
  if (isSeq(node)) return 'a list';
  if (isScalar(node)) {
    if (node.value === null) return 'nothing';
    if (typeof node.value === 'string') return `'${node.value.length > 60 ? node.value.slice(0, 57) + '...' : node.value}'`;
    return String(node.source ?? node.value);
  }
  return 'an alias';
}

interface Common {
  description: string;
  default?: unknown;
}

export abstract class Spec<T> {
  declare readonly __type: T;

  constructor(protected readonly common: Common) {}

  /** Reads a present, non-null node; reports and returns undefined when it does not fit. */
  abstract read(node: Node, at: At, reader: ConfigReader): T | undefined;

  /** Whether `node` is of the kind this spec reads (used to pick an `anyOf` branch). */
  abstract accepts(node: Node): boolean;

  protected abstract ownSchema(): JsonSchema;

  jsonSchema(): JsonSchema {
    const schema: JsonSchema = { description: this.common.description, ...this.ownSchema() };
    if (this.common.default !== undefined) schema.default = this.common.default;
    return schema;
  }

  protected fail(node: Node, at: At, reader: ConfigReader, expected: string): undefined {
    reader.report(at, `must be ${expected}; got ${shown(node)}`);
    return undefined;
  }
}

export type Infer<S> = S extends Spec<infer T> ? T : never;

interface StringOptions extends Common {
  enum?: readonly string[];
  /** A JavaScript regex source (also valid in JSON Schema) the whole value must match. */
  pattern?: string;
  /** What the pattern asks for, in words, for the error message. */
  patternHint?: string;
  minLength?: number;
  maxLength?: number;
}

class StringSpec<T extends string> extends Spec<T> {
  private readonly regex: RegExp | undefined;

  constructor(private readonly options: StringOptions) {
    super(options);
    this.regex = options.pattern === undefined ? undefined : new RegExp(options.pattern, 'u');
  }

  accepts(node: Node): boolean {
    return isScalar(node) && typeof node.value === 'string';
  }

  read(node: Node, at: At, reader: ConfigReader): T | undefined {
    const o = this.options;
    if (!this.accepts(node)) {
      const quoted = isScalar(node) && node.value !== null ? ` (quote it: "${String(node.source ?? node.value)}")` : '';
      return this.fail(node, at, reader, (o.enum ? `one of ${o.enum.join(', ')}` : 'a string') + quoted);
    }
    const value = (node as { value: string }).value;
    if (o.enum && !o.enum.includes(value)) return this.fail(node, at, reader, `one of ${o.enum.join(', ')}`);
    const min = o.minLength ?? 1;
    if (value.length < min) return this.fail(node, at, reader, min === 1 ? 'a non-empty string' : `at least ${min} characters`);
    if (o.maxLength !== undefined && value.length > o.maxLength) {
      reader.report(at, `must be at most ${o.maxLength} characters; got ${value.length}`);
      return undefined;
    }
    if (this.regex && !this.regex.test(value)) return this.fail(node, at, reader, o.patternHint ?? `a string matching ${o.pattern}`);
    return value as T;
  }

  protected ownSchema(): JsonSchema {
    const o = this.options;
    const schema: JsonSchema = { type: 'string' };
    if (o.enum) schema.enum = [...o.enum];
    else schema.minLength = o.minLength ?? 1;
    if (o.maxLength !== undefined) schema.maxLength = o.maxLength;
    if (o.pattern !== undefined) schema.pattern = o.pattern;
    return schema;
  }
}

/**
 * Text that YAML may have read as a number or boolean (`JAVA_VERSION: 17`, a version `1.10`):
 * kept exactly as written, so `1.10` stays `1.10` rather than becoming 1.1.
 */
class TextSpec extends Spec<string> {
  constructor(private readonly options: Common & { noNewlines?: boolean }) {
    super(options);
  }

  accepts(node: Node): boolean {
    return isScalar(node) && node.value !== null && ['string', 'number', 'boolean'].includes(typeof node.value);
  }

  read(node: Node, at: At, reader: ConfigReader): string | undefined {
    if (!this.accepts(node)) return this.fail(node, at, reader, 'a string, number or boolean');
    const scalar = node as { value: unknown; source?: string };
    const text = typeof scalar.value === 'string' ? scalar.value : (scalar.source ?? String(scalar.value));
    if (this.options.noNewlines && /[\r\n]/.test(text)) {
      reader.report(at, 'must be one line');
      return undefined;
    }
    return text;
  }

  protected ownSchema(): JsonSchema {
    return this.options.noNewlines
      ? { anyOf: [{ type: 'string', pattern: '^[^\\r\\n]*$' }, { type: ['number', 'boolean'] }] }
      : { type: ['string', 'number', 'boolean'] };
  }
}

class BooleanSpec extends Spec<boolean> {
  accepts(node: Node): boolean {
    return isScalar(node) && typeof node.value === 'boolean';
  }

  read(node: Node, at: At, reader: ConfigReader): boolean | undefined {
    return this.accepts(node) ? (node as { value: boolean }).value : this.fail(node, at, reader, 'true or false');
  }

  protected ownSchema(): JsonSchema {
    return { type: 'boolean' };
  }
}

class IntegerSpec extends Spec<number> {
  constructor(private readonly options: Common & { minimum: number; maximum: number }) {
    super(options);
  }

  accepts(node: Node): boolean {
    return isScalar(node) && typeof node.value === 'number';
  }

  read(node: Node, at: At, reader: ConfigReader): number | undefined {
    const { minimum, maximum } = this.options;
    const value = this.accepts(node) ? (node as { value: number }).value : NaN;
    if (!Number.isInteger(value) || value < minimum || value > maximum) {
      return this.fail(node, at, reader, minimum === maximum ? `${minimum}` : `a whole number from ${minimum} to ${maximum}`);
    }
    return value;
  }

  protected ownSchema(): JsonSchema {
    return { type: 'integer', minimum: this.options.minimum, maximum: this.options.maximum };
  }
}

/** One of several kinds (`commit: true` or `commit: 30`); the node's kind picks the branch. */
class AnyOfSpec<T> extends Spec<T> {
  constructor(private readonly options: Common & { of: readonly Spec<T>[]; expected: string }) {
    super(options);
  }

  accepts(node: Node): boolean {
    return this.options.of.some((s) => s.accepts(node));
  }

  read(node: Node, at: At, reader: ConfigReader): T | undefined {
    const branch = this.options.of.find((s) => s.accepts(node));
    if (!branch) return this.fail(node, at, reader, this.options.expected);
    const before = reader.problems.length;
    const value = branch.read(node, at, reader);
    if (value === undefined && reader.problems.length > before) {
      // One message naming every accepted form reads better than the branch's own.
      reader.problems.length = before;
      return this.fail(node, at, reader, this.options.expected);
    }
    return value;
  }

  protected ownSchema(): JsonSchema {
    return { anyOf: this.options.of.map((s) => s.jsonSchema()) };
  }
}

class ArraySpec<T> extends Spec<T[]> {
  constructor(private readonly options: Common & { items: Spec<T>; minItems?: number; maxItems?: number; tooMany?: string }) {
    super(options);
  }

  accepts(node: Node): boolean {
    return isSeq(node);
  }

  read(node: Node, at: At, reader: ConfigReader): T[] | undefined {
    if (!isSeq(node)) return this.fail(node, at, reader, 'a list, e.g. [a, b]');
    const { minItems = 0, maxItems, items, tooMany } = this.options;
    const count = node.items.length;
    if (count < minItems) {
      reader.report(at, `must have at least ${minItems} item${minItems === 1 ? '' : 's'}`);
      return undefined;
    }
    if (maxItems !== undefined && count > maxItems) {
      reader.report(at, `has ${count} items; at most ${maxItems} allowed${tooMany ? ` (${tooMany})` : ''}`);
    }
    const values: T[] = [];
    node.items.forEach((raw, index) => {
      const line = reader.lineOf(raw as Node, at.line);
      const item = reader.resolve(raw as Node);
      const itemAt: At = { owner: at.owner, field: `${at.field}[${index}]`, line, index };
      if (isScalar(item) && item.value === null) {
        reader.report(itemAt, 'is empty');
        return;
      }
      const value = items.read(item, itemAt, reader);
      if (value === undefined) return;
      reader.remember(values, values.length, line);
      values.push(value);
    });
    reader.remember(values, null, at.line);
    return values;
  }

  protected ownSchema(): JsonSchema {
    const { items, minItems, maxItems } = this.options;
    const schema: JsonSchema = { type: 'array', items: items.jsonSchema() };
    if (minItems !== undefined) schema.minItems = minItems;
    if (maxItems !== undefined) schema.maxItems = maxItems;
    return schema;
  }
}

/** A mapping with keys chosen by the user (build args, headers). */
class MapSpec<T> extends Spec<Record<string, T>> {
  private readonly keyRegex: RegExp;

  constructor(
    private readonly options: Common & { values: Spec<T>; keyPattern: string; keyHint: string; maxProperties?: number; tooMany?: string },
  ) {
    super(options);
    this.keyRegex = new RegExp(options.keyPattern, 'u');
  }

  accepts(node: Node): boolean {
    return isMap(node);
  }

  read(node: Node, at: At, reader: ConfigReader): Record<string, T> | undefined {
    if (!isMap(node)) return this.fail(node, at, reader, 'a mapping of NAME: value');
    const { maxProperties, tooMany, values } = this.options;
    if (maxProperties !== undefined && node.items.length > maxProperties) {
      reader.report(at, `has ${node.items.length} entries; at most ${maxProperties} allowed${tooMany ? ` (${tooMany})` : ''}`);
    }
    const result: Record<string, T> = {};
    for (const pair of node.items) {
      const keyNode = pair.key as Node;
      const line = reader.lineOf(keyNode, at.line);
      const key = isScalar(keyNode) ? String(keyNode.source ?? keyNode.value) : '';
      const entryAt: At = { owner: at.owner, field: `${at.field}.${key}`, line };
      if (!isScalar(keyNode) || !this.keyRegex.test(key)) {
        reader.report({ ...at, line }, `'${key}' is not a valid name: ${this.options.keyHint}`);
        continue;
      }
      const valueNode = pair.value ? reader.resolve(pair.value as Node) : null;
      if (!valueNode || (isScalar(valueNode) && valueNode.value === null)) {
        reader.report(entryAt, 'has no value; write "" for an empty one');
        continue;
      }
      const value = values.read(valueNode, entryAt, reader);
      if (value === undefined) continue;
      result[key] = value;
      reader.remember(result, key, line);
    }
    reader.remember(result, null, at.line);
    return result;
  }

  protected ownSchema(): JsonSchema {
    const { values, keyPattern, maxProperties } = this.options;
    const schema: JsonSchema = { type: 'object', propertyNames: { pattern: keyPattern }, additionalProperties: values.jsonSchema() };
    if (maxProperties !== undefined) schema.maxProperties = maxProperties;
    return schema;
  }
}

/**
 * The pairs of a mapping with YAML merge keys (`<<: *defaults`) expanded: merged fields come
 * first and fields written in the mapping itself win, as YAML 1.1 merge keys define.
 */
function isMergeKey(key: unknown): boolean {
  // With `merge: true` the parser gives the key as Symbol('<<'); a quoted '<<' stays a string.
  return isScalar(key) && typeof key.value === 'symbol' && key.value.description === '<<';
}

function mergedPairs(map: YAMLMap, reader: ConfigReader): Pair[] {
  const own = map.items.filter((p) => !isMergeKey(p.key));
  if (own.length === map.items.length) return map.items as Pair[];
  const written = new Set(own.map((p) => (isScalar(p.key) ? p.key.value : undefined)));
  const merged: Pair[] = [];
  for (const pair of map.items) {
    if (!isMergeKey(pair.key) || !pair.value) continue;
    const source = reader.resolve(pair.value as Node);
    const sources = isSeq(source) ? source.items.map((i) => reader.resolve(i as Node)) : [source];
    for (const m of sources) {
      if (!isMap(m)) continue;
      for (const p of mergedPairs(m, reader)) {
        const key = isScalar(p.key) ? p.key.value : undefined;
        if (!written.has(key)) {
          written.add(key);
          merged.push(p);
        }
      }
    }
  }
  return [...merged, ...(own as Pair[])];
}

type Shape = Record<string, Spec<unknown>>;

export type ObjectValue<P extends Shape, R extends keyof P> = { [K in R]: Infer<P[K]> } & { [K in Exclude<keyof P, R>]?: Infer<P[K]> };

interface ObjectOptions<P extends Shape, R extends keyof P & string> extends Common {
  properties: P;
  required?: readonly R[];
  /** Pairs of fields that exclude each other (`image` or `images`). */
  exclusive?: readonly (readonly [keyof P & string, keyof P & string])[];
  /** Fields that become required when another has a given value (`filter: regex` needs `expression`). */
  requiredWhen?: readonly { field: keyof P & string; equals: string; require: keyof P & string }[];
  /** Items of this kind are named in messages by their `name` field: `rule 'release'`. */
  owner?: string;
}

/** Names closest to a mistyped field, for "did you mean". */
function closest(word: string, names: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestDistance = Math.max(2, Math.floor(word.length / 3)) + 1;
  for (const name of names) {
    const d = editDistance(word.toLowerCase(), name);
    if (d < bestDistance) [best, bestDistance] = [name, d];
  }
  return best;
}

function editDistance(a: string, b: string): number {
  let row = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    const next = [i];
    for (let j = 1; j <= b.length; j++) {
      next.push(Math.min((row[j] ?? 0) + 1, (next[j - 1] ?? 0) + 1, (row[j - 1] ?? 0) + (a[i - 1] === b[j - 1] ? 0 : 1)));
    }
    row = next;
  }
  return row[b.length] ?? 0;
}

export class ObjectSpec<P extends Shape, R extends keyof P & string> extends Spec<ObjectValue<P, R>> {
  constructor(private readonly options: ObjectOptions<P, R>) {
    super(options);
  }

  accepts(node: Node): boolean {
    return isMap(node);
  }

  read(node: Node, outer: At, reader: ConfigReader): ObjectValue<P, R> | undefined {
    const { properties, required = [], exclusive = [], requiredWhen = [], owner } = this.options;
    const at = owner ? { owner: this.ownerName(node, outer), field: '', line: outer.line } : outer;
    if (!isMap(node)) return this.fail(node, at, reader, 'a mapping of field: value');
    const known = Object.keys(properties);
    const result: Record<string, unknown> = {};
    const present = new Map<string, number>();
    let complete = true;
    for (const pair of mergedPairs(node, reader)) {
      const keyNode = pair.key as Node;
      const line = reader.lineOf(keyNode, at.line);
      const key = isScalar(keyNode) ? String(keyNode.value) : '';
      const spec = properties[key];
      if (!spec) {
        const guess = closest(key, known);
        const hint = guess ? `did you mean '${guess}'?` : `known fields: ${known.join(', ')}`;
        reader.report({ owner: at.owner, field: '', line }, `unknown field '${key}'; ${hint}`);
        continue;
      }
      const valueNode = pair.value ? reader.resolve(pair.value as Node) : null;
      // `field:` with nothing after it means "not given", as in GitHub's own workflow files.
      if (!valueNode || (isScalar(valueNode) && valueNode.value === null)) continue;
      present.set(key, line);
      const value = spec.read(valueNode, { owner: at.owner, field: at.field ? `${at.field}.${key}` : key, line }, reader);
      if (value === undefined) {
        if ((required as readonly string[]).includes(key)) complete = false;
        continue;
      }
      result[key] = value;
      reader.remember(result, key, line);
    }
    for (const key of required) {
      if (!present.has(key)) {
        reader.report(at, `missing required field '${key}'`);
        complete = false;
      }
    }
    for (const [a, b] of exclusive) {
      if (present.has(a) && present.has(b)) reader.report({ ...at, line: present.get(b) ?? at.line }, `set '${a}' or '${b}', not both`);
    }
    for (const rule of requiredWhen) {
      if (result[rule.field] === rule.equals && !present.has(rule.require)) {
        reader.report({ ...at, line: present.get(rule.field) ?? at.line }, `'${rule.field}: ${rule.equals}' needs '${rule.require}'`);
      }
    }
    reader.remember(result, null, at.line);
    if (!complete) reader.markIncomplete(result);
    // Typed as complete; consumers of list items check reader.isComplete before relying on that.
    return result as ObjectValue<P, R>;
  }

  private ownerName(node: Node, at: At): string {
    const name = isMap(node) ? node.get('name', true) : undefined;
    const value = isScalar(name) ? name.value : undefined;
    return typeof value === 'string' && value !== '' ? `${this.options.owner} '${value}'` : `${this.options.owner} #${(at.index ?? 0) + 1}`;
  }

  protected ownSchema(): JsonSchema {
    const { properties, required = [], exclusive = [], requiredWhen = [] } = this.options;
    const schema: JsonSchema = {
      type: 'object',
      additionalProperties: false,
      properties: Object.fromEntries(Object.entries(properties).map(([k, s]) => [k, s.jsonSchema()])),
    };
    if (required.length > 0) schema.required = [...required];
    const all = [
      ...exclusive.map(([a, b]) => ({ not: { required: [a, b] } })),
      ...requiredWhen.map((r) => ({
        if: { properties: { [r.field]: { const: r.equals } }, required: [r.field] },
        then: { required: [r.require] },
      })),
    ];
    if (all.length > 0) schema.allOf = all;
    return schema;
  }
}

export const spec = {
  string: <T extends string = string>(o: StringOptions) => new StringSpec<T>(o),
  text: (o: Common & { noNewlines?: boolean }) => new TextSpec(o),
  boolean: (o: Common) => new BooleanSpec(o),
  integer: (o: Common & { minimum: number; maximum: number }) => new IntegerSpec(o),
  anyOf: <T>(o: Common & { of: readonly Spec<T>[]; expected: string }) => new AnyOfSpec<T>(o),
  array: <T>(o: Common & { items: Spec<T>; minItems?: number; maxItems?: number; tooMany?: string }) => new ArraySpec<T>(o),
  map: <T>(o: Common & { values: Spec<T>; keyPattern: string; keyHint: string; maxProperties?: number; tooMany?: string }) =>
    new MapSpec<T>(o),
  object: <P extends Shape, R extends keyof P & string = never>(o: ObjectOptions<P, R>) => new ObjectSpec<P, R>(o),
};
