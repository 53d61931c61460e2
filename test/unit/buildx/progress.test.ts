import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ProgressTracker, stepInstruction } from '../../../src/buildx/progress.js';
import { REPO_ROOT } from '../../stack/state.js';

/** Real `--progress=rawjson` output of buildx v0.37.2 building examples/hello for two platforms. */
function replay(name: string): { tracker: ProgressTracker; lines: string[] } {
  const lines: string[] = [];
  const tracker = new ProgressTracker((l) => lines.push(l));
  for (const line of readFileSync(join(REPO_ROOT, 'test/fixtures/buildx', name), 'utf8').split('\n')) tracker.feed(line);
  return { tracker, lines };
}

describe('stepInstruction', () => {
  it('recognises Dockerfile steps with and without platform and stage', () => {
    expect(stepInstruction('[linux/arm64 build 4/4] RUN uname -m')).toBe('RUN');
    expect(stepInstruction('[stage-1 2/2] COPY --from=build /out/ /app/')).toBe('COPY');
    expect(stepInstruction('[2/3] WORKDIR /src')).toBe('WORKDIR');
    expect(stepInstruction('[internal] load build definition from Dockerfile')).toBeUndefined();
    expect(stepInstruction('exporting to image')).toBeUndefined();
  });
});

describe('ProgressTracker on real rawjson', () => {
  it('counts a cold two-platform build: every step executed', () => {
    const { tracker } = replay('rawjson-cold.jsonl');
    const stats = tracker.stats();
    // 3 non-FROM steps in the build stage + 1 in the final stage, for each of two platforms.
    expect(stats).toMatchObject({ total: 8, cached: 0, executed: 8, runsExecuted: 2 });
    expect(stats.slowest.length).toBeGreaterThan(0);
  });
  it('counts the warm rebuild: every step from cache, no RUN executed', () => {
    const stats = replay('rawjson-warm.jsonl').tracker.stats();
    expect(stats).toMatchObject({ total: 8, cached: 8, executed: 0, runsExecuted: 0, slowest: [] });
  });
  it('renders plain-progress style lines, numbering vertices in order of appearance', () => {
    const { lines } = replay('rawjson-warm.jsonl');
    expect(lines[0]).toBe('#1 [internal] load build definition from Dockerfile');
    expect(lines).toContain('#1 DONE 0.0s');
    expect(lines.filter((l) => l.endsWith(' CACHED'))).toHaveLength(8);
    expect(lines.some((l) => /^#\d+ exporting to image$/.test(l))).toBe(true);
  });
  it("keeps non-JSON lines and finds buildx's final error", () => {
    const tracker = new ProgressTracker();
    tracker.feed(
      '{"vertexes":[{"digest":"sha256:1","name":"[2/2] RUN false","started":"2026-01-01T00:00:00Z","completed":"2026-01-01T00:00:01Z","error":"process did not complete successfully: exit code: 1"}]}',
    );
    tracker.feed('ERROR: failed to build: failed to solve: process "/bin/sh -c false" did not complete successfully: exit code: 1');
    expect(tracker.failure()).toBe(
      'failed to build: failed to solve: process "/bin/sh -c false" did not complete successfully: exit code: 1',
    );
    expect(tracker.all()[0]?.error).toContain('exit code: 1');
  });
  it('decodes step output logs and build-check warnings', () => {
    const lines: string[] = [];
    const tracker = new ProgressTracker((l) => lines.push(l));
    tracker.feed(JSON.stringify({ vertexes: [{ digest: 'd', name: '[1/1] RUN echo hi', started: '2026-01-01T00:00:00Z' }] }));
    tracker.feed(
      JSON.stringify({
        logs: [{ vertex: 'd', stream: 1, data: Buffer.from('hi\nthere\n').toString('base64'), timestamp: '2026-01-01T00:00:00.5Z' }],
      }),
    );
    tracker.feed(
      JSON.stringify({ warnings: [{ vertex: 'd', level: 1, short: Buffer.from('JSONArgsRecommended: use JSON').toString('base64') }] }),
    );
    expect(lines).toEqual(['#1 [1/1] RUN echo hi', '#1 0.500 hi', '#1 0.500 there']);
    expect(tracker.warnings).toEqual(['JSONArgsRecommended: use JSON']);
  });
});
