import { consoleUrl } from '../../acr/hosts.js';
import type { ImageBuild } from '../../buildx/image.js';
import { formatBytes, type PushedImage } from '../../docker/manifest.js';
import { parseImageRef } from '../../docker/reference.js';
import { setOutput } from '../../github/commands.js';

/** Outputs named as docker/build-push-action names them, plus what it lacks. */
export function setBuildOutputs(build: ImageBuild): void {
  const { result, request } = build;
  setOutput('digest', result.digest ?? '');
  setOutput('imageid', result.imageId ?? '');
  setOutput('metadata', JSON.stringify(result.metadata.raw));
  setOutput('tags', request.tags.join('\n'));
  setOutput('platforms', request.platforms.join(','));
  setOutput('cache-hits', `${result.steps.cached}/${result.steps.total}`);
}

function cell(text: string): string {
  return text.replace(/\|/g, '\\|').replace(/\n/g, '<br>');
}

export function table(header: string[], rows: string[][]): string[] {
  return [`| ${header.join(' | ')} |`, `|${header.map(() => '---').join('|')}|`, ...rows.map((r) => `| ${r.map(cell).join(' | ')} |`)];
}

/** The report rows: what shipped, how big, from cache or not, how long — for summary and log. */
function overviewRows(build: ImageBuild, pushed?: PushedImage): string[][] {
  const { request, result } = build;
  const first = request.tags[0] ? parseImageRef(request.tags[0]) : undefined;
  const link = first ? consoleUrl(first.registry, first.repository) : undefined;
  const timing = `${result.seconds.toFixed(1)} s total, ${result.exportSeconds.toFixed(1)} s exporting/pushing`;
  const retries = [
    build.attempts > 1 && `${build.attempts - 1} whole-build retr${build.attempts > 2 ? 'ies' : 'y'}`,
    result.registryRetries.length > 0 &&
      `${result.registryRetries.length} registry request retr${result.registryRetries.length > 1 ? 'ies' : 'y'} by BuildKit`,
  ].filter(Boolean);
  const rows = [
    ['Image', first ? `${first.registry}/${first.repository}${link ? ` ([console](${link}))` : ''}` : '—'],
    ['Tags', request.tags.join('\n') || '—'],
    ['Digest', result.digest ?? '—'],
    ['Platforms', request.platforms.join(', ') || 'builder default'],
    ['Pushed', request.push ? 'yes' : 'no'],
    [
      'Cache',
      `${result.steps.cached}/${result.steps.total} steps from cache, ${result.steps.executed} executed — ${build.cache.explanation.replace(/^cache: /, '')}` +
        (result.cacheExportError ? `; export failed: ${result.cacheExportError}` : ''),
    ],
    ['Attestations', build.attestations.explanation.replace(/^attestations: /, '')],
    ['Time', timing],
    ...(retries.length > 0 ? [['Retries', retries.join(', ')]] : []),
    ['Builder', `${build.builder.info.name} (${build.builder.info.driver}${build.builder.created ? ', created for this run' : ''})`],
  ];
  if (pushed) {
    const moved = Object.entries(pushed.tagDigests).filter(([, d]) => d !== result.digest);
    if (moved.length > 0) rows.push(['Tag check', moved.map(([t, d]) => `${t} → ${d ?? 'missing'}`).join('\n')]);
  }
  return rows;
}

function platformRows(pushed: PushedImage): string[][] {
  return pushed.platforms.map((p) => [p.platform, `${p.digest.slice(0, 19)}…`, String(p.layers), formatBytes(p.compressedSize)]);
}

export function buildSummary(build: ImageBuild, pushed?: PushedImage): string {
  const lines = ['### acr-ship build', '', ...table(['', ''], overviewRows(build, pushed))];
  if (pushed && pushed.platforms.length > 0)
    lines.push('', ...table(['Platform', 'Manifest', 'Layers', 'Compressed size'], platformRows(pushed)));
  if (build.result.steps.slowest.length > 0) {
    lines.push(
      '',
      '<details><summary>Slowest executed steps</summary>',
      '',
      ...table(
        ['Step', 'Seconds'],
        build.result.steps.slowest.map((s) => [s.name, s.seconds.toFixed(1)]),
      ),
      '',
      '</details>',
    );
  }
  return lines.join('\n') + '\n';
}

/** The same report as aligned plain text, for the step log. */
export function buildLogTable(build: ImageBuild, pushed?: PushedImage): string {
  const rows = overviewRows(build, pushed).map(([k, v]) => `${(k ?? '').padEnd(13)}${(v ?? '').replace(/\n/g, ', ')}`);
  if (pushed) {
    for (const p of pushed.platforms)
      rows.push(
        `${''.padEnd(13)}${p.platform.padEnd(14)} ${String(p.layers).padStart(3)} layers  ${formatBytes(p.compressedSize).padStart(10)}  ${p.digest}`,
      );
  }
  return rows.join('\n');
}
