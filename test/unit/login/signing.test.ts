/**
 * Every official or verified signature vector in acr-facts.md §1c, reproduced by src/acr/signing.
 */
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  canonicalQuery,
  EMPTY_SHA256,
  hmacSha1,
  percentEncode,
  roaCanonicalResource,
  roaSignature,
  roaStringToSign,
  rpcSignature,
  rpcStringToSign,
  v3Authorization,
  v3CanonicalRequest,
} from '../../../src/acr/signing.js';
import { ROA_TOKENS_VECTOR, RPC_VECTOR_A, RPC_VECTOR_B } from '../../support/login/vectors.js';

describe('percent-encoding', () => {
  it('encodes space as %20 and * as %2A, keeps ~ and unreserved characters', () => {
    expect(percentEncode('a b*c~d-_.')).toBe('a%20b%2Ac~d-_.');
    expect(percentEncode("!'()")).toBe('%21%27%28%29');
    expect(percentEncode('2016-02-23T12:46:24Z')).toBe('2016-02-23T12%3A46%3A24Z');
    expect(percentEncode('中')).toBe('%E4%B8%AD');
  });
});

describe('RPC HMAC-SHA1', () => {
  it('vector A (DescribeDedicatedHosts): string to sign and signature', () => {
    expect(rpcStringToSign('GET', RPC_VECTOR_A.params)).toBe(RPC_VECTOR_A.stringToSign);
    expect(rpcSignature('GET', RPC_VECTOR_A.params, RPC_VECTOR_A.secret)).toBe(RPC_VECTOR_A.signature);
  });

  const vectorB = RPC_VECTOR_B.params;

  it('vector B (DescribeRegions, the older ECS example)', () => {
    expect(rpcStringToSign('GET', vectorB)).toBe(RPC_VECTOR_B.stringToSign);
    expect(rpcSignature('GET', vectorB, RPC_VECTOR_B.secret)).toBe(RPC_VECTOR_B.signature);
  });

  it('vector B with the misspelt TimeStamp sorts differently and gives the documented other signature', () => {
    const { Timestamp, ...rest } = vectorB;
    expect(rpcSignature('GET', { ...rest, TimeStamp: Timestamp }, RPC_VECTOR_B.secret)).toBe(RPC_VECTOR_B.misspeltSignature);
  });

  it('leaves an existing Signature parameter out of what it signs', () => {
    expect(rpcStringToSign('GET', { ...vectorB, Signature: 'x' })).toBe(rpcStringToSign('GET', vectorB));
  });

  it('sorts by name and encodes names and values', () => {
    expect(canonicalQuery({ b: 'x y', a: '1*', 'c~': '~' })).toBe('a=1%2A&b=x%20y&c~=~');
  });
});

describe('ROA HMAC-SHA1', () => {
  it('SDK vector: HMAC-SHA1 of "stringtosign" with key "accessKeySecret"', () => {
    expect(roaSignature('stringtosign', 'accessKeySecret')).toBe('9/j11e+L9jW8mC9eUA23Wn3c0fs=');
  });

  it('SDK vector: string to sign with only Accept set', () => {
    expect(roaStringToSign('GET', '/', { accept: 'application/json' })).toBe('GET\napplication/json\n\n\n\n/');
  });

  it('SDK vector: canonical resource with a query', () => {
    expect(roaCanonicalResource('/', { key: 'value', key1: 'value2' })).toBe('/?key=value&key1=value2');
  });

  it('derived self-check: GET /tokens with the x-acs-* headers', () => {
    const sts = roaStringToSign('GET', '/tokens', ROA_TOKENS_VECTOR.headers);
    expect(sts).toBe(ROA_TOKENS_VECTOR.stringToSign);
    expect(roaSignature(sts, ROA_TOKENS_VECTOR.secret)).toBe(ROA_TOKENS_VECTOR.signature);
  });

  it('signs the secret without the RPC "&" suffix', () => {
    expect(roaSignature('x', 'k')).toBe(hmacSha1('k', 'x'));
    expect(roaSignature('x', 'k')).not.toBe(hmacSha1('k&', 'x'));
  });
});

describe('V3 ACS3-HMAC-SHA256', () => {
  const request = {
    method: 'POST',
    path: '/',
    query: { ImageId: 'win2019_1809_x64_dtc_zh-cn_40G_alibase_20230811.vhd', RegionId: 'cn-shanghai' },
    headers: {
      host: 'ecs.cn-shanghai.aliyuncs.com',
      'x-acs-action': 'RunInstances',
      'x-acs-version': '2014-05-26',
      'x-acs-date': '2023-10-26T10:22:32Z',
      'x-acs-signature-nonce': '3156853299f313e23d1673dc12e1703d',
      'x-acs-content-sha256': EMPTY_SHA256,
    },
    payloadHash: EMPTY_SHA256,
  };

  it('official vector: canonical request and its hash', () => {
    const { canonical } = v3CanonicalRequest(request);
    expect(canonical).toBe(
      [
        'POST',
        '/',
        'ImageId=win2019_1809_x64_dtc_zh-cn_40G_alibase_20230811.vhd&RegionId=cn-shanghai',
        'host:ecs.cn-shanghai.aliyuncs.com',
        'x-acs-action:RunInstances',
        `x-acs-content-sha256:${EMPTY_SHA256}`,
        'x-acs-date:2023-10-26T10:22:32Z',
        'x-acs-signature-nonce:3156853299f313e23d1673dc12e1703d',
        'x-acs-version:2014-05-26',
        '',
        'host;x-acs-action;x-acs-content-sha256;x-acs-date;x-acs-signature-nonce;x-acs-version',
        EMPTY_SHA256,
      ].join('\n'),
    );
    expect(createHash('sha256').update(canonical).digest('hex')).toBe('7ea06492da5221eba5297e897ce16e55f964061054b7695beedaac1145b1e259');
  });

  it('official vector: signature and Authorization header', () => {
    expect(v3Authorization(request, 'YourAccessKeyId', 'YourAccessKeySecret')).toBe(
      'ACS3-HMAC-SHA256 Credential=YourAccessKeyId,SignedHeaders=host;x-acs-action;x-acs-content-sha256;x-acs-date;x-acs-signature-nonce;x-acs-version,Signature=06563a9e1b43f5dfe96b81484da74bceab24a1d853912eee15083a6f0f3283c0',
    );
  });

  it('the empty-body hash is SHA-256 of nothing', () => {
    expect(createHash('sha256').update('').digest('hex')).toBe(EMPTY_SHA256);
  });
});
