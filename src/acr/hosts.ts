/**
 * Which ACR a registry host belongs to, from its name alone (acr-facts.md §2). The edition
 * decides what the registry accepts: Personal Edition rejects BuildKit cache manifests, and
 * every ACR edition rejects attestation manifests.
 */
export type AcrEdition = 'personal' | 'enterprise';

export interface AcrHost {
  edition: AcrEdition;
  region: string;
  network: 'public' | 'vpc' | 'internal';
  /** Enterprise instance name, or the `crpi-…` id of a new Personal Edition instance. */
  instance?: string;
}

const REGION = '([a-z]{2}-[a-z0-9-]+?)';

const PATTERNS: { re: RegExp; edition: AcrEdition; parse: (m: RegExpExecArray) => Omit<AcrHost, 'edition'> }[] = [
  {
    // registry.cn-hangzhou.aliyuncs.com, registry-vpc.…, registry-internal.…
    re: new RegExp(`^registry(-vpc|-internal)?\\.${REGION}\\.aliyuncs\\.com$`),
    edition: 'personal',
    parse: (m) => ({ region: m[2] ?? '', network: m[1] === '-vpc' ? 'vpc' : m[1] === '-internal' ? 'internal' : 'public' }),
  },
  {
    // crpi-abc123.cn-hangzhou.personal.cr.aliyuncs.com, crpi-abc123-vpc.…
    re: new RegExp(`^(crpi-[a-z0-9]+?)(-vpc)?\\.${REGION}\\.personal\\.cr\\.aliyuncs\\.com$`),
    edition: 'personal',
    parse: (m) => ({ instance: m[1], region: m[3] ?? '', network: m[2] ? 'vpc' : 'public' }),
  },
  {
    // myinstance-registry.cn-shanghai.cr.aliyuncs.com, myinstance-registry-vpc.…
    re: new RegExp(`^([a-z0-9][a-z0-9-]*?)-registry(-vpc)?\\.${REGION}\\.cr\\.aliyuncs\\.com$`),
    edition: 'enterprise',
    parse: (m) => ({ instance: m[1], region: m[3] ?? '', network: m[2] ? 'vpc' : 'public' }),
  },
];

export function parseAcrHost(host: string): AcrHost | undefined {
  const name = host.toLowerCase().replace(/:\d+$/, '');
  for (const { re, edition, parse } of PATTERNS) {
    const m = re.exec(name);
    if (m) return { edition, ...parse(m) };
  }
  return undefined;
}

export function isAcrHost(host: string): boolean {
  return parseAcrHost(host) !== undefined;
}

/** The console page of a repository, where people check what shipped. */
export function consoleUrl(host: string, repository: string): string | undefined {
  const acr = parseAcrHost(host);
  if (!acr) return undefined;
  const [namespace, name] = repository.split('/');
  if (!namespace || !name) return undefined;
  if (acr.edition === 'personal' && !acr.instance) {
    return `https://cr.console.aliyun.com/repository/${acr.region}/${namespace}/${name}/details`;
  }
  // Enterprise and new Personal instances are addressed by instance id, which the host name does
  // not carry: link the region's instance list.
  return `https://cr.console.aliyun.com/${acr.region}/instances`;
}
