import { HeadObjectCommand } from '@aws-sdk/client-s3';
import { asActivityFailure } from './aws-errors';
import type { ActivityDeps } from './deps';
import type { ObjectLocation } from './storage';

export function createResultActivities({ s3 }: ActivityDeps) {
  return {
    /**
     * Whether an output is already in the results bucket: an image whose source is gone when it is
     * copied was moved by an earlier attempt whose record was lost (a local activity's result is
     * durable only with its workflow task), or by someone else, who wrote no outputs.
     */
    async resultExists(location: ObjectLocation): Promise<boolean> {
      try {
        await s3.send(new HeadObjectCommand({ Bucket: location.bucket, Key: location.key }));
        return true;
      } catch (error) {
        const status = (error as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode;
        if (status === 404) return false;
        throw asActivityFailure(`HeadObject s3://${location.bucket}/${location.key}`, error);
      }
    },
  };
}
