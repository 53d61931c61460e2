/**
 * src/docker/registry.ts against the real Distribution registry of the stack: the docker-login
 * handshake and manifest reads, compared with what the independent test client sees.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { RegistryClient, RegistryError } from '../../src/docker/registry.js';
import { registryClient, stack } from '../support/stack.js';

describe('RegistryClient on the stack registry', () => {
  const state = stack();
  const good = { username: state.registry.username, secret: state.registry.password };
  const ca = readFileSync(state.registry.caCert);

  it('accepts the right credentials the way docker login checks them', async () => {
    await expect(new RegistryClient(state.registry.host, { credentials: good, ca: ca }).verifyLogin()).resolves.toBeUndefined();
  });

  it('rejects a wrong password with an auth error and no anonymous access', async () => {
    const wrong = new RegistryClient(state.registry.host, { credentials: { ...good, secret: 'wrong' }, ca: ca });
    await expect(wrong.verifyLogin()).rejects.toMatchObject({ kind: 'auth' });
    await expect(new RegistryClient(state.registry.host, { ca: ca }).verifyLogin()).rejects.toBeInstanceOf(RegistryError);
  });

  it('reads the base image index and resolves its tag to the same digest', async () => {
    const client = new RegistryClient(state.registry.host, { credentials: good, ca: ca });
    const index = await client.manifest('library/busybox', 'latest');
    const independent = await registryClient(state).manifest('library/busybox', 'latest');
    expect(index?.digest).toBe(independent?.digest);
    expect(index?.mediaType).toBe('application/vnd.oci.image.index.v1+json');
    expect(await client.resolve('library/busybox', 'latest')).toBe(independent?.digest);
    expect(await client.manifest('library/busybox', 'no-such-tag')).toBeUndefined();
  });
});
