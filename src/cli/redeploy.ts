/**
 * node dist/cli.js redeploy — send a build's redeploy payload from a terminal, or replay one a
 * receiver missed, with the same core as the action.
 */
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { errorMessage, ErrorList, UserError } from '../base/errors.js';
import { parseList } from '../base/lists.js';
import { TextLog, type Log } from '../base/log.js';
import { deliverAll, sendDeliveries, type Delivery, type DeliveryOptions } from '../redeploy/deliver.js';
import { describePush } from '../redeploy/push.js';
import { parseReplayFile, pickDelivery } from '../redeploy/replay.js';
import { maskTrigger, parseWebhookUrl, type Trigger } from '../redeploy/trigger.js';

const USAGE = `usage: node dist/cli.js redeploy --webhook URL [--webhook URL…] WHAT [options]
WHAT is either
  --image REPO --tags T[,T…] --digest sha256:… [--platforms P,…] [--commit SHA] [--run-url URL]
or a file to replay
  --from FILE [--trigger NAME]   a saved 'deliveries' output (same payload and delivery id),
                                 a logged payload, or buildx's --metadata-file
options
  --webhook-env VAR     read a webhook URL from an environment variable (keeps it out of argv)
  --secret-env VAR      HMAC key from an environment variable: signs with X-Acr-Ship-Signature
  --method POST|GET     default POST (or the saved delivery's method)
  --retries N           extra attempts (default 3)
  --timeout S           seconds per attempt (default 10)
  --retry-delay S       first backoff in seconds (default 1)
  --total-timeout S     bound on everything (default (retries + 1) × timeout + 60)
  --verbose
Prints the deliveries as JSON on stdout; exits 1 if any delivery failed.`;

const OPTIONS = {
  webhook: { type: 'string', multiple: true },
  'webhook-env': { type: 'string', multiple: true },
  image: { type: 'string' },
  tags: { type: 'string', multiple: true },
  digest: { type: 'string' },
  platforms: { type: 'string' },
  commit: { type: 'string' },
  'run-url': { type: 'string' },
  from: { type: 'string' },
  trigger: { type: 'string' },
  method: { type: 'string' },
  'secret-env': { type: 'string' },
  retries: { type: 'string' },
  timeout: { type: 'string' },
  'retry-delay': { type: 'string' },
  'total-timeout': { type: 'string' },
  verbose: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
} as const;

type Values = ReturnType<typeof parseArgs<{ options: typeof OPTIONS }>>['values'];

function parseFlags(argv: string[]): Values {
  try {
    return parseArgs({ args: argv, options: OPTIONS, strict: true, allowPositionals: false }).values;
  } catch (err) {
    throw new UserError(`${errorMessage(err)} (see node dist/cli.js redeploy --help)`);
  }
}

/** `count`: a whole number ≥ 0 (retries); otherwise positive seconds, fractions allowed. */
function number(value: string | undefined, flag: string, fallback: number, count = false): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  const ok = count ? /^\d+$/.test(value.trim()) : value.trim() !== '' && Number.isFinite(n) && n > 0;
  if (!ok) throw new UserError(`${flag} must be ${count ? 'a whole number ≥ 0' : 'a positive number of seconds'}; got '${value}'`);
  return n;
}

function envVar(env: NodeJS.ProcessEnv, name: string, flag: string): string {
  const value = env[name]?.trim();
  if (!value) throw new UserError(`${flag} ${name}: the environment variable is not set`);
  return value;
}

/** Sends what the flags describe; returns the records. Exported for tests. */
export async function redeploy(values: Values, log: Log, env: NodeJS.ProcessEnv = process.env): Promise<Delivery[]> {
  const errors = new ErrorList();
  const urls = [
    ...(values.webhook ?? []),
    ...(values['webhook-env'] ?? []).map((name) => errors.attempt(() => envVar(env, name, '--webhook-env')) ?? ''),
  ].filter((u) => u !== '');
  const secretEnv = values['secret-env'];
  const secret = secretEnv ? errors.attempt(() => envVar(env, secretEnv, '--secret-env')) : undefined;
  for (const url of urls) maskTrigger(log, url, secret);
  if (urls.length === 0 && errors.size === 0) errors.add(new UserError('--webhook is required: the URL to call (or --webhook-env VAR)'));
  urls.forEach((url, i) => errors.attempt(() => parseWebhookUrl(url, `--webhook ${i + 1}`)));
  const method = values.method === undefined ? undefined : values.method.toUpperCase();
  if (method !== undefined && method !== 'POST' && method !== 'GET')
    errors.add(new UserError(`--method must be POST or GET; got '${values.method}'`));
  const retries = errors.attempt(() => number(values.retries, '--retries', 3, true)) ?? 3;
  const timeout = errors.attempt(() => number(values.timeout, '--timeout', 10)) ?? 10;
  const retryDelay = errors.attempt(() => number(values['retry-delay'], '--retry-delay', 1)) ?? 1;
  const totalTimeout = errors.attempt(() => number(values['total-timeout'], '--total-timeout', 0)) ?? 0;
  const source =
    values.from !== undefined ? errors.attempt(() => parseReplayFile(readFile(values.from ?? ''), values.from ?? '')) : undefined;
  const described =
    source?.kind === 'deliveries' || (values.from !== undefined && !source)
      ? undefined
      : errors.attempt(() =>
          describePush(
            {
              image: values.image,
              tags: source?.kind === 'metadata' ? source.references : (values.tags ?? []).flatMap((t) => parseList(t)),
              digest: source?.kind === 'metadata' ? source.digest : (values.digest ?? ''),
              platforms: parseList(values.platforms ?? ''),
              commit: values.commit,
              runUrl: values['run-url'],
              pushedAt: new Date(),
            },
            { image: '--image', tags: '--tags', digest: '--digest' },
          ),
        );
  errors.throwIfAny();

  const options: DeliveryOptions = {
    log,
    retries,
    timeoutMs: timeout * 1000,
    totalTimeoutMs: totalTimeout > 0 ? totalTimeout * 1000 : undefined,
    baseDelayMs: retryDelay * 1000,
  };
  const trigger = (url: string, i: number, name: string, fallback: 'POST' | 'GET'): Trigger => ({
    name: urls.length > 1 ? `${name}-${i + 1}` : name,
    url,
    filter: { type: 'all' },
    method: (method as 'POST' | 'GET' | undefined) ?? fallback,
    headers: {},
    secret,
  });

  if (source?.kind === 'deliveries') {
    const saved = pickDelivery(source.records, values.trigger, values.from ?? '');
    // The same payload and delivery id: a receiver that deduplicates ignores a copy it already has.
    const deliveryId = saved.deliveryId ?? randomUUID();
    log.info(`replaying ${saved.trigger}'s delivery ${deliveryId} (tag ${saved.payload.push_data.tag})`);
    return sendDeliveries(
      urls.map((url, i) => ({ trigger: trigger(url, i, saved.trigger, saved.method), deliveryId, payload: saved.payload })),
      options,
    );
  }
  if (!described) throw new UserError('--image, --tags and --digest (or --from FILE) say what to send');
  for (const other of described.otherImages) log.info(`not sent: ${other} is another repository than the image`);
  return deliverAll(
    urls.map((url, i) => trigger(url, i, 'webhook', 'POST')),
    described.push,
    options,
  );
}

function readFile(path: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch (err) {
    throw new UserError(`--from ${path} cannot be read: ${(err as NodeJS.ErrnoException).code ?? String(err)}`);
  }
}

export async function run(argv: string[]): Promise<number> {
  const values = parseFlags(argv);
  if (values.help) {
    process.stdout.write(USAGE + '\n');
    return 0;
  }
  const log = new TextLog(undefined, values.verbose ?? false);
  const deliveries = await redeploy(values, log);
  process.stdout.write(JSON.stringify(deliveries, null, 2) + '\n');
  return deliveries.some((d) => d.result === 'failed') ? 1 : 0;
}
