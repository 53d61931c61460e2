import { UserError } from '../base/errors.js';
import { compilePattern } from '../base/pattern.js';

/**
 * ACR's three trigger filters: every tag, a regular expression on the tag, or a list of exact
 * tags. The console names them "all", "expression" and "tag list"; the API ALL, TAG_REG_EXP and
 * TAG_LIST.
 */
export type TagFilter = { type: 'all' } | { type: 'regex'; expression: string } | { type: 'tags'; tags: string[] };

/** ACR accepts at most this many tags in a tag-list trigger. */
export const MAX_FILTER_TAGS = 10;

/**
 * Compiles a filter into a predicate; `what` names the trigger in errors. A regex must match the
 * whole tag, as ACR (a Java service, `Pattern.matches`) does: `release-v.*` does not fire on
 * `pre-release-v1`. It runs on the linear-time engine, since tags can come from pull requests.
 */
export function compileTagFilter(filter: TagFilter, what: string): (tag: string) => boolean {
  switch (filter.type) {
    case 'all':
      return () => true;
    case 'regex': {
      if (filter.expression === '') throw new UserError(`${what}: the regex filter has an empty expression; write one, e.g. release-v.*`);
      const pattern = compilePattern(filter.expression, `${what} filter expression`);
      return (tag) => pattern.matchWhole(tag) !== undefined;
    }
    case 'tags': {
      if (filter.tags.length === 0) throw new UserError(`${what}: the tags filter lists no tag; list 1 to ${MAX_FILTER_TAGS} tags`);
      if (filter.tags.length > MAX_FILTER_TAGS) {
        throw new UserError(
          `${what}: the tags filter lists ${filter.tags.length} tags; ACR allows at most ${MAX_FILTER_TAGS}: use a regex filter instead`,
        );
      }
      const wanted = new Set(filter.tags);
      return (tag) => wanted.has(tag);
    }
  }
}

/** How a filter reads in logs and the summary. */
export function describeFilter(filter: TagFilter): string {
  switch (filter.type) {
    case 'all':
      return 'all tags';
    case 'regex':
      return `regex ${filter.expression}`;
    case 'tags':
      return `tags ${filter.tags.join(', ')}`;
  }
}
