import type { MergeResult } from '../../buildx/merge.js';
import { formatBytes } from '../../docker/manifest.js';
import { setOutput } from '../../github/commands.js';
import { table } from './build.js';

export function setMergeOutputs(result: MergeResult | undefined): void {
  setOutput('digest', result?.digest ?? '');
  setOutput('tags', (result?.tags ?? []).join('\n'));
  setOutput('platforms', (result?.platforms ?? []).map((p) => p.platform).join(','));
}

/** Per platform: the manifest in the index, the digest its job handed on, layers and size read back. */
function platformRows(result: MergeResult): string[][] {
  return result.platforms.map((p) => {
    const source = result.sources.find((s) => s.platform === p.platform)?.digest ?? '';
    return [p.platform, p.digest, source === p.digest ? 'same' : source, String(p.layers), formatBytes(p.compressedSize)];
  });
}

export function mergeSummary(result: MergeResult): string {
  return [
    '### acr-ship merge',
    '',
    ...table(
      ['', ''],
      [
        ['Tags written', result.tags.join('\n')],
        ['Index', result.digest],
      ],
    ),
    '',
    ...table(['Platform', 'Manifest', 'Handed on as', 'Layers', 'Compressed size'], platformRows(result)),
    '',
  ].join('\n');
}

/** The same report for the step log. */
export function mergeLogLines(result: MergeResult): string[] {
  return [
    `index ${result.digest} written as ${result.tags.join(', ')}`,
    ...platformRows(result).map(([platform, manifest, source, layers, size]) =>
      [(platform ?? '').padEnd(14), manifest, `${layers} layers`, (size ?? '').padStart(10), source === 'same' ? '' : `from ${source}`]
        .join('  ')
        .trimEnd(),
    ),
  ];
}
