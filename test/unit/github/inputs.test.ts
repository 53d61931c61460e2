import { describe, expect, it } from 'vitest';
import { Inputs } from '../../../src/github/inputs.js';

const inputs = (env: Record<string, string>): Inputs => new Inputs(env);

describe('Inputs', () => {
  it('reads INPUT_<NAME> upper-cased with hyphens kept, trimmed', () => {
    expect(inputs({ 'INPUT_BUILD-ARGS': '  A=1 \n' }).string('build-args')).toBe('A=1');
    expect(inputs({ INPUT_MY_INPUT: 'x' }).string('my input')).toBe('x');
  });
  it('parses YAML 1.2 booleans and names the input otherwise', () => {
    expect(inputs({ INPUT_PUSH: 'True' }).boolean('push', false)).toBe(true);
    expect(inputs({}).boolean('push', true)).toBe(true);
    expect(() => inputs({ INPUT_PUSH: 'yes' }).boolean('push', false)).toThrow("input 'push' must be true or false, not 'yes'");
  });
  it('accepts keywords beside booleans', () => {
    expect(inputs({ INPUT_X: 'auto' }).booleanOr('x', ['auto'], false)).toBe('auto');
    expect(inputs({ INPUT_X: 'false' }).booleanOr('x', ['auto'], true)).toBe(false);
    expect(() => inputs({ INPUT_X: 'maybe' }).booleanOr('x', ['auto'], true)).toThrow("input 'x' must be true, false or auto; got 'maybe'");
  });
  it('checks integers against a range', () => {
    expect(inputs({ INPUT_RETRIES: '3' }).integer('retries', 2, { min: 0, max: 10 })).toBe(3);
    expect(() => inputs({ INPUT_RETRIES: '-1' }).integer('retries', 2, { min: 0, max: 10 })).toThrow(
      "input 'retries' must be a whole number from 0 to 10; got '-1'",
    );
    expect(() => inputs({ INPUT_RETRIES: '1.5' }).integer('retries', 2, { min: 0, max: 10 })).toThrow(/whole number/);
  });
  it('checks seconds are positive', () => {
    expect(inputs({ INPUT_TIMEOUT: '2.5' }).seconds('timeout', 10)).toBe(2.5);
    expect(() => inputs({ INPUT_TIMEOUT: '-3' }).seconds('timeout', 10)).toThrow(
      "input 'timeout' must be a positive number of seconds; got '-3'",
    );
  });
  it('checks enumerations', () => {
    expect(() => inputs({ INPUT_CACHE: 'disk' }).oneOf('cache', ['auto', 'none'], 'auto')).toThrow(
      "input 'cache' must be one of auto, none; got 'disk'",
    );
  });
  it('parses KEY=VALUE lines and names a bad one', () => {
    expect(inputs({ 'INPUT_BUILD-ARGS': 'A=1\nB=two words' }).keyValues('build-args')).toEqual({ A: '1', B: 'two words' });
    expect(() => inputs({ 'INPUT_BUILD-ARGS': 'A=1\nB' }).keyValues('build-args')).toThrow("input 'build-args': 'B' is not KEY=VALUE");
  });
  it('says what a required input is for', () => {
    expect(() => inputs({}).required('image', 'the repository to push to')).toThrow("input 'image' is required: the repository to push to");
  });
});
