import { readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { request } from 'node:https';
import { join } from 'node:path';
import { run } from './shell.js';
import { startDaemon } from './processes.js';
import { waitFor } from './shell.js';
import type { TlsFiles } from './tls.js';

export interface RegistryAuthHtpasswd {
  kind: 'htpasswd';
  username: string;
  password: string;
}

export interface RegistryAuthToken {
  kind: 'token';
  realm: string;
  service: string;
  issuer: string;
  /** PEM bundle with the certificate whose key signs the tokens. */
  rootCertBundle: string;
}

export type RegistryAuth = RegistryAuthHtpasswd | RegistryAuthToken;

export interface RegistryConfig {
  dir: string;
  port: number;
  tls: TlsFiles;
  auth: RegistryAuth;
}

/** Distribution's config file: TLS on loopback, storage in the run's directory, auth as asked. */
async function writeConfig(cfg: RegistryConfig): Promise<string> {
  const storage = join(cfg.dir, 'storage');
  mkdirSync(storage, { recursive: true });
  let auth: string;
  if (cfg.auth.kind === 'htpasswd') {
    const file = join(cfg.dir, 'htpasswd');
    writeFileSync(file, await run('htpasswd', ['-Bbn', cfg.auth.username, cfg.auth.password]));
    auth = `  htpasswd:\n    realm: acr-ship-stack\n    path: ${file}\n`;
  } else {
    auth =
      `  token:\n    realm: ${cfg.auth.realm}\n    service: ${cfg.auth.service}\n` +
      `    issuer: ${cfg.auth.issuer}\n    rootcertbundle: ${cfg.auth.rootCertBundle}\n`;
  }
  const yml =
    'version: 0.1\n' +
    'log:\n  level: info\n  accesslog:\n    disabled: false\n' +
    `storage:\n  filesystem:\n    rootdirectory: ${storage}\n  delete:\n    enabled: true\n` +
    `http:\n  addr: 127.0.0.1:${cfg.port}\n  tls:\n    certificate: ${cfg.tls.cert}\n    key: ${cfg.tls.key}\n` +
    `auth:\n${auth}`;
  const file = join(cfg.dir, 'registry.yml');
  writeFileSync(file, yml);
  return file;
}

/** Any HTTP answer from /v2/ (401 included) means the registry is serving. */
export function registryAnswers(port: number, caFile: string): Promise<boolean> {
  return new Promise((resolve) => {
    const req = request({ host: '127.0.0.1', port, path: '/v2/', method: 'GET', ca: readFileSync(caFile), timeout: 2000 }, (res) => {
      res.resume();
      resolve(res.statusCode === 200 || res.statusCode === 401);
    });
    req.on('error', () => resolve(false));
    req.on('timeout', () => req.destroy());
    req.end();
  });
}

export async function startRegistry(cfg: RegistryConfig): Promise<number> {
  const config = await writeConfig(cfg);
  const pid = startDaemon('docker-registry', ['serve', config], join(cfg.dir, 'registry.log'));
  if (!(await waitFor(() => registryAnswers(cfg.port, cfg.tls.caCert), 15_000))) {
    const log = readFileSync(join(cfg.dir, 'registry.log'), 'utf8').trim().split('\n').slice(-3).join(' | ');
    throw new Error(`the registry did not start on 127.0.0.1:${cfg.port}: ${log}`);
  }
  return pid;
}
