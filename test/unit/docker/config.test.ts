import { readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  authKey,
  encodeAuth,
  findCredentials,
  helperFor,
  hostOfKey,
  readDockerConfig,
  writeDockerConfig,
} from '../../../src/docker/config.js';
import { CredentialHelper } from '../../../src/docker/credential-helper.js';
import { REPO_ROOT } from '../../stack/state.js';
import { scratchDir } from '../../support/scratch.js';

const helperEnv = (): NodeJS.ProcessEnv => ({
  ...process.env,
  PATH: `${join(REPO_ROOT, 'test/fixtures/bin')}:${process.env.PATH}`,
  ACR_SHIP_TEST_HELPER_STORE: join(scratchDir('helper-'), 'store.json'),
});

describe('docker config.json', () => {
  it('reads nothing as an empty config and writes owner-only', () => {
    const dir = scratchDir('dc-');
    expect(readDockerConfig(dir)).toEqual({});
    writeDockerConfig(dir, { auths: { 'r.io': encodeAuth({ username: 'u', secret: 'p:w' }) } });
    expect(statSync(join(dir, 'config.json')).mode & 0o777).toBe(0o600);
    expect(readDockerConfig(dir)).toEqual({ auths: { 'r.io': { auth: Buffer.from('u:p:w').toString('base64') } } });
  });
  it('names a broken config file', () => {
    const dir = scratchDir('dc-');
    writeFileSync(join(dir, 'config.json'), '{nope');
    expect(() => readDockerConfig(dir)).toThrow(`${join(dir, 'config.json')} is not valid JSON`);
  });
  it('normalises auths keys the way docker does', () => {
    expect(authKey('docker.io')).toBe('https://index.docker.io/v1/');
    expect(hostOfKey('https://index.docker.io/v1/')).toBe('docker.io');
    expect(hostOfKey('https://r.io:5000/v2/')).toBe('r.io:5000');
  });
  it('finds base64 auths and identity tokens, splitting at the first colon', async () => {
    const config = { auths: { 'https://r.io/v1/': { auth: Buffer.from('u:p:w').toString('base64') }, 'q.io': { identitytoken: 'tok' } } };
    expect(await findCredentials(config, 'r.io')).toEqual({ username: 'u', secret: 'p:w' });
    expect(await findCredentials(config, 'q.io')).toEqual({ username: '<token>', secret: 'tok' });
    expect(await findCredentials(config, 'none.io')).toBeUndefined();
  });
  it('prefers credHelpers[host], then credsStore, over auths', () => {
    const config = { credsStore: 'desktop', credHelpers: { 'r.io': 'ecr-login' }, auths: { 'r.io': {} } };
    expect(helperFor(config, 'r.io')).toBe('ecr-login');
    expect(helperFor(config, 'other.io')).toBe('desktop');
    expect(helperFor({}, 'r.io')).toBeUndefined();
  });
});

describe('credential helper protocol (a real helper program)', () => {
  it('stores, gets, lists and erases through stdin/stdout', async () => {
    const env = helperEnv();
    const helper = new CredentialHelper('acrshipfile', env);
    expect(await helper.get('r.io')).toBeUndefined();
    await helper.store({ ServerURL: 'r.io', Username: 'u', Secret: 's3cret' });
    expect(await helper.get('r.io')).toEqual({ ServerURL: 'r.io', Username: 'u', Secret: 's3cret' });
    expect(await helper.list()).toEqual({ 'r.io': 'u' });
    expect(await findCredentials({ credHelpers: { 'r.io': 'acrshipfile' } }, 'r.io', env)).toEqual({ username: 'u', secret: 's3cret' });
    await helper.erase('r.io');
    await helper.erase('r.io');
    expect(await helper.get('r.io')).toBeUndefined();
    expect(JSON.parse(readFileSync(env.ACR_SHIP_TEST_HELPER_STORE as string, 'utf8'))).toEqual({});
  });
  it('names a missing helper program', async () => {
    await expect(new CredentialHelper('acrship-missing').get('r.io')).rejects.toThrow(
      'docker-credential-acrship-missing is not installed or not on PATH',
    );
  });
  it('rejects helper names that could be paths', () => {
    expect(() => new CredentialHelper('../evil')).toThrow(/not valid/);
  });
});
