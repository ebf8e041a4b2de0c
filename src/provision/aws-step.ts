import { awsErrorName, classifyAwsError } from '../activities/aws-errors';
import { UserError } from '../config/user-error';

/** The IAM action behind each AWS operation provision calls: iam/provision-policy.json grants exactly these. */
export const PROVISION_PERMISSIONS = {
  HeadBucket: 's3:ListBucket',
  CreateBucket: 's3:CreateBucket',
  GetBucketVersioning: 's3:GetBucketVersioning',
  PutBucketVersioning: 's3:PutBucketVersioning',
  GetBucketNotificationConfiguration: 's3:GetBucketNotification',
  PutBucketNotificationConfiguration: 's3:PutBucketNotification',
  GetQueueUrl: 'sqs:GetQueueUrl',
  CreateQueue: 'sqs:CreateQueue',
  GetQueueAttributes: 'sqs:GetQueueAttributes',
  SetQueueAttributes: 'sqs:SetQueueAttributes',
} as const;

export type ProvisionOperation = keyof typeof PROVISION_PERMISSIONS;

const DENIED = new Set(['AccessDenied', 'AccessDeniedException']);
const BAD_CREDENTIALS = new Set([
  'CredentialsProviderError',
  'InvalidAccessKeyId',
  'InvalidClientTokenId',
  'UnrecognizedClientException',
  'SignatureDoesNotMatch',
  'ExpiredToken',
  'ExpiredTokenException',
]);

/**
 * Runs one AWS call of provisioning. Whoever runs provision is a person at a terminal, so a failure
 * becomes a UserError saying what failed, on which resource, and what to do about it.
 */
export async function provisionStep<T>(
  operation: ProvisionOperation,
  resource: string,
  call: () => Promise<T>,
): Promise<T> {
  try {
    return await call();
  } catch (error) {
    if (error instanceof UserError) throw error;
    throw new UserError(explainFailure(operation, resource, error), { cause: error });
  }
}

function explainFailure(operation: ProvisionOperation, resource: string, error: unknown): string {
  const name = awsErrorName(error);
  const what = `${operation} on ${resource}`;
  if (DENIED.has(name)) {
    return `${what} was denied: the credentials need ${PROVISION_PERMISSIONS[operation]} on it (iam/provision-policy.json lists every permission provision uses).`;
  }
  if (BAD_CREDENTIALS.has(name)) {
    return `${what} failed: the AWS credentials are missing, invalid or expired (${name}); set AWS_PROFILE or AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY and re-run.`;
  }
  const detail = `${name}: ${(error as Error).message}`;
  if (classifyAwsError(error) === 'transient') {
    return `${what} still failed after retries (${detail}); this is usually temporary, or AWS_ENDPOINT_URL/AWS_REGION point nowhere: check them and re-run provision, which is safe to repeat.`;
  }
  return `${what} failed (${detail}); fix the cause and re-run provision, which is safe to repeat.`;
}
