import { parseAcrHost } from '../acr/hosts.js';
import type { PushedImage } from './push.js';

/**
 * The body ACR's own triggers send (doc-detail/60949, "Notification content"), so receivers
 * written for ACR keep working, plus one extension object with what ACR leaves out. Every ACR
 * field is a string, as in ACR's sample; key order follows the sample too.
 */
export interface AcrPayload {
  push_data: {
    digest: string;
    /** `yyyy-MM-dd HH:mm:ss`, China Standard Time (UTC+8), no zone: ACR's format. */
    pushed_at: string;
    /** The first pushed tag the trigger's filter passes. */
    tag: string;
  };
  repository: {
    date_created: string;
    name: string;
    namespace: string;
    /** e.g. cn-hangzhou for an ACR host; '' for any other registry. */
    region: string;
    repo_authentication_type: string;
    /** `namespace/name` */
    repo_full_name: string;
    repo_origin_type: string;
    repo_type: string;
  };
  acr_ship: AcrShipExtension;
}

/** What acr-ship adds. Receivers that only know ACR's fields ignore it. */
export interface AcrShipExtension {
  /** Bumped if a field changes meaning; new fields may appear without a bump. */
  version: 1;
  /** Same as the X-Acr-Ship-Delivery header: constant across retries and replays. */
  delivery_id: string;
  /** The full repository reference, e.g. registry.cn-hangzhou.aliyuncs.com/acme/web */
  image: string;
  /** Every pushed tag the filter passes, in push order (ACR sends one delivery per tag; we send one). */
  tags: string[];
  digest: string;
  platforms: string[];
  commit: string;
  run_url: string;
  /** pushed_at as an ISO 8601 UTC instant, for receivers that do not assume ACR's zone. */
  pushed_at: string;
}

const UTC_PLUS_8_MS = 8 * 60 * 60 * 1000;

/** ACR's timestamp format: the wall-clock time in UTC+8, `yyyy-MM-dd HH:mm:ss`. */
export function acrTime(date: Date): string {
  return new Date(date.getTime() + UTC_PLUS_8_MS).toISOString().slice(0, 19).replace('T', ' ');
}

/** The region of an ACR registry host; '' for any other host (custom domains included). */
export function acrRegion(registry: string): string {
  return parseAcrHost(registry)?.region ?? '';
}

/** ACR's namespace is the first path level; the repository name is the rest. */
export function splitRepository(repository: string): { namespace: string; name: string } {
  const slash = repository.indexOf('/');
  return slash < 0 ? { namespace: '', name: repository } : { namespace: repository.slice(0, slash), name: repository.slice(slash + 1) };
}

/**
 * The payload for one trigger: `passing` are the pushed tags its filter passes (at least one).
 * ACR knows when the repository was created; we do not, so `date_created` carries the push time
 * in the same format rather than a made-up date.
 */
export function buildPayload(push: PushedImage, passing: readonly string[], deliveryId: string): AcrPayload {
  const { namespace, name } = splitRepository(push.repository);
  const pushedAt = acrTime(push.pushedAt);
  return {
    push_data: { digest: push.digest, pushed_at: pushedAt, tag: passing[0] ?? '' },
    repository: {
      date_created: pushedAt,
      name,
      namespace,
      region: acrRegion(push.registry),
      repo_authentication_type: 'NO_CERTIFIED',
      repo_full_name: push.repository,
      repo_origin_type: 'NO_CERTIFIED',
      repo_type: push.repoType,
    },
    acr_ship: {
      version: 1,
      delivery_id: deliveryId,
      image: `${push.registry}/${push.repository}`,
      tags: [...passing],
      digest: push.digest,
      platforms: [...push.platforms],
      commit: push.commit,
      run_url: push.runUrl,
      pushed_at: push.pushedAt.toISOString(),
    },
  };
}
