import { describe, expect, it } from 'vitest';
import { parseKeyValues, parseList } from '../../../src/base/lists.js';

describe('parseList (Docker actions list syntax)', () => {
  it('splits on newlines and commas, trimming and dropping empties', () => {
    expect(parseList('linux/amd64, linux/arm64\n\n  linux/arm/v7 ,')).toEqual(['linux/amd64', 'linux/arm64', 'linux/arm/v7']);
  });
  it('keeps commas inside double quotes and unescapes doubled quotes', () => {
    expect(parseList('"type=registry,ref=a/b:cache",plain\n"say ""hi"""')).toEqual(['type=registry,ref=a/b:cache', 'plain', 'say "hi"']);
  });
  it('with ignoreComma treats each line as one item and strips a whole-line quote', () => {
    expect(parseList('type=registry,ref=x,mode=max\n"A=1,2"', { ignoreComma: true })).toEqual(['type=registry,ref=x,mode=max', 'A=1,2']);
  });
  it('keeps quotes that do not wrap the whole line', () => {
    expect(parseList('FOO="bar"', { ignoreComma: true })).toEqual(['FOO="bar"']);
  });
  it('skips comment lines when asked', () => {
    expect(parseList('# heading\na\n  # indented\nb', { comment: '#' })).toEqual(['a', 'b']);
  });
  it('accepts CRLF line ends', () => {
    expect(parseList('a\r\nb\r\n')).toEqual(['a', 'b']);
  });
});

describe('parseKeyValues', () => {
  it('splits on the first = and keeps the rest verbatim', () => {
    expect(parseKeyValues(['A=1', 'B=x=y', 'C='])).toEqual({ values: { A: '1', B: 'x=y', C: '' } });
  });
  it('reports the first line that is not KEY=VALUE', () => {
    expect(parseKeyValues(['A=1', 'BROKEN', '=x']).bad).toBe('BROKEN');
    expect(parseKeyValues(['=x']).bad).toBe('=x');
  });
});
