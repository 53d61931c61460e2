import { describe, expect, it } from 'vitest';
import { literalText, parseTemplate, renderTemplate, TemplateError } from '../../../src/rules/template.js';

describe('version templates', () => {
  it('splits literal text and variables, with optional length slices', () => {
    const t = parseTemplate('v${major}.${minor}-${sha:8}');
    expect(t.parts).toEqual([
      { text: 'v' },
      { variable: 'major', length: undefined },
      { text: '.' },
      { variable: 'minor', length: undefined },
      { text: '-' },
      { variable: 'sha', length: 8 },
    ]);
    expect(t.variables).toEqual(['major', 'minor', 'sha']);
    expect(literalText(t)).toBe('v.-');
  });

  it('renders values, cutting slices by characters', () => {
    const t = parseTemplate('${branch:3}-${sha:4}-${sha}');
    expect(renderTemplate(t, { branch: 'ñandú', sha: 'abcdef' })).toBe('ñan-abcd-abcdef');
    expect(renderTemplate(parseTemplate('${a:10}'), { a: 'short' })).toBe('short');
  });

  it('keeps a lone $ and text without variables as they are', () => {
    expect(renderTemplate(parseTemplate('latest'), {})).toBe('latest');
    expect(parseTemplate('a$b').parts).toEqual([{ text: 'a$b' }]);
  });

  it.each([
    ['v${sha', "'${' at character 2 has no closing '}'"],
    ['${}', "'${}' is not a variable; write ${name} or ${name:8}"],
    ['${a-b}', "'${a-b}' is not a variable"],
    ['${sha:x}', "'${sha:x}' is not a variable"],
    ['${sha:0}', "'${sha:0}': the length must be from 1 to 128"],
    ['${sha:129}', "'${sha:129}': the length must be from 1 to 128"],
  ])('rejects %s', (source, message) => {
    expect(() => parseTemplate(source)).toThrow(TemplateError);
    expect(() => parseTemplate(source)).toThrow(message);
  });
});
