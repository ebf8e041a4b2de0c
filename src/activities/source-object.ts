import { HeadObjectCommand } from '@aws-sdk/client-s3';
import { ApplicationFailure } from '@temporalio/common';
import { describeObject, type AnnouncedObject } from '../announced-object';
import { asActivityFailure } from './aws-errors';
import type { ActivityDeps } from './deps';
import { quotedETag } from './storage';

/** What HeadObject answers for an object that is not there, or no longer the announced one. */
const GONE_STATUSES = new Set([404, 412]);

export function createSourceObjectActivities({ s3 }: ActivityDeps) {
  return {
    /**
     * Whether the announced object still exists: the only proof that an image Rekognition could not
     * read is gone rather than out of its reach. Without s3:ListBucket, S3 answers a missing object
     * with 403 too, so a denial names both permissions and fails the batch instead of guessing.
     */
    async sourceObjectExists(object: AnnouncedObject): Promise<boolean> {
      try {
        await s3.send(
          new HeadObjectCommand({
            Bucket: object.bucket,
            Key: object.key,
            VersionId: object.versionId,
            IfMatch: object.versionId ? undefined : quotedETag(object.eTag),
          }),
        );
        return true;
      } catch (error) {
        const status = (error as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode;
        if (status !== undefined && GONE_STATUSES.has(status)) return false;
        if (status === 403) throw accessDenied(object);
        throw asActivityFailure(`HeadObject ${describeObject(object)}`, error);
      }
    },
  };
}

function accessDenied(object: AnnouncedObject): ApplicationFailure {
  const read = object.versionId ? 's3:GetObjectVersion' : 's3:GetObject';
  return ApplicationFailure.nonRetryable(
    `The worker may not look at ${describeObject(object)} (HeadObject: 403 Access Denied): grant it ${read} on the source bucket's objects and s3:ListBucket on the bucket (iam/worker-policy.json), then run the batch again`,
    'SourceObjectAccessDenied',
  );
}
