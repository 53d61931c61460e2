import { ErrorList, UserError } from '../base/errors.js';
import { isValidDigest, isValidTag, parseImageRef, repositoryName } from '../docker/reference.js';

/** What a build pushed: everything a trigger payload says about it. */
export interface PushedImage {
  /** host[:port], e.g. registry.cn-hangzhou.aliyuncs.com */
  registry: string;
  /** Path in the registry, e.g. acme/web */
  repository: string;
  /** Bare tags in the order they were given (ACR's `tag` is the first one a filter passes). */
  tags: string[];
  digest: string;
  platforms: string[];
  /** Commit the image was built from; '' when unknown. */
  commit: string;
  /** The workflow run that pushed; '' when unknown. */
  runUrl: string;
  pushedAt: Date;
  /** ACR reports PUBLIC or PRIVATE; we cannot see the setting, so the caller says. */
  repoType: 'PUBLIC' | 'PRIVATE';
}

export interface PushInput {
  image?: string;
  /** Bare tags (`v1.2.3`) or full references (`registry/ns/name:v1.2.3`). */
  tags: readonly string[];
  digest: string;
  platforms?: readonly string[];
  commit?: string;
  runUrl?: string;
  pushedAt: Date;
  repoType?: 'PUBLIC' | 'PRIVATE';
}

/** How the caller names each value in errors: `input 'tags'` in the action, `--tags` in the CLI. */
export interface PushLabels {
  image: string;
  tags: string;
  digest: string;
}

export interface DescribedPush {
  push: PushedImage;
  /** References in `tags` to another repository than `image`: not this image's tags. */
  otherImages: string[];
}

/** A reference has a slash, colon or at-sign; a bare tag has none of them. */
function isReference(text: string): boolean {
  return /[/:@]/.test(text);
}

/**
 * Validates what was pushed and reduces `tags` to bare tags of one repository. The repository is
 * `image`, or else the first full reference in `tags`; references to other repositories (the
 * same build pushed to a second registry) are set aside, not sent.
 */
export function describePush(input: PushInput, labels: PushLabels): DescribedPush {
  const errors = new ErrorList();

  let image = input.image
    ? errors.attempt(() => {
        const ref = parseImageRef(input.image ?? '', labels.image);
        if (ref.tag || ref.digest) {
          throw new UserError(`${labels.image} names the repository only, without :tag or @digest; put tags in ${labels.tags}`);
        }
        return ref;
      })
    : undefined;
  const tags: string[] = [];
  const otherImages: string[] = [];
  if (input.tags.length === 0) errors.add(new UserError(`${labels.tags} is required: list the pushed tags, e.g. v1.2.3 or latest`));
  for (const item of input.tags) {
    if (isReference(item)) {
      const ref = errors.attempt(() => parseImageRef(item, labels.tags));
      if (!ref) continue;
      if (!ref.tag) {
        errors.add(new UserError(`${labels.tags}: '${item}' names no tag: write ${repositoryName(ref)}:<tag>`));
        continue;
      }
      if (!image && !input.image) image = { registry: ref.registry, repository: ref.repository };
      if (image && repositoryName(ref) !== repositoryName(image)) otherImages.push(item);
      else if (!tags.includes(ref.tag)) tags.push(ref.tag);
    } else if (!isValidTag(item)) {
      errors.add(
        new UserError(
          `${labels.tags}: '${item}' is not a valid tag: use letters, digits, '_', '.', '-', at most 128, not starting with '.' or '-'`,
        ),
      );
    } else if (!tags.includes(item)) {
      tags.push(item);
    }
  }
  if (!input.image && !image && tags.length > 0) {
    errors.add(
      new UserError(`${labels.image} is required when ${labels.tags} lists bare tags, e.g. registry.cn-hangzhou.aliyuncs.com/acme/web`),
    );
  }
  if (!input.digest) errors.add(new UserError(`${labels.digest} is required: the pushed digest, e.g. the build step's digest output`));
  else if (!isValidDigest(input.digest))
    errors.add(new UserError(`${labels.digest}: '${input.digest}' is not a digest: write sha256:<64 hex digits>`));
  if (image && tags.length === 0 && input.tags.length > 0 && errors.size === 0) {
    errors.add(new UserError(`${labels.tags} lists no tag of ${repositoryName(image)}: list at least one tag of that repository`));
  }

  errors.throwIfAny();
  if (!image) throw new UserError(`${labels.image} is required`);
  return {
    push: {
      registry: image.registry,
      repository: image.repository,
      tags,
      digest: input.digest,
      platforms: [...(input.platforms ?? [])],
      commit: input.commit ?? '',
      runUrl: input.runUrl ?? '',
      pushedAt: input.pushedAt,
      repoType: input.repoType ?? 'PRIVATE',
    },
    otherImages,
  };
}
