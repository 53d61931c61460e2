// Bundles every action entry point and the CLI into dist/ (committed; CI checks that this
// script reproduces it byte for byte). ESM for Node 20 syntax, so one dist/ runs on the
// runner's node24 and on Node 20 here.
import { build } from 'esbuild';
import { rmSync } from 'node:fs';

const entryPoints = {
  root: 'src/actions/root.ts',
  login: 'src/actions/login.ts',
  plan: 'src/actions/plan.ts',
  build: 'src/actions/build.ts',
  redeploy: 'src/actions/redeploy.ts',
  merge: 'src/actions/merge.ts',
  cli: 'src/cli.ts',
};

// An optional argument builds elsewhere (the dist/ drift check compares against it).
const outdir = process.argv[2] ?? 'dist';
rmSync(outdir, { recursive: true, force: true });
await build({
  entryPoints,
  outdir,
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  minify: true,
  legalComments: 'linked',
  charset: 'utf8',
  logLevel: 'warning',
  // yaml's ES-module build (same code as its CommonJS one) lets esbuild hoist it instead of
  // wrapping each module in a require shim: a few ms off every cold start that parses YAML.
  alias: { yaml: './node_modules/yaml/browser/dist/index.js' },
  // CommonJS dependencies bundled into ESM still call require() for Node built-ins.
  banner: { js: "import{createRequire as __acrShipRequire}from'node:module';const require=__acrShipRequire(import.meta.url);" },
});
