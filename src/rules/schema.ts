import { spec, type Infer, type JsonSchema } from './spec.js';

/**
 * The rules file (`.github/acr-ship.yml`), field by field. This is the single definition: the
 * loader checks files against it, config.ts reads the types it implies, and
 * `npm run schema` writes schema/acr-ship.schema.json from it (a unit test keeps that file current).
 */

export const TIME_FORMATS = ['yyyyMMdd', 'yyyyMMddHHmm'] as const;
export const RULE_TYPES = ['branch', 'tag', 'pull_request'] as const;
export const FILTER_TYPES = ['all', 'regex', 'tags'] as const;
export const MAX_VERSIONS = 3;
export const MAX_BUILD_ARGS = 20;
export const MAX_TRIGGER_TAGS = 10;
export const MAX_COMMIT_LENGTH = 40;
export const DEFAULT_COMMIT_LENGTH = 6;

const ENV_NAME = '^[A-Za-z_][A-Za-z0-9_]*$';
const ENV_HINT = 'an environment variable name (letters, digits, _), e.g. ACK_TRIGGER_URL';

const image = spec.string({
  description: 'Image repository to tag, without a tag, e.g. registry.cn-hangzhou.aliyuncs.com/acme/web.',
  pattern: '^[^:@\\s]+(:[0-9]+)?(/[^:@\\s]+)*$',
  patternHint: 'an image repository without a tag or digest, e.g. registry.cn-hangzhou.aliyuncs.com/acme/web',
});

const images = spec.array({
  description: 'Several image repositories (e.g. ACR and another registry); every version is tagged in each.',
  items: image,
  minItems: 1,
});

const platforms = spec.array({
  description: 'Build architectures, os/arch[/variant], e.g. [linux/amd64, linux/arm64]. Empty: the builder default.',
  items: spec.string({
    description: 'A platform, e.g. linux/amd64, linux/arm64, linux/arm/v7.',
    pattern: '^[A-Za-z0-9]+/[A-Za-z0-9]+(/[A-Za-z0-9]+)?$',
    patternHint: 'os/arch[/variant], e.g. linux/arm64',
  }),
});

const name = (what: string) =>
  spec.string({
    description: `Name of the ${what}; unique, used in messages.`,
    maxLength: 100,
    pattern: '^[^\\r\\n]+$',
    patternHint: 'one line of text',
  });

export const ruleSpec = spec.object({
  description: 'A build rule, as in ACR: when a branch, tag or pull request matches, build and tag these versions.',
  owner: 'rule',
  properties: {
    name: name('rule'),
    type: spec.string<(typeof RULE_TYPES)[number]>({
      description: "ACR's Type: branch or tag; pull_request matches the pull request's base branch.",
      enum: RULE_TYPES,
    }),
    match: spec.string({
      description:
        "ACR's Branch/Tag: a regular expression matched against the whole name (RE2 syntax, linear time). Named groups such as (?<imageTag>\\w*) become template variables.",
    }),
    context: spec.string({
      description: "ACR's Dockerfile directory, relative to the repository root; / is the root.",
      default: '/',
    }),
    dockerfile: spec.string({
      description: "ACR's Dockerfile filename, inside the context directory.",
      default: 'Dockerfile',
    }),
    versions: spec.array({
      description:
        "ACR's image versions: 1 to 3 templates. Variables: named groups, ${branch}, ${tag}, ${sha}, ${pr}, ${base}; ${sha:8} keeps the first 8 characters.",
      items: spec.text({ description: 'A version template, e.g. ${imageTag} or latest.', noNewlines: true }),
      minItems: 1,
      maxItems: MAX_VERSIONS,
      tooMany: 'ACR allows 3 image versions per rule; add another rule for more',
    }),
    time: spec.string<(typeof TIME_FORMATS)[number]>({
      description: 'Append the push time as -<time>, in the file’s timezone (ACR: UTC+8).',
      enum: TIME_FORMATS,
    }),
    commit: spec.anyOf<boolean | number>({
      description: `Append -<commit ID prefix>: true for ${DEFAULT_COMMIT_LENGTH} characters, or a length from 1 to ${MAX_COMMIT_LENGTH}.`,
      of: [
        spec.boolean({ description: `true: the first ${DEFAULT_COMMIT_LENGTH} characters; false: none.` }),
        spec.integer({ description: 'How many characters of the commit ID.', minimum: 1, maximum: MAX_COMMIT_LENGTH }),
      ],
      expected: `true, false or a whole number from 1 to ${MAX_COMMIT_LENGTH}`,
    }),
    'build-args': spec.map({
      description: "ACR's build arguments: NAME: value, at most 20.",
      values: spec.text({ description: 'The value (one line).', noNewlines: true }),
      keyPattern: '^[A-Za-z_][A-Za-z0-9_.-]*$',
      keyHint: 'build argument names use letters, digits, _ . -, and do not start with a digit',
      maxProperties: MAX_BUILD_ARGS,
      tooMany: 'ACR allows 20 build arguments',
    }),
    platforms,
    target: spec.string({
      description: 'Dockerfile stage to build (docker build --target).',
      pattern: '^[A-Za-z0-9][A-Za-z0-9_.-]*$',
      patternHint: 'a stage name (letters, digits, _ . -)',
    }),
    push: spec.boolean({
      description: 'Push the result. Pull requests from forks never push.',
      default: true,
    }),
    image,
    images,
  },
  required: ['name', 'type', 'match', 'versions'],
  exclusive: [['image', 'images']],
});

export const triggerSpec = spec.object({
  description: 'A redeploy trigger, as in ACR: called after a push whose tag passes the filter.',
  owner: 'trigger',
  properties: {
    name: name('trigger'),
    'url-env': spec.string({
      description: 'Environment variable holding the trigger URL (trigger URLs are secrets: keep them in secrets).',
      pattern: ENV_NAME,
      patternHint: ENV_HINT,
    }),
    filter: spec.string<(typeof FILTER_TYPES)[number]>({
      description: 'Which pushed tags fire the trigger: all, regex (expression), or tags (a list).',
      enum: FILTER_TYPES,
      default: 'all',
    }),
    expression: spec.string({ description: 'With filter: regex, a regular expression on the tag (RE2 syntax), e.g. release-v.*.' }),
    tags: spec.array({
      description: 'With filter: tags, the exact tags (at most 10, as in ACR).',
      items: spec.string({
        description: 'A tag.',
        pattern: '^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$',
        patternHint: 'an image tag (letters, digits, _ . -, at most 128)',
      }),
      minItems: 1,
      maxItems: MAX_TRIGGER_TAGS,
      tooMany: 'ACR allows 10 tags per trigger',
    }),
    method: spec.string<'POST' | 'GET'>({ description: 'HTTP method.', enum: ['POST', 'GET'], default: 'POST' }),
    headers: spec.map({
      description: 'Extra request headers.',
      values: spec.text({ description: 'Header value (one line).', noNewlines: true }),
      keyPattern: "^[A-Za-z0-9!#$%&'*+.^_`|~-]+$",
      keyHint: 'an HTTP header name, e.g. X-Deploy-Token',
    }),
    'secret-env': spec.string({
      description: 'Environment variable holding a key to sign the request with (HMAC).',
      pattern: ENV_NAME,
      patternHint: ENV_HINT,
    }),
  },
  required: ['name', 'url-env'],
  requiredWhen: [
    { field: 'filter', equals: 'regex', require: 'expression' },
    { field: 'filter', equals: 'tags', require: 'tags' },
  ],
});

export const fileSpec = spec.object({
  description: 'acr-ship build rules and redeploy triggers.',
  properties: {
    version: spec.integer({ description: 'Format version of this file.', minimum: 1, maximum: 1, default: 1 }),
    image,
    images,
    timezone: spec.string({
      description: 'IANA time zone for the time suffix, e.g. Asia/Shanghai (ACR uses UTC+8).',
      default: 'Asia/Shanghai',
    }),
    platforms,
    rules: spec.array({
      description: 'Build rules. Every rule that matches applies. Leave out for the zero-config defaults.',
      items: ruleSpec,
    }),
    triggers: spec.array({ description: 'Redeploy triggers.', items: triggerSpec }),
  },
  exclusive: [['image', 'images']],
});

export type RawRulesFile = Infer<typeof fileSpec>;
export type RawRule = Infer<typeof ruleSpec>;
export type RawTrigger = Infer<typeof triggerSpec>;

export const SCHEMA_ID = 'https://raw.githubusercontent.com/acr-ship/acr-ship/main/schema/acr-ship.schema.json';

/** The published JSON Schema (schema/acr-ship.schema.json). */
export function rulesFileJsonSchema(): JsonSchema {
  return {
    $schema: 'http://json-schema.org/draft-07/schema#',
    $id: SCHEMA_ID,
    title: 'acr-ship rules file (.github/acr-ship.yml)',
    ...fileSpec.jsonSchema(),
  };
}
