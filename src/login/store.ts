import { createHash, randomBytes } from 'node:crypto';
import {
  copyFileSync,
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmdirSync,
  rmSync,
  symlinkSync,
  unlinkSync,
  writeFileSync,
} from 'node:fs';
import { join } from 'node:path';
import { errorMessage, UserError } from '../base/errors.js';
import type { Log } from '../base/log.js';
import {
  authKey,
  encodeAuth,
  findCredentials,
  helperFor,
  readDockerConfig,
  writeDockerConfig,
  type AuthEntry,
  type Credentials,
} from '../docker/config.js';
import { CredentialHelper, type HelperCredentials } from '../docker/credential-helper.js';

/**
 * Where a login puts credentials and how the post step takes them away again, with no Docker
 * daemon: docker's own config.json rules (`credHelpers[host]`, else `credsStore`, else base64
 * `auths`), helpers spoken to over their stdin/stdout protocol.
 *
 * Every change is written to a journal in the session directory (under RUNNER_TEMP, owner-only)
 * BEFORE it is made, so the post step can undo exactly what happened even if the main step died
 * half-way: helper entries are erased or given back their previous value, and in `user` scope
 * config.json gets its original bytes back.
 */
export type ConfigScope = 'job' | 'user';

type JournalEntry =
  | { kind: 'helper'; helper: string; serverUrl: string; previous: HelperCredentials | null }
  | { kind: 'auths'; key: string; previous: AuthEntry | null };

interface Journal {
  version: 1;
  scope: ConfigScope;
  /** The Docker config directory in use before this login (restored as DOCKER_CONFIG in job scope). */
  userConfigDir: string;
  /** Where the credentials go: a fresh directory (job) or userConfigDir (user). */
  configDir: string;
  /** user scope: whether config.json and its directory existed, and the hash of what we last wrote. */
  configExisted: boolean;
  dirCreated: boolean;
  writtenSha256?: string;
  entries: JournalEntry[];
}

const JOURNAL = 'journal.json';
const BACKUP = 'config.json.before';

export function newSessionDir(runnerTemp: string): string {
  return join(runnerTemp, `acr-ship-login-${randomBytes(6).toString('hex')}`);
}

function sha256(bytes: Buffer): string {
  return createHash('sha256').update(bytes).digest('hex');
}

function readBytes(file: string): Buffer | undefined {
  try {
    return readFileSync(file);
  } catch {
    return undefined;
  }
}

/** Same bytes back, atomically: a reader never sees half a config. */
function writeBytes(file: string, bytes: Buffer): void {
  const temp = `${file}.acr-ship-${process.pid}`;
  writeFileSync(temp, bytes, { mode: 0o600 });
  renameSync(temp, file);
}

/** Directories docker and buildx write into: shared with the user's, so builders outlive the job config. */
const SHARED_DIRS = ['buildx', 'cli-plugins'];

/**
 * The job-scoped config directory: the user's config.json copied, everything else (buildx
 * builders, cli-plugins, contexts…) linked, so later `docker buildx` steps still find their
 * builder and plugins while credentials stay in a directory the post step deletes. `buildx` and
 * `cli-plugins` are created in the user's directory if missing, so a builder or plugin set up
 * after this step lands where it would have without us (and other steps' post steps find it).
 */
function seedJobConfig(userDir: string, jobDir: string): void {
  mkdirSync(jobDir, { recursive: true, mode: 0o700 });
  for (const name of SHARED_DIRS) {
    try {
      mkdirSync(join(userDir, name), { recursive: true });
    } catch {
      // a read-only config directory: the job directory gets its own
    }
  }
  if (!existsSync(userDir)) return;
  for (const name of readdirSync(userDir)) {
    if (name === 'config.json') copyFileSync(join(userDir, name), join(jobDir, name));
    else if (!name.startsWith('config.json')) symlinkSync(join(userDir, name), join(jobDir, name));
  }
}

export class CredentialStore {
  private constructor(
    readonly sessionDir: string,
    private readonly journal: Journal,
    private readonly env: NodeJS.ProcessEnv,
  ) {}

  get configDir(): string {
    return this.journal.configDir;
  }

  get scope(): ConfigScope {
    return this.journal.scope;
  }

  /** Creates the session: the job-scoped config, or a backup of the user's config.json. */
  static open(sessionDir: string, scope: ConfigScope, userConfigDir: string, env: NodeJS.ProcessEnv): CredentialStore {
    mkdirSync(sessionDir, { recursive: true, mode: 0o700 });
    const configFile = join(userConfigDir, 'config.json');
    const journal: Journal = {
      version: 1,
      scope,
      userConfigDir,
      configDir: scope === 'job' ? join(sessionDir, 'docker-config') : userConfigDir,
      configExisted: existsSync(configFile),
      dirCreated: false,
      entries: [],
    };
    const store = new CredentialStore(sessionDir, journal, env);
    if (scope === 'job') {
      seedJobConfig(userConfigDir, journal.configDir);
    } else {
      if (journal.configExisted) copyFileSync(configFile, join(sessionDir, BACKUP));
      if (!existsSync(userConfigDir)) {
        journal.dirCreated = true;
        mkdirSync(userConfigDir, { recursive: true, mode: 0o700 });
      }
    }
    // Fails early on a config.json docker could not read either.
    readDockerConfig(journal.configDir);
    store.save();
    return store;
  }

  private save(): void {
    writeBytes(join(this.sessionDir, JOURNAL), Buffer.from(JSON.stringify(this.journal)));
  }

  /** Stores `credentials` for `host` where docker will look for them. */
  async store(host: string, credentials: Credentials): Promise<void> {
    const config = readDockerConfig(this.configDir);
    const key = authKey(host);
    const helperName = helperFor(config, host);
    if (helperName) {
      const helper = new CredentialHelper(helperName, this.env);
      const previous = await describeHelperFailure(helperName, this.configDir, () => helper.get(key));
      this.journal.entries.push({ kind: 'helper', helper: helperName, serverUrl: key, previous: previous ?? null });
      this.save();
      await describeHelperFailure(helperName, this.configDir, () =>
        helper.store({ ServerURL: key, Username: credentials.username, Secret: credentials.secret }),
      );
      return;
    }
    const auths = (config.auths ??= {});
    this.journal.entries.push({ kind: 'auths', key, previous: auths[key] ?? null });
    this.save();
    auths[key] = encodeAuth(credentials);
    writeDockerConfig(this.configDir, config);
    if (this.scope === 'user') {
      this.journal.writtenSha256 = sha256(readFileSync(join(this.configDir, 'config.json')));
      this.save();
    }
  }

  /** The credentials docker would use for `host` now: the stored ones read back. */
  read(host: string): Promise<Credentials | undefined> {
    return findCredentials(readDockerConfig(this.configDir), host, this.env);
  }

  /** For `logout: false`: the credentials stay and nothing needs undoing. */
  keep(): void {
    rmSync(join(this.sessionDir, JOURNAL), { force: true });
    rmSync(join(this.sessionDir, BACKUP), { force: true });
    if (this.scope === 'user') rmSync(this.sessionDir, { recursive: true, force: true });
  }
}

async function describeHelperFailure<T>(helper: string, configDir: string, fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (err) {
    throw new UserError(
      `${errorMessage(err)} (${join(configDir, 'config.json')} sends credentials to credential helper '${helper}': install docker-credential-${helper} or remove it from credsStore/credHelpers)`,
    );
  }
}

export interface UndoResult {
  /** The DOCKER_CONFIG later steps should use again (job scope), if the session exported one. */
  restoreDockerConfig?: string;
  undone: number;
}

function readJournal(sessionDir: string): Journal | undefined {
  const bytes = readBytes(join(sessionDir, JOURNAL));
  if (!bytes) return undefined;
  try {
    return JSON.parse(bytes.toString('utf8')) as Journal;
  } catch {
    return undefined;
  }
}

/** user scope: config.json back to its original bytes, or (if someone changed it since) just our entries undone. */
function restoreUserConfig(journal: Journal, sessionDir: string, problems: string[]): void {
  const file = join(journal.configDir, 'config.json');
  const ours = journal.entries.filter((e): e is Extract<JournalEntry, { kind: 'auths' }> => e.kind === 'auths');
  if (ours.length === 0) return;
  const current = readBytes(file);
  const untouchedSinceUs = current !== undefined && journal.writtenSha256 !== undefined && sha256(current) === journal.writtenSha256;
  try {
    if (untouchedSinceUs || current === undefined) {
      const backup = readBytes(join(sessionDir, BACKUP));
      if (journal.configExisted && backup) writeBytes(file, backup);
      else if (!journal.configExisted && current !== undefined) unlinkSync(file);
    } else {
      const config = readDockerConfig(journal.configDir);
      let auths = config.auths ?? {};
      for (const entry of [...ours].reverse()) {
        const { previous, key } = entry;
        auths = previous ? { ...auths, [key]: previous } : Object.fromEntries(Object.entries(auths).filter(([k]) => k !== key));
      }
      writeDockerConfig(journal.configDir, { ...config, auths });
    }
    if (journal.dirCreated && readdirSync(journal.configDir).length === 0) rmdirSync(journal.configDir);
  } catch (err) {
    problems.push(`could not restore ${file}: ${errorMessage(err)}`);
  }
}

/**
 * Undoes a login session (the post step, or a main step that failed): helper entries erased or
 * restored, the user's config.json restored, the session directory (and with it a job-scoped
 * config) deleted. Tries everything before reporting what could not be undone.
 */
export async function undoSession(sessionDir: string, env: NodeJS.ProcessEnv, log: Log): Promise<UndoResult> {
  const journal = readJournal(sessionDir);
  const problems: string[] = [];
  let undone = 0;
  if (journal) {
    for (const entry of [...journal.entries].reverse()) {
      if (entry.kind !== 'helper') continue;
      try {
        const helper = new CredentialHelper(entry.helper, env);
        if (entry.previous) await helper.store(entry.previous);
        else await helper.erase(entry.serverUrl);
        undone++;
      } catch (err) {
        problems.push(
          `could not remove the credentials for ${entry.serverUrl} from docker-credential-${entry.helper}: ${errorMessage(err)}`,
        );
      }
    }
    if (journal.scope === 'user') {
      restoreUserConfig(journal, sessionDir, problems);
      undone += journal.entries.filter((e) => e.kind === 'auths').length;
    } else {
      undone += journal.entries.filter((e) => e.kind === 'auths').length;
    }
  }
  try {
    rmSync(sessionDir, { recursive: true, force: true });
  } catch (err) {
    problems.push(`could not delete ${sessionDir}: ${errorMessage(err)}`);
  }
  if (problems.length > 0) throw new UserError(problems.join('; '));
  log.debug(`login session ${sessionDir}: ${undone} credential change(s) undone`);
  return { restoreDockerConfig: journal?.scope === 'job' ? journal.userConfigDir : undefined, undone };
}
