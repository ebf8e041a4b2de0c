/**
 * The queue policy that lets S3 deliver the source bucket's events, and nothing else: only the S3
 * service, only SendMessage, only for that bucket (and that account, so a bucket of the same name
 * re-created elsewhere after deletion cannot send).
 */
export function sourceBucketSendPolicy(queueArn: string, sourceBucket: string): string {
  const [, partition, , , account] = queueArn.split(':');
  return JSON.stringify({
    Version: '2012-10-17',
    Statement: [
      {
        Sid: 'SourceBucketEvents',
        Effect: 'Allow',
        Principal: { Service: 's3.amazonaws.com' },
        Action: 'sqs:SendMessage',
        Resource: queueArn,
        Condition: {
          ArnEquals: { 'aws:SourceArn': `arn:${partition}:s3:::${sourceBucket}` },
          ...(/^\d{12}$/.test(account) && { StringEquals: { 'aws:SourceAccount': account } }),
        },
      },
    ],
  });
}
