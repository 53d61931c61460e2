/**
 * BuildKit's progress as buildx prints it with `--progress=rawjson`: one SolveStatus JSON object
 * per line (vertexes, statuses, logs, warnings). We turn it into readable log lines in the style
 * of `--progress=plain` and into step statistics (how many Dockerfile steps ran or came from cache).
 */

interface RawVertex {
  digest: string;
  name?: string;
  started?: string;
  completed?: string;
  cached?: boolean;
  error?: string;
}

interface RawStatus {
  id: string;
  vertex: string;
  name?: string;
  completed?: string;
}

interface RawLog {
  vertex: string;
  stream?: number;
  data?: string;
  timestamp?: string;
}

interface RawWarning {
  vertex?: string;
  short?: string;
  level?: number;
}

interface RawSolveStatus {
  vertexes?: RawVertex[];
  statuses?: RawStatus[];
  logs?: RawLog[];
  warnings?: RawWarning[];
}

export interface Vertex {
  /** Plain-progress style number (#1, #2…) in order of first appearance. */
  number: number;
  digest: string;
  name: string;
  started?: number;
  completed?: number;
  cached: boolean;
  error?: string;
}

export interface StepStats {
  /** Dockerfile instruction steps (RUN, COPY, WORKDIR…; FROM is a source, not a step). */
  total: number;
  cached: number;
  executed: number;
  /** RUN steps that actually ran (not served from cache). */
  runsExecuted: number;
  /** Wall time of each executed step, slowest first. */
  slowest: { name: string; seconds: number }[];
}

export type ProgressSink = (line: string) => void;

const STEP = /^\[(?:.+ )?\d+\/\d+\] (\w+)/;

/** The Dockerfile instruction of a vertex name, or undefined for internal vertices. */
export function stepInstruction(name: string): string | undefined {
  return STEP.exec(name)?.[1]?.toUpperCase();
}

export class ProgressTracker {
  private readonly vertices = new Map<string, Vertex>();
  private readonly announced = new Set<string>();
  private readonly finished = new Set<string>();
  private readonly statusesDone = new Set<string>();
  /** Lines that were not JSON: buildx's own messages, including the final ERROR. */
  readonly textLines: string[] = [];
  readonly warnings: string[] = [];
  /** BuildKit's own registry retries ("retrying in 1s" after an "error: …" log line). */
  readonly registryRetries: string[] = [];
  private lastLogError = '';

  constructor(private readonly sink: ProgressSink = () => {}) {}

  feed(line: string): void {
    const trimmed = line.trim();
    if (trimmed === '') return;
    let status: RawSolveStatus;
    try {
      status = JSON.parse(trimmed) as RawSolveStatus;
    } catch {
      this.textLines.push(trimmed);
      this.sink(trimmed);
      return;
    }
    if (status === null || typeof status !== 'object') return;
    for (const v of status.vertexes ?? []) this.onVertex(v);
    for (const s of status.statuses ?? []) this.onStatus(s);
    for (const l of status.logs ?? []) this.onLog(l);
    for (const w of status.warnings ?? []) this.onWarning(w);
  }

  private vertex(digest: string, name?: string): Vertex {
    let v = this.vertices.get(digest);
    if (!v) {
      v = { number: this.vertices.size + 1, digest, name: name ?? digest, cached: false };
      this.vertices.set(digest, v);
    } else if (name) {
      v.name = name;
    }
    return v;
  }

  private onVertex(raw: RawVertex): void {
    const v = this.vertex(raw.digest, raw.name);
    if (raw.started) v.started = Date.parse(raw.started);
    if (raw.cached) v.cached = true;
    if (raw.error) v.error = raw.error;
    // A vertex is re-sent with `started` cleared when it restarts; completion is what counts.
    if (raw.completed) v.completed = Date.parse(raw.completed);
    else v.completed = undefined;
    if (!this.announced.has(v.digest) && (raw.started || raw.cached)) {
      this.announced.add(v.digest);
      this.sink(`#${v.number} ${v.name}`);
    }
    if (v.completed !== undefined && !this.finished.has(v.digest)) {
      this.finished.add(v.digest);
      if (v.error) this.sink(`#${v.number} ERROR: ${v.error}`);
      else if (v.cached) this.sink(`#${v.number} CACHED`);
      else this.sink(`#${v.number} DONE ${seconds(v).toFixed(1)}s`);
    }
  }

  private onStatus(raw: RawStatus): void {
    if (!raw.completed || this.statusesDone.has(`${raw.vertex} ${raw.id}`)) return;
    this.statusesDone.add(`${raw.vertex} ${raw.id}`);
    const v = this.vertex(raw.vertex);
    this.sink(`#${v.number} ${raw.id} done`);
  }

  private onLog(raw: RawLog): void {
    const v = this.vertex(raw.vertex);
    const text = Buffer.from(raw.data ?? '', 'base64').toString('utf8');
    const at = v.started !== undefined && raw.timestamp ? ((Date.parse(raw.timestamp) - v.started) / 1000).toFixed(3) + ' ' : '';
    for (const line of text.replace(/\n$/, '').split('\n')) {
      this.sink(`#${v.number} ${at}${line}`);
      if (line.startsWith('error: ')) this.lastLogError = line.slice('error: '.length);
      else if (/^retrying in /.test(line)) this.registryRetries.push(this.lastLogError);
    }
  }

  private onWarning(raw: RawWarning): void {
    const text = Buffer.from(raw.short ?? '', 'base64')
      .toString('utf8')
      .trim();
    if (text) this.warnings.push(text);
  }

  /** Every vertex seen so far, in order of appearance. */
  all(): Vertex[] {
    return [...this.vertices.values()];
  }

  stats(): StepStats {
    const steps = this.all().filter((v) => {
      const instruction = stepInstruction(v.name);
      return instruction !== undefined && instruction !== 'FROM';
    });
    const cached = steps.filter((v) => v.cached);
    const executed = steps.filter((v) => !v.cached);
    return {
      total: steps.length,
      cached: cached.length,
      executed: executed.length,
      runsExecuted: executed.filter((v) => stepInstruction(v.name) === 'RUN').length,
      slowest: executed
        .map((v) => ({ name: v.name, seconds: seconds(v) }))
        .sort((a, b) => b.seconds - a.seconds)
        .slice(0, 5),
    };
  }

  /** Time spent exporting (image, cache) — which includes pushing to the registry. */
  exportSeconds(): number {
    return this.all()
      .filter((v) => /^exporting /.test(v.name))
      .reduce((sum, v) => sum + seconds(v), 0);
  }

  /** A cache export that failed while the build went on (ignore-error=true), if any. */
  cacheExportError(): string | undefined {
    return this.all().find((v) => /^exporting cache/.test(v.name) && v.error)?.error;
  }

  /** buildx's final error line ("ERROR: …"), without the prefix. */
  failure(): string | undefined {
    const line = [...this.textLines].reverse().find((l) => l.startsWith('ERROR:'));
    return line?.replace(/^ERROR:\s*/, '');
  }
}

function seconds(v: Vertex): number {
  return v.started !== undefined && v.completed !== undefined ? Math.max(0, (v.completed - v.started) / 1000) : 0;
}
