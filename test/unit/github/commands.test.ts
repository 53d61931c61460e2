import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { appendSummary, command, exportVariable, fileCommand, setOutput, WorkflowLog } from '../../../src/github/commands.js';
import { parseFileCommands } from '../../support/runner.js';
import { scratchDir } from '../../support/scratch.js';

describe('workflow commands', () => {
  it('escapes data and properties as the runner expects', () => {
    expect(command('error', '50% done\nnext line', { file: 'a:b,c.yml', line: 3 })).toBe(
      '::error file=a%3Ab%2Cc.yml,line=3::50%25 done%0Anext line',
    );
    expect(command('debug', 'x', { file: undefined })).toBe('::debug::x');
  });
  it('writes outputs as heredoc blocks the runner parses back exactly', () => {
    const dir = scratchDir('cmd-');
    const env: NodeJS.ProcessEnv = { GITHUB_OUTPUT: join(dir, 'out'), GITHUB_ENV: join(dir, 'env'), GITHUB_STEP_SUMMARY: join(dir, 'sum') };
    for (const f of ['out', 'env', 'sum']) writeFileSync(join(dir, f), '');
    setOutput('tags', 'a:1\nb:2', env);
    setOutput('empty', '', env);
    exportVariable('DOCKER_CONFIG', '/tmp/x', env);
    appendSummary('| a |', env);
    expect(parseFileCommands(readFileSync(join(dir, 'out'), 'utf8'))).toEqual({ tags: 'a:1\nb:2', empty: '' });
    expect(parseFileCommands(readFileSync(join(dir, 'env'), 'utf8'))).toEqual({ DOCKER_CONFIG: '/tmp/x' });
    expect(env.DOCKER_CONFIG).toBe('/tmp/x');
    expect(readFileSync(join(dir, 'sum'), 'utf8')).toBe('| a |\n');
  });
  it('uses a fresh delimiter for every value', () => {
    expect(fileCommand('a', 'x')).not.toBe(fileCommand('a', 'x'));
  });
});

describe('WorkflowLog', () => {
  it('masks each line of a secret once and redacts it from later lines', () => {
    const lines: string[] = [];
    const log = new WorkflowLog((l) => lines.push(l), {});
    log.mask('pa55\nword');
    log.mask('pa55\nword');
    log.info('token is pa55\nword here');
    log.warning('pa55\nword again');
    expect(lines).toEqual(['::add-mask::pa55', '::add-mask::word', 'token is *** here', '::warning::*** again']);
  });
  it('prints debug lines only when step debugging is on', () => {
    const quiet: string[] = [];
    new WorkflowLog((l) => quiet.push(l), {}).debug('x');
    const loud: string[] = [];
    new WorkflowLog((l) => loud.push(l), { RUNNER_DEBUG: '1' }).debug('x');
    expect(quiet).toEqual([]);
    expect(loud).toEqual(['::debug::x']);
  });
  it('closes a group even when its body throws', async () => {
    const lines: string[] = [];
    const log = new WorkflowLog((l) => lines.push(l), {});
    await expect(log.group('Build', () => Promise.reject(new Error('boom')))).rejects.toThrow('boom');
    expect(lines).toEqual(['::group::Build', '::endgroup::']);
  });
});
