import {
  CreateBucketCommand,
  GetBucketVersioningCommand,
  HeadBucketCommand,
  PutBucketVersioningCommand,
  type BucketLocationConstraint,
  type S3Client,
} from '@aws-sdk/client-s3';
import { awsErrorName } from '../activities/aws-errors';
import { UserError } from '../config/user-error';
import { provisionStep } from './aws-step';
import type { Outcome } from './report';

type BucketLookup = { state: 'present'; region?: string } | { state: 'absent' } | { state: 'hidden' };

/** Creates the bucket in `region` unless this account already has it there. */
export async function ensureBucket(s3: S3Client, bucket: string, region: string): Promise<Outcome> {
  const resource = `bucket ${bucket}`;
  // CreateBucket alone cannot tell: in us-east-1 it answers 200 for a bucket this account already owns.
  const found = await provisionStep('HeadBucket', resource, () => lookUpBucket(s3, bucket));
  if (found.state === 'present') {
    assertBucketRegion(bucket, found.region ?? region, region);
    return 'existing';
  }
  return provisionStep('CreateBucket', resource, () => createBucket(s3, bucket, region));
}

/**
 * Turns versioning on, so that every event names the version it announces and the pipeline labels,
 * moves and deletes exactly that one: an upload under the same key meanwhile is a version of its own.
 */
export async function ensureBucketVersioning(s3: S3Client, bucket: string): Promise<Outcome> {
  const resource = `versioning of bucket ${bucket}`;
  const { Status } = await provisionStep('GetBucketVersioning', resource, () =>
    s3.send(new GetBucketVersioningCommand({ Bucket: bucket })),
  );
  if (Status === 'Enabled') return 'existing';
  await provisionStep('PutBucketVersioning', resource, () =>
    s3.send(
      new PutBucketVersioningCommand({ Bucket: bucket, VersioningConfiguration: { Status: 'Enabled' } }),
    ),
  );
  // Never enabled before reads as no status at all; suspended is a setting changed back.
  return Status === 'Suspended' ? 'updated' : 'created';
}

async function lookUpBucket(s3: S3Client, bucket: string): Promise<BucketLookup> {
  try {
    const { BucketRegion } = await s3.send(new HeadBucketCommand({ Bucket: bucket }));
    return { state: 'present', region: BucketRegion };
  } catch (error) {
    const { $metadata, $response } = error as {
      $metadata?: { httpStatusCode?: number };
      $response?: { headers?: Record<string, string | undefined> };
    };
    switch ($metadata?.httpStatusCode) {
      case 404:
        return { state: 'absent' };
      // A bucket in another region answers with a redirect naming its region.
      case 301:
        return { state: 'present', region: $response?.headers?.['x-amz-bucket-region'] };
      // Another account's bucket, or any bucket without s3:ListBucket, answers 403: CreateBucket tells which.
      case 403:
        return { state: 'hidden' };
      default:
        throw error;
    }
  }
}

async function createBucket(s3: S3Client, bucket: string, region: string): Promise<Outcome> {
  try {
    await s3.send(
      new CreateBucketCommand({
        Bucket: bucket,
        // us-east-1 is S3's default location and rejects being named as a constraint.
        ...(region !== 'us-east-1' && {
          CreateBucketConfiguration: { LocationConstraint: region as BucketLocationConstraint },
        }),
      }),
    );
    return 'created';
  } catch (error) {
    if (awsErrorName(error) === 'BucketAlreadyOwnedByYou') return 'existing';
    if (awsErrorName(error) === 'BucketAlreadyExists') {
      throw new UserError(
        `bucket ${bucket} belongs to another AWS account (bucket names are global across all accounts): choose another bucket name and re-run.`,
      );
    }
    throw error;
  }
}

function assertBucketRegion(bucket: string, actual: string, wanted: string): void {
  if (actual === wanted) return;
  throw new UserError(
    `bucket ${bucket} is in ${actual}, not ${wanted}: S3 notifies only queues in the bucket's region and Rekognition reads only images in its own, so keep everything in one region: set AWS_REGION=${actual} or choose another bucket name.`,
  );
}
