import { CopyObjectCommand, DeleteObjectCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import { awsCall, ignoreError } from './aws-errors';
import type { ActivityDeps } from './deps';

export interface ObjectLocation {
  bucket: string;
  key: string;
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

    /** False when the source is gone (deleted since its event was sent): nothing is copied then. */
    async copyObject(source: ObjectLocation, target: ObjectLocation): Promise<boolean> {
      return awsCall(
        `CopyObject s3://${source.bucket}/${source.key} → s3://${target.bucket}/${target.key}`,
        () =>
          s3
            .send(
              new CopyObjectCommand({
                CopySource: `${source.bucket}/${encodeURIComponent(source.key)}`,
                Bucket: target.bucket,
                Key: target.key,
              }),
            )
            .then(() => true, ignoreError('NoSuchKey', false)),
      );
    },

    /** Deleting an object that is already gone succeeds in S3: safe to repeat. */
    async deleteObject(target: ObjectLocation): Promise<void> {
      await awsCall(`DeleteObject s3://${target.bucket}/${target.key}`, () =>
        s3.send(new DeleteObjectCommand({ Bucket: target.bucket, Key: target.key })),
      );
    },
  };
}
