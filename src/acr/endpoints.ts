import { UserError } from '../base/errors.js';

/**
 * Where ACR lives: OpenAPI and STS endpoints per region, and the registry domains of each edition.
 * Personal Edition (legacy): registry[-vpc].<region>.aliyuncs.com; Personal Edition instances
 * created since 2024-09: crpi-<id>[-vpc].<region>.personal.cr.aliyuncs.com; Enterprise Edition:
 * <instance>-registry[-vpc].<region>.cr.aliyuncs.com. (Reading a host back: hosts.ts.)
 */
export type Network = 'public' | 'vpc';

/** cn-hangzhou, ap-southeast-1, us-west-1, cn-beijing-finance-1… */
const REGION = /^[a-z]{2,}(?:-[a-z0-9]+)+$/;

export function isRegion(value: string): boolean {
  return REGION.test(value);
}

export function checkRegion(region: string, what = "input 'region'"): string {
  if (!isRegion(region)) throw new UserError(`${what}: '${region}' is not an Alibaba Cloud region id (e.g. cn-hangzhou, ap-southeast-1)`);
  return region;
}

/**
 * An endpoint override (`api-endpoint`, `sts-endpoint`) as a base URL: a bare host means HTTPS;
 * http:// is accepted for private endpoints and tests on loopback.
 */
export function endpointUrl(value: string, what: string): URL {
  const text = /^[a-z][a-z0-9+.-]*:\/\//i.test(value) ? value : `https://${value}`;
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new UserError(`${what}: '${value}' is not a host name or URL`);
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:')
    throw new UserError(`${what}: '${value}' must be an https:// URL or a host name`);
  if (url.username || url.password) throw new UserError(`${what}: '${url.host}' must not carry credentials in the URL`);
  if (url.search || url.hash || (url.pathname !== '/' && url.pathname !== '')) {
    throw new UserError(`${what}: '${value}' must be a host name or base URL without path or query`);
  }
  return new URL(`${url.protocol}//${url.host}`);
}

/** The Container Registry OpenAPI endpoint of a region (both API versions share it). */
export function crApiUrl(region: string): URL {
  return new URL(`https://cr.${region}.aliyuncs.com`);
}

/** STS: the central endpoint, or the region's own (VPC runners cannot reach the central one). */
export function stsApiUrl(region: string | undefined, network: Network): URL {
  if (!region) return new URL('https://sts.aliyuncs.com');
  return new URL(`https://${network === 'vpc' ? 'sts-vpc' : 'sts'}.${region}.aliyuncs.com`);
}

export function personalRegistryHost(region: string, network: Network): string {
  return `registry${network === 'vpc' ? '-vpc' : ''}.${region}.aliyuncs.com`;
}

export function enterpriseRegistryHost(instanceName: string, region: string, network: Network): string {
  return `${instanceName}-registry${network === 'vpc' ? '-vpc' : ''}.${region}.cr.aliyuncs.com`;
}
