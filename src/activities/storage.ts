import { CopyObjectCommand, DeleteObjectCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import { describeObject, type AnnouncedObject } from '../announced-object';
import { awsCall, awsErrorName } from './aws-errors';
import type { ActivityDeps } from './deps';

export interface ObjectLocation {
  bucket: string;
  key: string;
}

/** A copy source that no longer is the announced object: its version gone, or the key holds a newer one. */
const ANNOUNCED_OBJECT_GONE = new Set(['NoSuchKey', 'NoSuchVersion', 'PreconditionFailed']);

/** S3 compares entity tags in their quoted form; events carry them bare. */
export function quotedETag(eTag: string | undefined): string | undefined {
  if (!eTag) return undefined;
  return eTag.startsWith('"') ? eTag : `"${eTag}"`;
}

export function createStorageActivities({ s3 }: ActivityDeps) {
  return {
    /** Overwrites: the same input always writes the same object, so a retry never duplicates. */
    async putJson(target: ObjectLocation, document: unknown): Promise<void> {
      await awsCall(`PutObject s3://${target.bucket}/${target.key}`, () =>
        s3.send(
          new PutObjectCommand({
            Bucket: target.bucket,
            Key: target.key,
            Body: JSON.stringify(document, null, 2),
            ContentType: 'application/json',
          }),
        ),
      );
    },

    /**
     * Copies exactly the announced object (its version, or the key only while it still has the
     * announced eTag). False when that object is gone: deleted, or replaced by a newer upload, whose
     * own event brings it.
     */
    async copyObject(source: AnnouncedObject, target: ObjectLocation): Promise<boolean> {
      const version = source.versionId ? `?versionId=${encodeURIComponent(source.versionId)}` : '';
      return awsCall(`CopyObject ${describeObject(source)} → s3://${target.bucket}/${target.key}`, () =>
        s3
          .send(
            new CopyObjectCommand({
              CopySource: `${source.bucket}/${encodeURIComponent(source.key)}${version}`,
              CopySourceIfMatch: source.versionId ? undefined : quotedETag(source.eTag),
              Bucket: target.bucket,
              Key: target.key,
            }),
          )
          .then(
            () => true,
            (error: unknown) => {
              if (ANNOUNCED_OBJECT_GONE.has(awsErrorName(error))) return false;
              throw error;
            },
          ),
      );
    },

    /**
     * Removes the announced object and nothing else. A version is deleted for good (a delete without
     * it would only hide the image behind a delete marker, and the image would not have moved); without
     * versions, the key is deleted only while it holds the announced eTag, so a newer upload stays for
     * its own event. Repeating it is harmless.
     */
    async deleteObject(object: AnnouncedObject): Promise<void> {
      await awsCall(`DeleteObject ${describeObject(object)}`, () =>
        s3
          .send(
            new DeleteObjectCommand({
              Bucket: object.bucket,
              Key: object.key,
              VersionId: object.versionId,
              IfMatch: object.versionId ? undefined : quotedETag(object.eTag),
            }),
          )
          .catch((error: unknown) => {
            if (!ANNOUNCED_OBJECT_GONE.has(awsErrorName(error))) throw error;
          }),
      );
    },
  };
}
