/**
 * One definition of the rules file (src/rules/schema.ts): the committed JSON Schema must be what
 * it generates, and every example rules file must load. (The README's rules files are checked with
 * its recipes: test/unit/docs/readme-recipes.test.ts.)
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../../stack/state.js';
import { rulesFileJsonSchema } from '../../../src/rules/schema.js';
import { parseRulesFile } from '../../../src/rules/config.js';

const read = (path: string) => readFileSync(join(REPO_ROOT, path), 'utf8');

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
  it.each(readdirSync(join(REPO_ROOT, 'examples', 'rules')))('examples/rules/%s loads', (name) => {
    const config = parseRulesFile(read(`examples/rules/${name}`), name);
    expect(config.rules?.length).toBeGreaterThan(0);
  });
});
