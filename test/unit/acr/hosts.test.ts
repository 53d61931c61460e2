import { describe, expect, it } from 'vitest';
import { consoleUrl, isAcrHost, parseAcrHost } from '../../../src/acr/hosts.js';

describe('parseAcrHost', () => {
  it('recognises Personal Edition legacy hosts, public, VPC and classic', () => {
    expect(parseAcrHost('registry.cn-hangzhou.aliyuncs.com')).toEqual({ edition: 'personal', region: 'cn-hangzhou', network: 'public' });
    expect(parseAcrHost('registry-vpc.cn-shanghai.aliyuncs.com')).toEqual({ edition: 'personal', region: 'cn-shanghai', network: 'vpc' });
    expect(parseAcrHost('registry-internal.ap-southeast-1.aliyuncs.com')).toMatchObject({
      edition: 'personal',
      region: 'ap-southeast-1',
      network: 'internal',
    });
  });
  it('recognises new Personal Edition instance hosts', () => {
    expect(parseAcrHost('crpi-k2abc9.cn-hangzhou.personal.cr.aliyuncs.com')).toEqual({
      edition: 'personal',
      instance: 'crpi-k2abc9',
      region: 'cn-hangzhou',
      network: 'public',
    });
    expect(parseAcrHost('crpi-k2abc9-vpc.cn-hangzhou.personal.cr.aliyuncs.com')).toMatchObject({ instance: 'crpi-k2abc9', network: 'vpc' });
  });
  it('recognises Enterprise Edition hosts, including instance names with dashes', () => {
    expect(parseAcrHost('acme-prod-registry.cn-shanghai.cr.aliyuncs.com')).toEqual({
      edition: 'enterprise',
      instance: 'acme-prod',
      region: 'cn-shanghai',
      network: 'public',
    });
    expect(parseAcrHost('test-instance-registry-vpc.cn-hangzhou.cr.aliyuncs.com')).toMatchObject({
      edition: 'enterprise',
      instance: 'test-instance',
      network: 'vpc',
    });
  });
  it('is not fooled by look-alikes', () => {
    for (const host of ['ghcr.io', 'registry.example.com', 'registry.cn-hangzhou.aliyuncs.com.evil.io', '127.0.0.1:5000', 'docker.io'])
      expect(isAcrHost(host)).toBe(false);
  });
  it('links the console page of a Personal Edition repository', () => {
    expect(consoleUrl('registry.cn-hangzhou.aliyuncs.com', 'acme/web')).toBe(
      'https://cr.console.aliyun.com/repository/cn-hangzhou/acme/web/details',
    );
    expect(consoleUrl('acme-registry.cn-shanghai.cr.aliyuncs.com', 'acme/web')).toBe('https://cr.console.aliyun.com/cn-shanghai/instances');
    expect(consoleUrl('ghcr.io', 'acme/web')).toBeUndefined();
  });
});
