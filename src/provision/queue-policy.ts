import { sourceBucketSendPolicyDocument } from './definitions';

/** The source bucket's send policy for the queue `queueArn`, as SQS's Policy attribute wants it. */
export function sourceBucketSendPolicy(queueArn: string, sourceBucket: string): string {
  const [, partition, , , account] = queueArn.split(':');
  return JSON.stringify(
    sourceBucketSendPolicyDocument({
      queueArn,
      sourceBucketArn: `arn:${partition}:s3:::${sourceBucket}`,
      // moto's and other stand-ins' ARNs may carry no real account id.
      account: /^\d{12}$/.test(account) ? account : undefined,
    }),
  );
}
