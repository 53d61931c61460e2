/**
 * The credential store and its undo, on real files and a real credential helper program
 * (test/fixtures/bin/docker-credential-acrshipfile): job-scoped configs, byte-for-byte restore of
 * the user's config, and undo after a main step that died half-way.
 */
import { existsSync, lstatSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { silentLog } from '../../../src/base/log.js';
import { CredentialStore, newSessionDir, undoSession } from '../../../src/login/store.js';
import { REPO_ROOT } from '../../stack/state.js';

let root: string;
let env: NodeJS.ProcessEnv;
let userDir: string;
let helperStore: string;

beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), 'acr-ship-store-'));
  userDir = join(root, 'home', '.docker');
  helperStore = join(root, 'helper.json');
  env = {
    ...process.env,
    PATH: `${join(REPO_ROOT, 'test', 'fixtures', 'bin')}:${process.env.PATH ?? ''}`,
    ACR_SHIP_TEST_HELPER_STORE: helperStore,
  };
});
afterEach(() => rmSync(root, { recursive: true, force: true }));

function writeUserConfig(config: unknown): Buffer {
  mkdirSync(userDir, { recursive: true });
  writeFileSync(join(userDir, 'config.json'), JSON.stringify(config, null, 4));
  return readFileSync(join(userDir, 'config.json'));
}

const creds = { username: 'u', secret: 'new-secret' };

describe('job scope', () => {
  it('copies config.json, links everything else, stores in the copy; undo deletes it all', async () => {
    const before = writeUserConfig({ auths: { 'ghcr.io': { auth: 'b2xkOm9sZA==' } } });
    mkdirSync(join(userDir, 'buildx', 'instances'), { recursive: true });
    mkdirSync(join(userDir, 'cli-plugins'));
    const session = newSessionDir(root);
    const store = CredentialStore.open(session, 'job', userDir, env);
    expect(store.configDir).toBe(join(session, 'docker-config'));
    expect(lstatSync(join(store.configDir, 'buildx')).isSymbolicLink()).toBe(true);
    expect(lstatSync(join(store.configDir, 'cli-plugins')).isSymbolicLink()).toBe(true);
    await store.store('127.0.0.1:5000', creds);
    expect(await store.read('127.0.0.1:5000')).toEqual(creds);
    expect(await store.read('ghcr.io')).toEqual({ username: 'old', secret: 'old' });
    expect(readFileSync(join(userDir, 'config.json'))).toEqual(before);

    const undone = await undoSession(session, env, silentLog);
    expect(undone.restoreDockerConfig).toBe(userDir);
    expect(existsSync(session)).toBe(false);
    // Linked directories are not followed when the job directory goes.
    expect(existsSync(join(userDir, 'buildx', 'instances'))).toBe(true);
  });

  it('from a user directory that does not exist: creates its buildx and cli-plugins directories to link to', async () => {
    const session = newSessionDir(root);
    const store = CredentialStore.open(session, 'job', join(root, 'nowhere'), env);
    expect(readdirSync(join(root, 'nowhere')).sort()).toEqual(['buildx', 'cli-plugins']);
    expect(lstatSync(join(store.configDir, 'buildx')).isSymbolicLink()).toBe(true);
    await store.store('docker.io', creds);
    const config = JSON.parse(readFileSync(join(store.configDir, 'config.json'), 'utf8')) as { auths: Record<string, unknown> };
    expect(Object.keys(config.auths)).toEqual(['https://index.docker.io/v1/']);
    await undoSession(session, env, silentLog);
    expect(existsSync(session)).toBe(false);
    expect(existsSync(join(root, 'nowhere', 'buildx'))).toBe(true);
  });
});

describe('user scope', () => {
  it('restores config.json byte for byte and gives the helper its previous entry back', async () => {
    const before = writeUserConfig({
      auths: { 'reg.example': { auth: 'b2xkOm9sZA==' } },
      credHelpers: { 'helped.example': 'acrshipfile' },
    });
    // Two entries, so a restore that moved ours to the end would show in the bytes.
    writeFileSync(
      helperStore,
      JSON.stringify({
        'helped.example': { Username: 'prev', Secret: 'prev-secret' },
        'other.example': { Username: 'o', Secret: 'o-secret' },
      }),
    );
    const storeBefore = readFileSync(helperStore);
    const session = newSessionDir(root);
    const store = CredentialStore.open(session, 'user', userDir, env);
    await store.store('reg.example', creds);
    await store.store('new.example', creds);
    await store.store('helped.example', creds);
    expect(await store.read('reg.example')).toEqual(creds);
    expect(await store.read('helped.example')).toEqual(creds);
    expect(readFileSync(join(userDir, 'config.json'))).not.toEqual(before);

    await undoSession(session, env, silentLog);
    expect(readFileSync(join(userDir, 'config.json'))).toEqual(before);
    expect(readFileSync(helperStore)).toEqual(storeBefore);
    expect(existsSync(session)).toBe(false);
  });

  it('when someone else changed config.json after us, undoes only our entries and keeps theirs', async () => {
    writeUserConfig({ auths: { 'reg.example': { auth: 'b2xkOm9sZA==' } } });
    const session = newSessionDir(root);
    const store = CredentialStore.open(session, 'user', userDir, env);
    await store.store('reg.example', creds);
    await store.store('new.example', creds);
    const file = join(userDir, 'config.json');
    const changed = JSON.parse(readFileSync(file, 'utf8')) as { auths: Record<string, unknown> };
    changed.auths['theirs.example'] = { auth: 'dGhlaXI6cw==' };
    writeFileSync(file, JSON.stringify(changed));
    await undoSession(session, env, silentLog);
    expect(JSON.parse(readFileSync(file, 'utf8'))).toEqual({
      auths: { 'reg.example': { auth: 'b2xkOm9sZA==' }, 'theirs.example': { auth: 'dGhlaXI6cw==' } },
    });
  });

  it('a config.json (and directory) that did not exist is removed again', async () => {
    const session = newSessionDir(root);
    const store = CredentialStore.open(session, 'user', userDir, env);
    await store.store('reg.example', creds);
    expect(existsSync(join(userDir, 'config.json'))).toBe(true);
    await undoSession(session, env, silentLog);
    expect(existsSync(userDir)).toBe(false);
  });

  it('undo after a main step that died between recording and finishing: still exact', async () => {
    const before = writeUserConfig({ credHelpers: { 'helped.example': 'acrshipfile' }, auths: {} });
    const session = newSessionDir(root);
    const store = CredentialStore.open(session, 'user', userDir, env);
    await store.store('reg.example', creds);
    await store.store('helped.example', creds);
    // The process is gone now; only the session directory is left for the post step.
    expect(readdirSync(session).sort()).toEqual(['config.json.before', 'journal.json']);
    await undoSession(session, env, silentLog);
    expect(readFileSync(join(userDir, 'config.json'))).toEqual(before);
    expect(JSON.parse(readFileSync(helperStore, 'utf8'))).toEqual({});
  });

  it('keep() (logout: false) leaves the credentials and removes the backup', async () => {
    writeUserConfig({});
    const session = newSessionDir(root);
    const store = CredentialStore.open(session, 'user', userDir, env);
    await store.store('reg.example', creds);
    store.keep();
    expect(existsSync(session)).toBe(false);
    expect(await store.read('reg.example')).toEqual(creds);
  });

  it('undo of a session that never started is a no-op', async () => {
    expect(await undoSession(join(root, 'never'), env, silentLog)).toEqual({ restoreDockerConfig: undefined, undone: 0 });
  });
});

describe('credential helper problems', () => {
  it('a credsStore whose program is missing: one line naming the helper and the file', async () => {
    writeUserConfig({ credsStore: 'nosuchhelper' });
    const store = CredentialStore.open(newSessionDir(root), 'user', userDir, env);
    await expect(store.store('reg.example', creds)).rejects.toThrow(
      /docker-credential-nosuchhelper is not installed or not on PATH \(.*config\.json sends credentials to credential helper 'nosuchhelper'/,
    );
  });

  it('an unreadable config.json is refused before anything changes', () => {
    mkdirSync(userDir, { recursive: true });
    writeFileSync(join(userDir, 'config.json'), '{not json');
    expect(() => CredentialStore.open(newSessionDir(root), 'job', userDir, env)).toThrow('config.json is not valid JSON');
  });
});
