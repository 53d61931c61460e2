import { randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { request } from 'node:https';
import { join } from 'node:path';
import { build } from 'esbuild';
import type { EmulatorConfig } from '../emulator/config.js';
import { startDaemon } from './processes.js';
import { waitFor } from './shell.js';
import { REPO_ROOT, type StackState } from './state.js';
import type { TlsFiles } from './tls.js';

/** The region the stack's registry plays; the emulator's API also answers for OTHER_REGION. */
export const REGISTRY_REGION = 'cn-hangzhou';
export const OTHER_REGION = 'cn-shanghai';
export const REGISTRY_SERVICE = 'acr-ship-stack';
const ISSUER = 'acr-ship-emulator';
const ACCOUNT_ID = '1234567890123456';

/** The emulated Alibaba Cloud account for a stack run: random secrets, fixed names. */
export function emulatorAccount(
  port: number,
  tls: TlsFiles,
  signer: { key: string; cert: string },
  fixed: { username: string; password: string }[],
) {
  const hex = (n: number): string => randomBytes(n).toString('hex');
  const config: EmulatorConfig = {
    port,
    tls: { cert: tls.cert, key: tls.key },
    registryRegion: REGISTRY_REGION,
    regions: [REGISTRY_REGION, OTHER_REGION],
    registry: {
      service: REGISTRY_SERVICE,
      issuer: ISSUER,
      signingKey: signer.key,
      signingCert: signer.cert,
      tokenTtlSeconds: 300,
      publicRepositories: ['library/*'],
    },
    accounts: fixed,
    accessKeys: [{ id: `LTAI5t${hex(9)}`, secret: randomBytes(22).toString('base64url') }],
    instances: [{ id: `cri-${hex(8)}`, name: 'acme', region: REGISTRY_REGION }],
    passwordTtlSeconds: 3600,
    oidc: {
      requestToken: hex(20),
      providerArn: `acs:ram::${ACCOUNT_ID}:oidc-provider/github-actions`,
      clientIds: ['sts.aliyuncs.com'],
      roles: [{ arn: `acs:ram::${ACCOUNT_ID}:role/acr-ship-push`, subjects: ['repo:acme/app:*'], maxSessionDuration: 3600 }],
    },
    controlToken: hex(16),
  };
  return config;
}

/** What tests need to know about the emulator, as recorded in the stack state. */
export function emulatorState(config: EmulatorConfig): StackState['emulator'] {
  const url = `https://127.0.0.1:${config.port}`;
  const key = config.accessKeys[0] as { id: string; secret: string };
  const instance = config.instances[0] as { id: string; name: string; region: string };
  const role = config.oidc.roles[0] as { arn: string };
  return {
    url,
    port: config.port,
    region: config.registryRegion,
    otherRegion: OTHER_REGION,
    service: config.registry.service,
    controlToken: config.controlToken,
    accessKey: key,
    instance,
    accounts: config.accounts,
    oidc: {
      requestUrl: `${url}/oidc/token?repository=acme/app`,
      requestToken: config.oidc.requestToken,
      issuer: `${url}/oidc`,
      providerArn: config.oidc.providerArn,
      roleArn: role.arn,
      audience: config.oidc.clientIds[0] ?? 'sts.aliyuncs.com',
    },
  };
}

export function emulatorAnswers(port: number, caFile: string): Promise<boolean> {
  return new Promise((resolve) => {
    const req = request({ host: '127.0.0.1', port, path: '/__emulator/health', ca: readFileSync(caFile), timeout: 2000 }, (res) => {
      res.resume();
      resolve(res.statusCode === 200);
    });
    req.on('error', () => resolve(false));
    req.on('timeout', () => req.destroy());
    req.end();
  });
}

/** Bundles the emulator (test/emulator, TypeScript) for plain node and starts it as a daemon. */
export async function startEmulatorProcess(dir: string, config: EmulatorConfig, caCert: string): Promise<number> {
  mkdirSync(dir, { recursive: true });
  const bundle = join(dir, 'emulator.mjs');
  await build({
    entryPoints: [join(REPO_ROOT, 'test', 'emulator', 'main.ts')],
    outfile: bundle,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    logLevel: 'warning',
  });
  const configFile = join(dir, 'emulator.json');
  writeFileSync(configFile, JSON.stringify(config, null, 2), { mode: 0o600 });
  const logFile = join(dir, 'emulator.log');
  const pid = startDaemon(process.execPath, [bundle, configFile], logFile);
  if (!(await waitFor(() => emulatorAnswers(config.port, caCert), 15_000))) {
    const log = readFileSync(logFile, 'utf8').trim().split('\n').slice(-3).join(' | ');
    throw new Error(`the ACR emulator did not start on 127.0.0.1:${config.port}: ${log}`);
  }
  return pid;
}
