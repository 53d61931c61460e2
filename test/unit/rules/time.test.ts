import { describe, expect, it } from 'vitest';
import { DEFAULT_TIMEZONE, formatTime, icuFields, isTimeZone } from '../../../src/rules/time.js';

describe('time suffix', () => {
  it('formats yyyyMMdd and yyyyMMddHHmm in UTC+8 by default, as ACR does', () => {
    const t = new Date('2020-10-15T08:25:00Z');
    expect(DEFAULT_TIMEZONE).toBe('Asia/Shanghai');
    expect(formatTime(t, 'yyyyMMdd', DEFAULT_TIMEZONE)).toBe('20201015');
    expect(formatTime(t, 'yyyyMMddHHmm', DEFAULT_TIMEZONE)).toBe('202010151625');
  });

  it('crosses midnight into the next day in Shanghai while UTC is still on the previous one', () => {
    const evening = new Date('2020-12-31T16:30:00Z'); // 00:30 on 1 January in UTC+8
    expect(formatTime(evening, 'yyyyMMddHHmm', 'Asia/Shanghai')).toBe('202101010030');
    expect(formatTime(evening, 'yyyyMMdd', 'Asia/Shanghai')).toBe('20210101');
    expect(formatTime(evening, 'yyyyMMdd', 'UTC')).toBe('20201231');
    expect(formatTime(new Date('2020-12-31T15:59:00Z'), 'yyyyMMddHHmm', 'Asia/Shanghai')).toBe('202012312359');
  });

  it('writes midnight as 00, never 24', () => {
    expect(formatTime(new Date('2021-03-01T00:05:00Z'), 'yyyyMMddHHmm', 'Europe/London')).toBe('202103010005');
    expect(formatTime(new Date('2021-02-28T16:00:00Z'), 'yyyyMMddHHmm', 'Asia/Shanghai')).toBe('202103010000');
  });

  it('follows daylight saving time in other zones', () => {
    expect(formatTime(new Date('2021-07-01T12:00:00Z'), 'yyyyMMddHHmm', 'America/New_York')).toBe('202107010800');
    expect(formatTime(new Date('2021-01-01T12:00:00Z'), 'yyyyMMddHHmm', 'America/New_York')).toBe('202101010700');
    // China used daylight saving time until 1991; old dates go through ICU.
    expect(formatTime(new Date('1988-06-01T00:00:00Z'), 'yyyyMMddHHmm', 'Asia/Shanghai')).toBe('198806010900');
  });

  it('computes fixed-offset zones exactly as ICU does', () => {
    const zones = [
      'UTC',
      'Etc/UTC',
      'Etc/GMT',
      'Asia/Shanghai',
      'PRC',
      'Asia/Chongqing',
      'Etc/GMT-8',
      'Etc/GMT+5',
      'Etc/GMT-14',
      'Etc/GMT+12',
    ];
    for (const zone of zones) {
      // About monthly from 1992 to 2060, in steps that are not whole days, so every hour comes up.
      for (let ms = Date.UTC(1992, 0, 1); ms < Date.UTC(2060, 0, 1); ms += (7 * 60 + 13) * 60_000 * 97) {
        const d = new Date(ms);
        const p = icuFields(d, zone);
        expect(formatTime(d, 'yyyyMMddHHmm', zone), `${zone} at ${d.toISOString()}`).toBe(
          `${p.year}${p.month}${p.day}${p.hour}${p.minute}`,
        );
      }
    }
  });

  it('knows IANA zones and rejects others', () => {
    for (const zone of ['Asia/Shanghai', 'UTC', 'Europe/Berlin', 'Etc/GMT-8', 'America/Argentina/Buenos_Aires'])
      expect(isTimeZone(zone), zone).toBe(true);
    for (const zone of ['Asia/Beijing', 'UTC+8', 'Etc/GMT-15', 'nowhere', '']) expect(isTimeZone(zone), zone).toBe(false);
  });
});
