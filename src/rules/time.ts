import type { TIME_FORMATS } from './schema.js';

/**
 * The time suffix of a version, in an IANA zone. ACR stamps the push time in UTC+8, so the
 * default zone is Asia/Shanghai; Intl does the zone arithmetic (no tz database of our own).
 */
export type TimeFormat = (typeof TIME_FORMATS)[number];

export const DEFAULT_TIMEZONE = 'Asia/Shanghai';

const formatters = new Map<string, Intl.DateTimeFormat>();

/*
 * Zones whose UTC offset does not change are computed directly: the first Intl.DateTimeFormat
 * with a timeZone makes ICU load its zone data, ~10 ms of every cold start. Asia/Shanghai (ACR's
 * UTC+8; PRC and Asia/Chongqing are its aliases) has had no daylight saving time since 1991, so
 * it is fixed from 1992 on; earlier dates go through Intl. A unit test holds this table to Intl.
 */
const FIXED_SINCE_1992 = Date.UTC(1992, 0, 1);
const FIXED_ZONES: Record<string, { minutes: number; since: number }> = {
  UTC: { minutes: 0, since: -Infinity },
  'Etc/UTC': { minutes: 0, since: -Infinity },
  'Etc/GMT': { minutes: 0, since: -Infinity },
  'Asia/Shanghai': { minutes: 480, since: FIXED_SINCE_1992 },
  PRC: { minutes: 480, since: FIXED_SINCE_1992 },
  'Asia/Chongqing': { minutes: 480, since: FIXED_SINCE_1992 },
};

/** Etc/GMT-8 is UTC+8: POSIX signs are inverted. */
function fixedZone(zone: string): { minutes: number; since: number } | undefined {
  const known = FIXED_ZONES[zone];
  if (known) return known;
  const m = /^Etc\/GMT([+-])([0-9]{1,2})$/.exec(zone);
  if (!m) return undefined;
  const hours = Number(m[2]);
  if (m[1] === '-' ? hours > 14 : hours > 12) return undefined;
  return { minutes: (m[1] === '-' ? 1 : -1) * hours * 60, since: -Infinity };
}

function formatter(zone: string): Intl.DateTimeFormat {
  let f = formatters.get(zone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone: zone,
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      // h23: midnight is 00, never 24.
      hourCycle: 'h23',
    });
    formatters.set(zone, f);
  }
  return f;
}

/** Whether Intl knows the zone (an IANA name such as Asia/Shanghai, or UTC). */
export function isTimeZone(zone: string): boolean {
  if (fixedZone(zone)) return true;
  try {
    formatter(zone);
    return true;
  } catch {
    return false;
  }
}

export interface Fields {
  year: string;
  month: string;
  day: string;
  hour: string;
  minute: string;
}

function fields(date: Date, zone: string): Fields {
  const fixed = fixedZone(zone);
  if (fixed && date.getTime() >= fixed.since) {
    const local = new Date(date.getTime() + fixed.minutes * 60_000);
    const two = (n: number) => String(n).padStart(2, '0');
    return {
      year: String(local.getUTCFullYear()).padStart(4, '0'),
      month: two(local.getUTCMonth() + 1),
      day: two(local.getUTCDate()),
      hour: two(local.getUTCHours()),
      minute: two(local.getUTCMinutes()),
    };
  }
  return icuFields(date, zone);
}

/** The fields as ICU gives them (exported so a test can hold the fixed-offset table to it). */
export function icuFields(date: Date, zone: string): Fields {
  const parts: Record<string, string> = {};
  for (const p of formatter(zone).formatToParts(date)) parts[p.type] = p.value;
  return { year: parts.year ?? '', month: parts.month ?? '', day: parts.day ?? '', hour: parts.hour ?? '', minute: parts.minute ?? '' };
}

export function formatTime(date: Date, format: TimeFormat, zone: string): string {
  const f = fields(date, zone);
  const day = `${f.year}${f.month}${f.day}`;
  return format === 'yyyyMMdd' ? day : `${day}${f.hour}${f.minute}`;
}
