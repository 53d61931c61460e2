import { UserError } from '../base/errors.js';
import { parseImageRef } from '../docker/reference.js';

/**
 * An image repository to tag (`registry.cn-hangzhou.aliyuncs.com/acme/web`): valid by the
 * distribution grammar and without a tag or digest, since the rules make the tags. Returned as
 * written (trimmed); `what` names where it came from.
 */
export function checkImage(ref: string, what: string): string {
  const parsed = parseImageRef(ref, what);
  if (parsed.tag !== undefined || parsed.digest !== undefined) {
    throw new UserError(`${what}: '${ref}' has a tag or digest; give the repository only (the rules make the tags)`);
  }
  return ref.trim();
}
