import { Duration } from 'aws-cdk-lib';
import { PolicyStatement } from 'aws-cdk-lib/aws-iam';
import { Queue, QueueEncryption, type CfnQueue } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import {
  DEAD_LETTER_RETENTION_SECONDS,
  IMAGE_QUEUE_RETENTION_SECONDS,
  redrivePolicy,
  sourceBucketSendPolicyDocument,
} from '../../src/provision/definitions';

/**
 * The image queue and its dead-letter queue, as `provision` makes them (src/provision/definitions.ts),
 * plus what only AWS has: SQS-managed encryption (S3 can send to it, unlike the aws/sqs KMS key) and
 * TLS-only access.
 */
export class ImageQueues extends Construct {
  readonly queue: Queue;
  readonly deadLetterQueue: Queue;

  constructor(
    scope: Construct,
    id: string,
    props: {
      queueName: string;
      visibilityTimeoutSeconds: number;
      maxReceiveCount: number;
      sourceBucketArn: string;
      account: string;
    },
  ) {
    super(scope, id);
    const secured = { encryption: QueueEncryption.SQS_MANAGED, enforceSSL: true };
    this.deadLetterQueue = new Queue(this, 'DeadLetterQueue', {
      ...secured,
      queueName: `${props.queueName}-dlq`,
      retentionPeriod: Duration.seconds(DEAD_LETTER_RETENTION_SECONDS),
    });
    this.queue = new Queue(this, 'Queue', {
      ...secured,
      queueName: props.queueName,
      visibilityTimeout: Duration.seconds(props.visibilityTimeoutSeconds),
      retentionPeriod: Duration.seconds(IMAGE_QUEUE_RETENTION_SECONDS),
    });
    (this.queue.node.defaultChild as CfnQueue).redrivePolicy = redrivePolicy(
      this.deadLetterQueue.queueArn,
      props.maxReceiveCount,
    );
    const sendPolicy = sourceBucketSendPolicyDocument({
      queueArn: this.queue.queueArn,
      sourceBucketArn: props.sourceBucketArn,
      account: props.account,
    });
    for (const statement of sendPolicy.Statement) {
      this.queue.addToResourcePolicy(PolicyStatement.fromJson(statement));
    }
  }
}
