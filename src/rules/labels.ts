import { UserError } from '../base/errors.js';

/**
 * OCI image labels, the set docker/metadata-action writes, from the run's own variables only:
 * no GitHub API call, so planning works offline, on GHES and without a token. (Description and
 * licence need the API; they are left out.)
 */
export interface LabelFacts {
  serverUrl: string;
  /** `owner/name`; empty when unknown. */
  repository: string;
  /** The commit the image is built from. */
  revision: string;
  version: string;
  created: Date;
}

export function ociLabels(facts: LabelFacts): Record<string, string> {
  const repoUrl = facts.repository ? `${facts.serverUrl}/${facts.repository}` : '';
  const entries: [string, string][] = [
    ['org.opencontainers.image.created', facts.created.toISOString()],
    ['org.opencontainers.image.revision', facts.revision],
    ['org.opencontainers.image.source', repoUrl],
    ['org.opencontainers.image.title', facts.repository.split('/').pop() ?? ''],
    ['org.opencontainers.image.url', repoUrl],
    ['org.opencontainers.image.version', facts.version],
  ];
  // An empty label says nothing and would overwrite a base image's real one.
  return Object.fromEntries(entries.filter(([, v]) => v !== ''));
}

/** The creation time: SOURCE_DATE_EPOCH (reproducible builds) when set, else the clock. */
export function creationTime(now: Date, sourceDateEpoch: string | undefined): Date {
  if (sourceDateEpoch === undefined || sourceDateEpoch.trim() === '') return now;
  const text = sourceDateEpoch.trim();
  const seconds = Number(text);
  if (!/^[0-9]+$/.test(text) || !Number.isSafeInteger(seconds) || seconds * 1000 > 8.64e15) {
    throw new UserError(`SOURCE_DATE_EPOCH must be whole seconds since 1970-01-01 UTC, e.g. 1700000000; got '${text}'`);
  }
  return new Date(seconds * 1000);
}
