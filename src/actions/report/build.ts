import type { ImageBuild } from '../../buildx/image.js';
import type { BuildRequest } from '../../buildx/request.js';
import { appendSummary, setOutput } from '../../github/commands.js';

/** Outputs named as docker/build-push-action names them, plus what it lacks. */
export function setBuildOutputs(req: BuildRequest, build: ImageBuild): void {
  const { result } = build;
  setOutput('digest', result.digest ?? '');
  setOutput('imageid', result.imageId ?? '');
  setOutput('metadata', JSON.stringify(result.metadata.raw));
  setOutput('tags', req.tags.join('\n'));
  setOutput('platforms', req.platforms.join(','));
  setOutput('cache-hits', `${result.steps.cached}/${result.steps.total}`);
}

function cell(text: string): string {
  return text.replace(/\|/g, '\\|').replace(/\n/g, '<br>');
}

/** The job-summary block of one build. */
export function buildSummary(req: BuildRequest, build: ImageBuild): string {
  const { result, builder } = build;
  const rows: [string, string][] = [
    ['Tags', req.tags.map((t) => `\`${t}\``).join('<br>') || '—'],
    ['Digest', result.digest ? `\`${result.digest}\`` : '—'],
    ['Platforms', req.platforms.join(', ') || 'builder default'],
    ['Pushed', req.push ? 'yes' : 'no'],
    ['Cache', `${result.steps.cached}/${result.steps.total} steps from cache, ${result.steps.executed} executed`],
    ['Build time', `${result.seconds.toFixed(1)} s`],
    ['Builder', `${builder.name} (${builder.driver})`],
  ];
  return ['### acr-ship build', '', '| | |', '|---|---|', ...rows.map(([k, v]) => `| ${k} | ${cell(v)} |`), ''].join('\n');
}

export function writeBuildSummary(req: BuildRequest, build: ImageBuild): void {
  appendSummary(buildSummary(req, build));
}
