// npm run schema — writes schema/acr-ship.schema.json from src/rules/schema.ts, the one
// definition of the rules file. A unit test fails when the committed file is out of date.
import { writeFileSync } from 'node:fs';
import { format, resolveConfig } from 'prettier';
import { rulesFileJsonSchema } from '../src/rules/schema.js';

const path = 'schema/acr-ship.schema.json';
const options = (await resolveConfig(path)) ?? {};
writeFileSync(path, await format(JSON.stringify(rulesFileJsonSchema()), { ...options, parser: 'json' }));
process.stdout.write(`wrote ${path}\n`);
