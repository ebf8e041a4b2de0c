import { invalidParameter, RekognitionError } from './errors';
import type { Operation } from './operations';
import { requiredString, type RequestBody } from './request-fields';
import type { VersionRegistry } from './version-registry';

/** The service's limits (TagResource, UntagResource and ListTagsForResource API reference). */
const MAX_TAGS_PER_RESOURCE = 50;
const MAX_TAG_KEYS_PER_REQUEST = 200;
const TAG_KEY = /^(?!aws:)[\p{L}\p{Z}\p{N}_.:/=+\-@]{1,128}$/u;
const TAG_VALUE = /^[\p{L}\p{Z}\p{N}_.:/=+\-@]{0,256}$/u;

/** TagResource, UntagResource and ListTagsForResource on model versions, with the service's rules. */
export function createTagOperations(registry: VersionRegistry): Record<string, Operation> {
  const versionOf = (body: RequestBody) => registry.find(requiredString(body, 'ResourceArn'));
  return {
    async TagResource(body) {
      const version = await versionOf(body);
      const tags = tagMap(body.Tags);
      const keys = new Set([...version.tags.keys(), ...Object.keys(tags)]);
      if (keys.size > MAX_TAGS_PER_RESOURCE) {
        throw new RekognitionError(
          'ServiceQuotaExceededException',
          `A resource has at most ${MAX_TAGS_PER_RESOURCE} tags; ${version.record.projectVersionArn} would have ${keys.size}.`,
        );
      }
      for (const [key, value] of Object.entries(tags)) version.tags.set(key, value);
      return {};
    },

    async UntagResource(body) {
      const version = await versionOf(body);
      for (const key of tagKeys(body.TagKeys)) version.tags.delete(key);
      return {};
    },

    async ListTagsForResource(body) {
      const version = await versionOf(body);
      return { Tags: Object.fromEntries(version.tags) };
    },
  };
}

function tagMap(tags: unknown): Record<string, string> {
  if (typeof tags !== 'object' || tags === null || Array.isArray(tags)) {
    throw invalidParameter('Tags is required: a map of tag keys to values.');
  }
  const entries = Object.entries(tags);
  if (entries.length > MAX_TAG_KEYS_PER_REQUEST) {
    throw invalidParameter(`Tags may hold at most ${MAX_TAG_KEYS_PER_REQUEST} entries.`);
  }
  for (const [key, value] of entries) {
    checkKey(key);
    if (typeof value !== 'string' || !TAG_VALUE.test(value)) {
      throw invalidParameter(
        `The value of tag ${JSON.stringify(key)} must be 0 to 256 letters, digits, spaces or _.:/=+-@; got ${JSON.stringify(value)}.`,
      );
    }
  }
  return tags as Record<string, string>;
}

function tagKeys(keys: unknown): string[] {
  if (!Array.isArray(keys) || keys.length > MAX_TAG_KEYS_PER_REQUEST) {
    throw invalidParameter(`TagKeys is required: a list of at most ${MAX_TAG_KEYS_PER_REQUEST} tag keys.`);
  }
  for (const key of keys) checkKey(key);
  return keys as string[];
}

function checkKey(key: unknown): void {
  if (typeof key !== 'string' || !TAG_KEY.test(key)) {
    throw invalidParameter(
      `Tag key ${JSON.stringify(key)} must be 1 to 128 letters, digits, spaces or _.:/=+-@, not starting with "aws:".`,
    );
  }
}
