/**
 * Turning rendered text into an image tag. Branch and tag names are attacker-controlled in pull
 * requests, so every derived tag is reduced to the characters a tag may hold before it goes
 * anywhere near buildx.
 */
export const MAX_TAG_LENGTH = 128;

/**
 * Every character outside [A-Za-z0-9_.-] becomes '-' (one per character, so `feature/#5` is
 * `feature--5`), and leading '.' and '-' are dropped: a tag cannot start with them.
 */
export function sanitizeTag(text: string): string {
  return text.replace(/[^A-Za-z0-9_.-]/gu, '-').replace(/^[.-]+/, '');
}

/**
 * ACR's version: `<rendered template>[-<time>][-<commit prefix>]`, at most 128 characters. The
 * template part is cut rather than the suffixes, so long branch names keep their time and commit.
 * Undefined when the template part leaves nothing (the caller names the rule).
 */
export function assembleVersion(rendered: string, suffixes: readonly string[]): string | undefined {
  const head = sanitizeTag(rendered);
  if (head === '') return undefined;
  const tail = suffixes.map((s) => `-${sanitizeTag(s)}`).join('');
  return head.slice(0, Math.max(1, MAX_TAG_LENGTH - tail.length)) + tail;
}
