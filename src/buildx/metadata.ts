/** What buildx writes with `--metadata-file`, reduced to what we report. */
export interface BuildMetadata {
  /** Digest of what was pushed: the index for multi-platform builds, else the manifest. */
  digest?: string;
  /** The image config digest (`docker images` ID) when there is one image. */
  imageId?: string;
  /** Build record reference (`builder/node/ref`). */
  ref?: string;
  raw: Record<string, unknown>;
}

export function parseMetadata(text: string): BuildMetadata {
  let raw: Record<string, unknown> = {};
  try {
    const parsed: unknown = JSON.parse(text);
    if (parsed && typeof parsed === 'object' && !Array.isArray(parsed)) raw = parsed as Record<string, unknown>;
  } catch {
    return { raw };
  }
  const str = (key: string): string | undefined => (typeof raw[key] === 'string' ? (raw[key] as string) : undefined);
  return {
    digest: str('containerimage.digest'),
    imageId: str('containerimage.config.digest'),
    ref: str('buildx.build.ref'),
    raw,
  };
}
