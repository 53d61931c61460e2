// A Docker credential helper for tests: the real protocol (verb in argv, JSON or a server URL on
// stdin), credentials kept in the JSON file $ACRSHIPTEST_STORE, written with sorted keys so the
// same contents always give the same bytes.
import fs from 'node:fs';
const file = process.env.ACRSHIPTEST_STORE;
if (!file) {
  process.stdout.write('ACRSHIPTEST_STORE is not set\n');
  process.exit(1);
}
const load = () => (fs.existsSync(file) ? JSON.parse(fs.readFileSync(file, 'utf8')) : {});
const save = (store) => {
  const sorted = Object.fromEntries(
    Object.keys(store)
      .sort()
      .map((k) => [k, store[k]]),
  );
  fs.writeFileSync(file, JSON.stringify(sorted, null, 2) + '\n');
};
let input = '';
process.stdin.on('data', (d) => (input += d));
process.stdin.on('end', () => {
  const store = load();
  switch (process.argv[2]) {
    case 'store': {
      const c = JSON.parse(input);
      store[c.ServerURL] = { Username: c.Username, Secret: c.Secret };
      save(store);
      break;
    }
    case 'get': {
      const c = store[input.trim()];
      if (!c) {
        process.stdout.write('credentials not found in native keychain\n');
        process.exit(1);
      }
      process.stdout.write(JSON.stringify({ ServerURL: input.trim(), Username: c.Username, Secret: c.Secret }) + '\n');
      break;
    }
    case 'erase':
      if (!store[input.trim()]) {
        process.stdout.write('credentials not found in native keychain\n');
        process.exit(1);
      }
      save(Object.fromEntries(Object.entries(store).filter(([k]) => k !== input.trim())));
      break;
    case 'list':
      process.stdout.write(JSON.stringify(Object.fromEntries(Object.entries(store).map(([k, v]) => [k, v.Username]))) + '\n');
      break;
    default:
      process.stdout.write(`unknown verb ${process.argv[2]}\n`);
      process.exit(1);
  }
});
