import type { S3Client } from '@aws-sdk/client-s3';
import { withBoxes } from './detection-answer';
import { invalidParameter } from './errors';
import type { Faults } from './faults';
import { readImage, validateImage } from './image-input';
import type { CustomLabel } from './model-version';
import { optionalNumber, projectArn, projectVersionArn, type RequestBody } from './request-fields';
import { createTagOperations } from './tag-operations';
import type { VersionRegistry } from './version-registry';

export type Operation = (body: RequestBody, signal: AbortSignal) => Promise<unknown>;

const MAX_VERSION_NAMES = 10;
const MAX_PROJECT_NAMES = 10;

export function createOperations(
  registry: VersionRegistry,
  s3: S3Client,
  faults: Faults,
): Record<string, Operation> {
  const images = { s3, readDenied: (bucket: string, key: string) => faults.readDenied(bucket, key) };
  return {
    ...createTagOperations(registry),

    async DescribeProjects(body) {
      const names = stringList(body, 'ProjectNames', MAX_PROJECT_NAMES);
      const projects = await registry.projects();
      const matching = names ? projects.filter((p) => names.includes(p.name)) : projects;
      return paged(body, matching, 'ProjectDescriptions', (p) => ({
        ProjectArn: p.projectArn,
        CreationTimestamp: p.createdAt / 1000,
        Status: 'CREATED',
      }));
    },

    async DescribeProjectVersions(body) {
      const versions = await registry.inProject(projectArn(body));
      const names = stringList(body, 'VersionNames', MAX_VERSION_NAMES);
      const matching = names ? versions.filter((v) => names.includes(v.record.versionName)) : versions;
      return paged(body, matching, 'ProjectVersionDescriptions', (v) => v.describe());
    },

    async StartProjectVersion(body) {
      const version = await registry.find(projectVersionArn(body));
      const min = optionalNumber(body, 'MinInferenceUnits', { min: 1, max: 1000, integer: true });
      if (min === undefined) throw invalidParameter('MinInferenceUnits is required (an integer ≥ 1).');
      const max = optionalNumber(body, 'MaxInferenceUnits', { min: 1, max: 1000, integer: true });
      if (max !== undefined && max < min) {
        throw invalidParameter(`MaxInferenceUnits (${max}) must not be below MinInferenceUnits (${min}).`);
      }
      return { Status: version.start(min, max) };
    },

    async StopProjectVersion(body) {
      const version = await registry.find(projectVersionArn(body));
      return { Status: version.stop() };
    },

    async DetectCustomLabels(body, signal) {
      const version = await registry.find(projectVersionArn(body));
      const minConfidence = optionalNumber(body, 'MinConfidence', { min: 0, max: 100 });
      const maxResults = optionalNumber(body, 'MaxResults', {
        min: 0,
        max: Number.MAX_SAFE_INTEGER,
        integer: true,
      });
      const { scorer, done } = version.admitInference();
      try {
        const image = await readImage(body.Image, images, signal);
        await validateImage(image);
        const labels = await scorer.classify(image);
        const threshold = (label: CustomLabel) =>
          minConfidence ?? version.record.thresholds[label.Name] ?? 50;
        const confident = labels.filter((label) => label.Confidence >= threshold(label));
        const answer = maxResults === undefined ? confident : confident.slice(0, maxResults);
        return { CustomLabels: faults.answersWithBoxes ? withBoxes(answer) : answer };
      } finally {
        done();
      }
    },
  };
}

function stringList(body: RequestBody, field: string, max: number): string[] | undefined {
  const names = body[field];
  if (names === undefined) return undefined;
  if (
    !Array.isArray(names) ||
    names.length === 0 ||
    names.length > max ||
    !names.every((n) => typeof n === 'string')
  ) {
    throw invalidParameter(`${field} must be a list of 1 to ${max} names.`);
  }
  return names;
}

/** MaxResults/NextToken paging, as the Describe operations do it. */
function paged<T>(
  body: RequestBody,
  items: T[],
  field: string,
  describe: (item: T) => unknown,
): Record<string, unknown> {
  const pageSize = optionalNumber(body, 'MaxResults', { min: 1, max: 100, integer: true }) ?? 100;
  const offset = pageOffset(body.NextToken);
  const page = items.slice(offset, offset + pageSize);
  const nextOffset = offset + page.length;
  return {
    [field]: page.map(describe),
    NextToken: nextOffset < items.length ? encodePageToken(nextOffset) : undefined,
  };
}

function encodePageToken(offset: number): string {
  return Buffer.from(JSON.stringify({ offset })).toString('base64');
}

function pageOffset(token: unknown): number {
  if (token === undefined) return 0;
  try {
    if (typeof token !== 'string') throw new TypeError('token is not a string');
    const { offset } = JSON.parse(Buffer.from(token, 'base64').toString()) as { offset?: unknown };
    if (typeof offset === 'number' && Number.isInteger(offset) && offset >= 0) return offset;
  } catch {
    // falls through to the error below
  }
  throw invalidParameter(
    'NextToken is not a token this server issued: pass the NextToken of the previous page.',
  );
}
