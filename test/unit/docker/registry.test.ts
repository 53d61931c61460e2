import { describe, expect, it } from 'vitest';
import { parseChallenge } from '../../../src/docker/registry.js';

describe('parseChallenge', () => {
  it('reads Bearer challenges as Distribution and ACR send them', () => {
    expect(
      parseChallenge(
        'Bearer realm="https://dockerauth.cn-hangzhou.aliyuncs.com/auth",service="registry.aliyuncs.com:cn-hangzhou:26842",scope="repository:acme/web:pull,push"',
      ),
    ).toEqual({
      scheme: 'bearer',
      params: {
        realm: 'https://dockerauth.cn-hangzhou.aliyuncs.com/auth',
        service: 'registry.aliyuncs.com:cn-hangzhou:26842',
        scope: 'repository:acme/web:pull,push',
      },
    });
  });
  it('reads Basic and ignores other schemes', () => {
    expect(parseChallenge('Basic realm="acr-ship-stack"')).toEqual({ scheme: 'basic', params: { realm: 'acr-ship-stack' } });
    expect(parseChallenge('Negotiate abc')).toBeUndefined();
    expect(parseChallenge(undefined)).toBeUndefined();
  });
});
