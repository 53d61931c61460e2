import { describe, expect, it } from 'vitest';
import {
  checkRegion,
  crApiUrl,
  endpointUrl,
  enterpriseRegistryHost,
  parseAcrHost,
  personalRegistryHost,
  stsApiUrl,
} from '../../../src/acr/endpoints.js';
import { registryApiHost } from '../../../src/docker/registry.js';

describe('ACR registry domains', () => {
  it('derives Personal Edition (legacy) and Enterprise Edition hosts, public and VPC', () => {
    expect(personalRegistryHost('cn-hangzhou', 'public')).toBe('registry.cn-hangzhou.aliyuncs.com');
    expect(personalRegistryHost('cn-hangzhou', 'vpc')).toBe('registry-vpc.cn-hangzhou.aliyuncs.com');
    expect(enterpriseRegistryHost('acme', 'cn-shanghai', 'public')).toBe('acme-registry.cn-shanghai.cr.aliyuncs.com');
    expect(enterpriseRegistryHost('test-instance', 'cn-hangzhou', 'vpc')).toBe('test-instance-registry-vpc.cn-hangzhou.cr.aliyuncs.com');
  });

  it('reads edition, region, network and instance back from a host', () => {
    expect(parseAcrHost('registry.cn-hangzhou.aliyuncs.com')).toEqual({ edition: 'personal', region: 'cn-hangzhou', network: 'public' });
    expect(parseAcrHost('registry-vpc.ap-southeast-1.aliyuncs.com')).toEqual({
      edition: 'personal',
      region: 'ap-southeast-1',
      network: 'vpc',
    });
    expect(parseAcrHost('registry-internal.cn-shanghai.aliyuncs.com')?.network).toBe('internal');
    expect(parseAcrHost('crpi-abc123xyz.cn-hangzhou.personal.cr.aliyuncs.com')).toEqual({
      edition: 'personal',
      region: 'cn-hangzhou',
      network: 'public',
      instance: 'crpi-abc123xyz',
    });
    expect(parseAcrHost('crpi-abc123xyz-vpc.cn-hangzhou.personal.cr.aliyuncs.com')).toMatchObject({
      network: 'vpc',
      instance: 'crpi-abc123xyz',
    });
    expect(parseAcrHost('shanghai-instance1-registry.cn-shanghai.cr.aliyuncs.com')).toEqual({
      edition: 'enterprise',
      region: 'cn-shanghai',
      network: 'public',
      instance: 'shanghai-instance1',
    });
    expect(parseAcrHost('test-instance-registry-vpc.cn-hangzhou.cr.aliyuncs.com')).toMatchObject({
      edition: 'enterprise',
      network: 'vpc',
      instance: 'test-instance',
    });
  });

  it('knows nothing about other registries', () => {
    for (const host of ['ghcr.io', 'docker.io', '127.0.0.1:5000', 'registry.example.com', 'cr.cn-hangzhou.aliyuncs.com'])
      expect(parseAcrHost(host)).toBeUndefined();
  });
});

describe('API endpoints', () => {
  it('cr and STS per region', () => {
    expect(crApiUrl('cn-hangzhou').host).toBe('cr.cn-hangzhou.aliyuncs.com');
    expect(stsApiUrl(undefined, 'public').host).toBe('sts.aliyuncs.com');
    expect(stsApiUrl('cn-beijing', 'public').host).toBe('sts.cn-beijing.aliyuncs.com');
    expect(stsApiUrl('cn-beijing', 'vpc').host).toBe('sts-vpc.cn-beijing.aliyuncs.com');
  });

  it('overrides: host or base URL, nothing else', () => {
    expect(endpointUrl('cr-vpc.cn-hangzhou.aliyuncs.com', 'x').toString()).toBe('https://cr-vpc.cn-hangzhou.aliyuncs.com/');
    expect(endpointUrl('http://127.0.0.1:8080', 'x').toString()).toBe('http://127.0.0.1:8080/');
    expect(() => endpointUrl('https://host/path', "input 'api-endpoint'")).toThrow(
      "input 'api-endpoint': 'https://host/path' must be a host name or base URL",
    );
    expect(() => endpointUrl('ftp://host', "input 'api-endpoint'")).toThrow('must be an https:// URL');
    expect(() => endpointUrl('https://user:pw@host', "input 'api-endpoint'")).toThrow('must not carry credentials');
  });

  it('region ids', () => {
    expect(checkRegion('cn-beijing-finance-1')).toBe('cn-beijing-finance-1');
    expect(() => checkRegion('hangzhou')).toThrow("input 'region': 'hangzhou' is not an Alibaba Cloud region id");
  });
});

describe('registry API host', () => {
  it('Docker Hub is served from registry-1.docker.io; every other registry from itself', () => {
    expect(registryApiHost('docker.io')).toBe('registry-1.docker.io');
    expect(registryApiHost('index.docker.io')).toBe('registry-1.docker.io');
    expect(registryApiHost('ghcr.io')).toBe('ghcr.io');
  });
});
