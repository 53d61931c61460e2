/** One `docker buildx build` invocation, as plain typed values. */
export interface BuildSecret {
  id: string;
  /** A file holding the secret value. */
  src?: string;
  /** An environment variable holding the secret value. */
  env?: string;
}

export interface BuildRequest {
  /** Build context: a directory or a URL (git, https). */
  context: string;
  /** Dockerfile path; undefined = `<context>/Dockerfile`. */
  file?: string;
  platforms: string[];
  tags: string[];
  labels: Record<string, string>;
  annotations: string[];
  buildArgs: Record<string, string>;
  buildContexts: string[];
  secrets: BuildSecret[];
  target?: string;
  push: boolean;
  load: boolean;
  noCache: boolean;
  pull: boolean;
  cacheFrom: string[];
  cacheTo: string[];
  /** Value for --provenance (e.g. `false`, `mode=min`); undefined leaves buildx's default. */
  provenance?: string;
  /** Value for --sbom; undefined leaves buildx's default. */
  sbom?: string;
  /** Extra --output specs (mutually exclusive with push/load in buildx). */
  outputs: string[];
  /**
   * Push without tags, by digest, to the repositories of `tags` (one runner per platform; a
   * later merge writes the tags). Tags must not be pushed here or the platforms would race.
   */
  pushByDigest?: boolean;
  /**
   * SOURCE_DATE_EPOCH is set: clamp file times in the pushed layers to it as well
   * (`rewrite-timestamp`), so the same inputs give the same image on any builder.
   */
  rewriteTimestamps?: boolean;
  /** Builder instance name; undefined = the current builder. */
  builder?: string;
}

export function emptyBuildRequest(context: string): BuildRequest {
  return {
    context,
    platforms: [],
    tags: [],
    labels: {},
    annotations: [],
    buildArgs: {},
    buildContexts: [],
    secrets: [],
    push: false,
    load: false,
    noCache: false,
    pull: false,
    cacheFrom: [],
    cacheTo: [],
    outputs: [],
  };
}
