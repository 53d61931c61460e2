import { describe, expect, it } from 'vitest';
import { checkRegion, crApiUrl, endpointUrl, enterpriseRegistryHost, personalRegistryHost, stsApiUrl } from '../../../src/acr/endpoints.js';
import { registryApiHost } from '../../../src/docker/registry.js';

describe('ACR registry domains', () => {
  it('derives Personal Edition (legacy) and Enterprise Edition hosts, public and VPC', () => {
    expect(personalRegistryHost('cn-hangzhou', 'public')).toBe('registry.cn-hangzhou.aliyuncs.com');
    expect(personalRegistryHost('cn-hangzhou', 'vpc')).toBe('registry-vpc.cn-hangzhou.aliyuncs.com');
    expect(enterpriseRegistryHost('acme', 'cn-shanghai', 'public')).toBe('acme-registry.cn-shanghai.cr.aliyuncs.com');
    expect(enterpriseRegistryHost('test-instance', 'cn-hangzhou', 'vpc')).toBe('test-instance-registry-vpc.cn-hangzhou.cr.aliyuncs.com');
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
