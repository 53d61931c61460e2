import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { UserError } from '../base/errors.js';
import { CredentialHelper } from './credential-helper.js';

/**
 * Docker's client configuration (`$DOCKER_CONFIG/config.json`) and how the docker CLI and buildx
 * pick credentials for a registry: `credHelpers[host]`, else `credsStore`, else base64 `auths`.
 */
export interface AuthEntry {
  auth?: string;
  identitytoken?: string;
  username?: string;
  password?: string;
  [key: string]: unknown;
}

export interface DockerConfigFile {
  auths?: Record<string, AuthEntry>;
  credsStore?: string;
  credHelpers?: Record<string, string>;
  [key: string]: unknown;
}

export interface Credentials {
  username: string;
  /** Password, token, or identity token (then username is `<token>`). */
  secret: string;
}

export const DOCKER_HUB_AUTH_KEY = 'https://index.docker.io/v1/';

export function dockerConfigDir(env: NodeJS.ProcessEnv = process.env): string {
  return env.DOCKER_CONFIG || join(env.HOME || homedir(), '.docker');
}

/** The config in `dir`; an absent file is an empty config. */
export function readDockerConfig(dir: string): DockerConfigFile {
  const file = join(dir, 'config.json');
  if (!existsSync(file)) return {};
  const text = readFileSync(file, 'utf8');
  if (text.trim() === '') return {};
  try {
    const parsed: unknown = JSON.parse(text);
    if (parsed && typeof parsed === 'object' && !Array.isArray(parsed)) return parsed as DockerConfigFile;
  } catch {
    // fall through
  }
  throw new UserError(`${file} is not valid JSON; fix or remove it`);
}

/** Writes atomically with owner-only permissions, as the docker CLI does. */
export function writeDockerConfig(dir: string, config: DockerConfigFile): void {
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const file = join(dir, 'config.json');
  const temp = `${file}.acr-ship-${process.pid}`;
  writeFileSync(temp, JSON.stringify(config, null, '\t') + '\n', { mode: 0o600 });
  renameSync(temp, file);
}

/** The key docker uses for a registry host in `auths` (Docker Hub keeps its legacy URL). */
export function authKey(host: string): string {
  return host === 'docker.io' || host === 'index.docker.io' || host === 'registry-1.docker.io' ? DOCKER_HUB_AUTH_KEY : host;
}

/** `https://host/v1/`, `http://host`, `host/` → `host`, as docker normalises auths keys. */
export function hostOfKey(key: string): string {
  const stripped = key.replace(/^https?:\/\//, '').split('/')[0] ?? key;
  return stripped === 'index.docker.io' ? 'docker.io' : stripped;
}

/** The credential helper that serves `host`, if any. */
export function helperFor(config: DockerConfigFile, host: string): string | undefined {
  const key = authKey(host);
  return config.credHelpers?.[key] ?? config.credHelpers?.[host] ?? config.credsStore;
}

function decodeAuth(entry: AuthEntry): Credentials | undefined {
  if (entry.identitytoken) return { username: '<token>', secret: entry.identitytoken };
  if (entry.auth) {
    const decoded = Buffer.from(entry.auth, 'base64').toString('utf8');
    const colon = decoded.indexOf(':');
    if (colon > 0) return { username: decoded.slice(0, colon), secret: decoded.slice(colon + 1) };
  }
  if (entry.username && entry.password) return { username: entry.username, secret: entry.password };
  return undefined;
}

/** Credentials for `host` the way the docker CLI would find them; undefined if none. */
export async function findCredentials(
  config: DockerConfigFile,
  host: string,
  env: NodeJS.ProcessEnv = process.env,
): Promise<Credentials | undefined> {
  const helper = helperFor(config, host);
  if (helper) {
    const found = await new CredentialHelper(helper, env).get(authKey(host));
    return found ? { username: found.Username, secret: found.Secret } : undefined;
  }
  for (const [key, entry] of Object.entries(config.auths ?? {})) {
    if (hostOfKey(key) === hostOfKey(authKey(host))) return decodeAuth(entry);
  }
  return undefined;
}

export function encodeAuth(credentials: Credentials): AuthEntry {
  if (credentials.username === '<token>') return { identitytoken: credentials.secret };
  return { auth: Buffer.from(`${credentials.username}:${credentials.secret}`).toString('base64') };
}
