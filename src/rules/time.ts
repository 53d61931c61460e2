import type { TIME_FORMATS } from './schema.js';

/**
 * The time suffix of a version, in an IANA zone. ACR stamps the push time in UTC+8, so the
 * default zone is Asia/Shanghai; Intl does the zone arithmetic (no tz database of our own).
 */
export type TimeFormat = (typeof TIME_FORMATS)[number];

export const DEFAULT_TIMEZONE = 'Asia/Shanghai';

const formatters = new Map<string, Intl.DateTimeFormat>();

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
  try {
    formatter(zone);
    return true;
  } catch {
    return false;
  }
}

export function formatTime(date: Date, format: TimeFormat, zone: string): string {
  const parts: Record<string, string> = {};
  for (const p of formatter(zone).formatToParts(date)) parts[p.type] = p.value;
  const day = `${parts.year}${parts.month}${parts.day}`;
  return format === 'yyyyMMdd' ? day : `${day}${parts.hour}${parts.minute}`;
}
