import { RemovalPolicy } from 'aws-cdk-lib';
import {
  BlockPublicAccess,
  Bucket,
  BucketEncryption,
  ObjectOwnership,
  type CfnBucket,
} from 'aws-cdk-lib/aws-s3';
import type { Queue } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { OBJECT_CREATED_EVENT } from '../../src/provision/definitions';

/** What both buckets share: private, encrypted, TLS-only, and kept when the stack is deleted. */
const SECURE_BUCKET = {
  blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
  encryption: BucketEncryption.S3_MANAGED,
  enforceSSL: true,
  objectOwnership: ObjectOwnership.BUCKET_OWNER_ENFORCED,
  // A stack deletion (or a replacement) must never delete images or results.
  removalPolicy: RemovalPolicy.RETAIN,
};

/**
 * The source bucket, whose ObjectCreated events go to the queue, and the results bucket, which sends
 * none (outputs there never trigger the pipeline again).
 */
export class ImageBuckets extends Construct {
  readonly source: Bucket;
  readonly results: Bucket;

  constructor(scope: Construct, id: string, props: { sourceBucketName: string; resultsBucketName: string }) {
    super(scope, id);
    // Versioned: an image overwritten or deleted before its batch can still be recovered.
    this.source = new Bucket(this, 'Source', {
      ...SECURE_BUCKET,
      bucketName: props.sourceBucketName,
      versioned: true,
    });
    this.results = new Bucket(this, 'Results', { ...SECURE_BUCKET, bucketName: props.resultsBucketName });
  }

  /**
   * The notification as a plain property of the bucket: Bucket.addEventNotification would deploy a
   * Lambda-backed custom resource to set it. S3 checks the queue policy when the notification is set,
   * so the bucket waits for that policy.
   */
  notifySourceEventsTo(queue: Queue): void {
    const bucket = this.source.node.defaultChild as CfnBucket;
    bucket.notificationConfiguration = {
      queueConfigurations: [{ event: OBJECT_CREATED_EVENT, queue: queue.queueArn }],
    };
    bucket.node.addDependency(queue.node.findChild('Policy'));
  }
}
