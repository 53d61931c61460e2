import { describe, expect, it } from 'vitest';
import { acrRegion, acrTime, buildPayload, splitRepository } from '../../../src/redeploy/payload.js';
import type { PushedImage } from '../../../src/redeploy/push.js';

/** ACR's documented trigger notification (doc-detail/60949, "Notification content"). */
const ACR_SAMPLE = {
  push_data: {
    digest: 'sha256:457f4aa83fc9a6663ab9d1b0a6e2dce25a12a943ed5bf2c1747c58d48bbb4917',
    pushed_at: '2016-11-29 12:25:46',
    tag: 'latest',
  },
  repository: {
    date_created: '2016-10-28 21:31:42',
    name: 'repoTest',
    namespace: 'namespace',
    region: 'cn-hangzhou',
    repo_authentication_type: 'NO_CERTIFIED',
    repo_full_name: 'namespace/repoTest',
    repo_origin_type: 'NO_CERTIFIED',
    repo_type: 'PUBLIC',
  },
};

const ACR_TIME = /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/;

function push(overrides: Partial<PushedImage> = {}): PushedImage {
  return {
    registry: 'registry.cn-hangzhou.aliyuncs.com',
    repository: 'namespace/repoTest',
    tags: ['latest'],
    digest: ACR_SAMPLE.push_data.digest,
    platforms: ['linux/amd64', 'linux/arm64'],
    commit: '3f4c2e1a9b8d7c6e5f4a3b2c1d0e9f8a7b6c5d4e',
    runUrl: 'https://github.com/acme/app/actions/runs/1001',
    // 12:25:46 in UTC+8, the sample's pushed_at.
    pushedAt: new Date('2016-11-29T04:25:46Z'),
    repoType: 'PUBLIC',
    ...overrides,
  };
}

describe('ACR trigger payload', () => {
  it("matches ACR's documented sample field for field: names, order, types, values", () => {
    const payload = buildPayload(push(), ['latest'], 'delivery-1');
    expect(Object.keys(payload)).toEqual(['push_data', 'repository', 'acr_ship']);
    expect(Object.keys(payload.push_data)).toEqual(Object.keys(ACR_SAMPLE.push_data));
    expect(Object.keys(payload.repository)).toEqual(Object.keys(ACR_SAMPLE.repository));
    for (const section of ['push_data', 'repository'] as const) {
      for (const [key, value] of Object.entries(payload[section])) {
        expect(typeof value, `${section}.${key}`).toBe(typeof (ACR_SAMPLE[section] as Record<string, unknown>)[key]);
      }
    }
    expect(payload.push_data).toEqual(ACR_SAMPLE.push_data);
    // We cannot know when the repository was created: everything else is ACR's value.
    expect({ ...payload.repository, date_created: ACR_SAMPLE.repository.date_created }).toEqual(ACR_SAMPLE.repository);
    expect(payload.repository.date_created).toMatch(ACR_TIME);
  });

  it('writes pushed_at as UTC+8 wall-clock time without a zone, across a day boundary', () => {
    expect(acrTime(new Date('2024-12-31T20:00:00Z'))).toBe('2025-01-01 04:00:00');
    expect(acrTime(new Date('2024-02-28T16:00:00.999Z'))).toBe('2024-02-29 00:00:00');
    expect(acrTime(new Date('2016-11-29T04:25:46Z'))).toMatch(ACR_TIME);
  });

  it('takes the region from ACR hosts only', () => {
    const cases: [string, string][] = [
      ['registry.cn-hangzhou.aliyuncs.com', 'cn-hangzhou'],
      ['registry-vpc.cn-shanghai.aliyuncs.com', 'cn-shanghai'],
      ['registry-internal.cn-beijing.aliyuncs.com', 'cn-beijing'],
      ['acme-registry.cn-hangzhou.cr.aliyuncs.com', 'cn-hangzhou'],
      ['acme-registry-vpc.eu-central-1.cr.aliyuncs.com', 'eu-central-1'],
      ['crpi-abc123.cn-shenzhen.personal.cr.aliyuncs.com', 'cn-shenzhen'],
      ['crpi-abc123-vpc.cn-hongkong.personal.cr.aliyuncs.com', 'cn-hongkong'],
      ['REGISTRY.CN-HANGZHOU.ALIYUNCS.COM:443', 'cn-hangzhou'],
      ['cr.cn-hangzhou.aliyuncs.com', ''],
      ['registry.example.com', ''],
      ['ghcr.io', ''],
      ['127.0.0.1:5000', ''],
      ['registry.cn-hangzhou.aliyuncs.com.evil.example', ''],
    ];
    for (const [host, region] of cases) expect(acrRegion(host), host).toBe(region);
  });

  it('splits namespace and name at the first level', () => {
    expect(splitRepository('acme/web')).toEqual({ namespace: 'acme', name: 'web' });
    expect(splitRepository('acme/team/web')).toEqual({ namespace: 'acme', name: 'team/web' });
    expect(splitRepository('web')).toEqual({ namespace: '', name: 'web' });
  });

  it('sends the first passing tag in push_data and all of them, with the build, in acr_ship', () => {
    const payload = buildPayload(
      push({ registry: 'ghcr.io', repository: 'acme/web', tags: ['1.2.3', '1.2', 'latest'] }),
      ['1.2.3', '1.2'],
      'd-7',
    );
    expect(payload.push_data.tag).toBe('1.2.3');
    expect(payload.repository.region).toBe('');
    expect(payload.repository.repo_type).toBe('PUBLIC');
    expect(payload.acr_ship).toEqual({
      version: 1,
      delivery_id: 'd-7',
      image: 'ghcr.io/acme/web',
      tags: ['1.2.3', '1.2'],
      digest: ACR_SAMPLE.push_data.digest,
      platforms: ['linux/amd64', 'linux/arm64'],
      commit: '3f4c2e1a9b8d7c6e5f4a3b2c1d0e9f8a7b6c5d4e',
      run_url: 'https://github.com/acme/app/actions/runs/1001',
      pushed_at: '2016-11-29T04:25:46.000Z',
    });
  });
});
