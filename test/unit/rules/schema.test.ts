/**
 * One definition of the rules file (src/rules/schema.ts): the committed JSON Schema must be what
 * it generates, and every rules file the README and examples show must load.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../../stack/state.js';
import { rulesFileJsonSchema } from '../../../src/rules/schema.js';
import { parseRulesFile } from '../../../src/rules/config.js';
import { ACR_TIME, plan, push } from './helpers.js';

const read = (path: string) => readFileSync(join(REPO_ROOT, path), 'utf8');

/** The ```yaml blocks of the README that are rules files (they start with `# .github/acr-ship.yml`). */
function readmeRulesFiles(): string[] {
  return [...read('README.md').matchAll(/```yaml\n(# \.github\/acr-ship\.yml\n[\s\S]*?)```/g)].map((m) => m[1] ?? '');
}

/** Every `properties` object in a schema, with its path. */
function propertiesOf(schema: unknown, path = '$'): [string, Record<string, { description?: string }>][] {
  if (schema === null || typeof schema !== 'object') return [];
  const found: [string, Record<string, { description?: string }>][] = [];
  for (const [key, value] of Object.entries(schema)) {
    if (key === 'properties' && value && typeof value === 'object') found.push([path, value as Record<string, { description?: string }>]);
    found.push(...propertiesOf(value, `${path}.${key}`));
  }
  return found;
}

describe('the published JSON Schema', () => {
  it('is what src/rules/schema.ts generates (run npm run schema after changing it)', () => {
    expect(JSON.parse(read('schema/acr-ship.schema.json'))).toEqual(rulesFileJsonSchema());
  });

  it('describes every field and forbids unknown ones', () => {
    const schema = rulesFileJsonSchema();
    // Conditions (allOf/if) name properties too; the field lists are the others.
    const objects = propertiesOf(schema).filter(([p]) => !p.includes('.allOf'));
    expect(objects.map(([p]) => p)).toEqual(['$', '$.properties.rules.items', '$.properties.triggers.items']);
    for (const [path, props] of objects) {
      for (const [name, prop] of Object.entries(props)) expect(prop.description, `${path}.${name}`).toBeTruthy();
    }
    expect(schema.additionalProperties).toBe(false);
  });

  it('states the limits ACR has', () => {
    const rule = (rulesFileJsonSchema() as { properties: { rules: { items: { properties: Record<string, Record<string, unknown>> } } } })
      .properties.rules.items.properties;
    expect(rule.versions?.maxItems).toBe(3);
    expect(rule['build-args']?.maxProperties).toBe(20);
    expect(rule.time?.enum).toEqual(['yyyyMMdd', 'yyyyMMddHHmm']);
  });
});

describe('documented rules files', () => {
  it('the README shows rules files, and each one loads', () => {
    const files = readmeRulesFiles();
    expect(files.length).toBeGreaterThanOrEqual(2);
    for (const text of files) expect(() => parseRulesFile(text, 'README.md')).not.toThrow();
  });

  it("the README's ACR example gives the tag the README says", () => {
    const [acr = ''] = readmeRulesFiles();
    const p = plan(parseRulesFile(acr, 'README.md'), push('refs/heads/release-v1'), { now: ACR_TIME });
    expect(read('README.md')).toContain(p.builds[0]?.tags[0]);
  });

  it.each(readdirSync(join(REPO_ROOT, 'examples', 'rules')))('examples/rules/%s loads', (name) => {
    const config = parseRulesFile(read(`examples/rules/${name}`), name);
    expect(config.rules?.length).toBeGreaterThan(0);
  });
});
