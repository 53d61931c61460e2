/**
 * An in-process ACR emulator for unit tests (plain HTTP on loopback), with its own account:
 * one AccessKey, one Enterprise instance, an OIDC role, a fixed registry account.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { makeTokenSigner } from '../../stack/tls.js';
import type { EmulatorConfig } from '../../emulator/config.js';
import { EmulatorControl } from '../../emulator/control.js';
import { startEmulator, type Emulator } from '../../emulator/server.js';

export function emulatorConfig(signer: { key: string; cert: string }, overrides: Partial<EmulatorConfig> = {}): EmulatorConfig {
  return {
    port: 0,
    registryRegion: 'cn-hangzhou',
    regions: ['cn-hangzhou', 'cn-shanghai'],
    registry: {
      service: 'acr-ship-test',
      issuer: 'acr-ship-emulator',
      signingKey: signer.key,
      signingCert: signer.cert,
      tokenTtlSeconds: 300,
    },
    accounts: [{ username: 'fixed-user', password: `pw-${randomBytes(8).toString('hex')}` }],
    accessKeys: [{ id: `LTAI${randomBytes(8).toString('hex')}`, secret: randomBytes(15).toString('base64url') }],
    instances: [{ id: `cri-${randomBytes(8).toString('hex')}`, name: 'acme', region: 'cn-hangzhou' }],
    passwordTtlSeconds: 3600,
    oidc: {
      requestToken: randomBytes(16).toString('hex'),
      providerArn: 'acs:ram::1234567890123456:oidc-provider/github',
      clientIds: ['sts.aliyuncs.com'],
      roles: [{ arn: 'acs:ram::1234567890123456:role/acr-push', subjects: ['repo:acme/app:*'], maxSessionDuration: 3600 }],
    },
    controlToken: randomBytes(16).toString('hex'),
    ...overrides,
  };
}

export interface TestEmulator {
  emulator: Emulator;
  config: EmulatorConfig;
  control: EmulatorControl;
  accessKey: { id: string; secret: string };
  instance: { id: string; name: string; region: string };
  close(): Promise<void>;
}

export async function startTestEmulator(
  overrides: Partial<EmulatorConfig> = {},
  options: { now?: () => number } = {},
): Promise<TestEmulator> {
  const dir = mkdtempSync(join(tmpdir(), 'acr-ship-emulator-'));
  const config = emulatorConfig(await makeTokenSigner(dir), overrides);
  const emulator = await startEmulator(config, options);
  return {
    emulator,
    config,
    control: new EmulatorControl(emulator.url, config.controlToken),
    accessKey: config.accessKeys[0] as { id: string; secret: string },
    instance: config.instances[0] as { id: string; name: string; region: string },
    close: async () => {
      await emulator.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
