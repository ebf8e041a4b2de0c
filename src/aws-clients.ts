import { RekognitionClient } from '@aws-sdk/client-rekognition';
import { S3Client } from '@aws-sdk/client-s3';
import { SQSClient } from '@aws-sdk/client-sqs';
import type { ActivityDeps } from './activities';
import type { Config } from './config/config';
import { UserError } from './config/user-error';

/**
 * The AWS clients, from the validated config; credentials, and the region unless set, come from the
 * standard provider chain and never from this code. A custom endpoint (moto, the local model server)
 * implies path-style S3.
 */
export function createAwsClients(
  config: Pick<Config, 'awsRegion' | 'awsEndpointUrl' | 'rekognitionEndpointUrl'>,
): ActivityDeps & { destroy(): void } {
  const common = { region: config.awsRegion, endpoint: config.awsEndpointUrl };
  const s3 = new S3Client({ ...common, forcePathStyle: config.awsEndpointUrl !== undefined });
  const sqs = new SQSClient(common);
  // Retries belong to Temporal's activity retry policy, with its visible backoff and attempt count.
  const rekognition = new RekognitionClient({
    ...common,
    endpoint: config.rekognitionEndpointUrl ?? config.awsEndpointUrl,
    maxAttempts: 1,
  });
  return {
    s3,
    sqs,
    rekognition,
    destroy() {
      s3.destroy();
      sqs.destroy();
      rekognition.destroy();
    },
  };
}

/**
 * The region the clients will use, resolved now: without one the SDK would fail only at the first
 * call, inside an activity, long after the command started.
 */
export async function resolvedRegion(clients: Pick<ActivityDeps, 's3'>): Promise<string> {
  try {
    return await clients.s3.config.region();
  } catch {
    throw new UserError(
      'no AWS region: set AWS_REGION or --aws-region, or a region in your AWS profile (~/.aws/config).',
    );
  }
}
