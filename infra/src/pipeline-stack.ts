import {
  Aws,
  CfnOutput,
  CfnParameter,
  CliCredentialsStackSynthesizer,
  Fn,
  Stack,
  type StackProps,
} from 'aws-cdk-lib';
import { SnsAction } from 'aws-cdk-lib/aws-cloudwatch-actions';
import { ManagedPolicy, Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { Topic } from 'aws-cdk-lib/aws-sns';
import { EmailSubscription } from 'aws-cdk-lib/aws-sns-subscriptions';
import type { Construct } from 'constructs';
import { PipelineAlarms } from './alarms';
import { ImageBuckets } from './buckets';
import { ImageQueues } from './queues';
import type { StackSettings } from './settings';
import { workerPolicyDocument } from './worker-policy';
import { WorkerService } from './worker-service';

/** Everything the pipeline needs in one AWS account and region; the model itself is trained outside. */
export class PipelineStack extends Stack {
  constructor(scope: Construct, id: string, settings: StackSettings, props?: StackProps) {
    super(scope, id, {
      // Deploys with the caller's own credentials: the stack has no assets, so no `cdk bootstrap` is needed.
      synthesizer: new CliCredentialsStackSynthesizer(),
      // No CDKMetadata resource: the template holds only what the pipeline needs.
      analyticsReporting: false,
      ...props,
    });
    const projectVersionArn = new CfnParameter(this, 'ProjectVersionArn', {
      description: 'The Custom Labels model version the batches run (PROJECT_VERSION_ARN).',
      // The same form src/config/settings-spec.ts accepts.
      allowedPattern:
        '^arn:[a-z0-9-]+:rekognition:[a-z0-9-]+:[0-9]{12}:project/[a-zA-Z0-9_.-]{1,255}/version/[a-zA-Z0-9_.-]{1,255}/[0-9]+$',
    }).valueAsString;
    // …:project/<name>/version/<version>/<number>
    const arnParts = Fn.split('/', projectVersionArn);
    const projectName = Fn.select(1, arnParts);
    const versionName = Fn.select(3, arnParts);

    // Named, not generated: the queue policy names the source bucket's ARN, and a Ref to the bucket
    // there would be a cycle (the bucket's notification waits for that policy).
    const bucketName = (role: string) => `${settings.name}-${role}-${Aws.ACCOUNT_ID}-${Aws.REGION}`;
    const buckets = new ImageBuckets(this, 'Buckets', {
      sourceBucketName: bucketName('source'),
      resultsBucketName: bucketName('results'),
    });
    const queues = new ImageQueues(this, 'Queues', {
      queueName: `${settings.name}-images`,
      visibilityTimeoutSeconds: settings.visibilityTimeoutSeconds,
      maxReceiveCount: settings.maxReceiveCount,
      sourceBucketArn: `arn:${Aws.PARTITION}:s3:::${bucketName('source')}`,
      account: Aws.ACCOUNT_ID,
    });
    buckets.notifySourceEventsTo(queues.queue);

    const workerPolicy = new ManagedPolicy(this, 'WorkerPolicy', {
      description: 'What the custom-labels-batch worker may do (iam/worker-policy.json).',
      document: workerPolicyDocument({
        PROJECT: projectName,
        VERSION: versionName,
        QUEUE: queues.queue.queueName,
        DEAD_LETTER_QUEUE: queues.deadLetterQueue.queueName,
        SOURCE_BUCKET: buckets.source.bucketName,
        RESULTS_BUCKET: buckets.results.bucketName,
      }),
    });
    const workerRole = new Role(this, 'WorkerRole', {
      description: 'The custom-labels-batch worker (the ECS task role, or assumed by a worker elsewhere).',
      assumedBy: new ServicePrincipal('ecs-tasks.amazonaws.com'),
      managedPolicies: [workerPolicy],
    });

    const workerEnvironment = {
      SOURCE_BUCKET: buckets.source.bucketName,
      RESULTS_BUCKET: buckets.results.bucketName,
      QUEUE_URL: queues.queue.queueUrl,
      DEAD_LETTER_QUEUE_URL: queues.deadLetterQueue.queueUrl,
      PROJECT_VERSION_ARN: projectVersionArn,
      MESSAGE_VISIBILITY_TIMEOUT: `${settings.visibilityTimeoutSeconds}s`,
      AWS_REGION: Aws.REGION,
    };
    if (settings.worker) {
      new WorkerService(this, 'Worker', {
        settings: settings.worker,
        taskRole: workerRole,
        environment: workerEnvironment,
      });
    }

    // Alarm notifications carry no data worth a customer-managed key (the aws/sns key would refuse
    // CloudWatch), so the topic is unencrypted but TLS-only.
    const alarmTopic = new Topic(this, 'AlarmTopic', { enforceSSL: true });
    if (settings.alarmEmail) alarmTopic.addSubscription(new EmailSubscription(settings.alarmEmail));
    new PipelineAlarms(this, 'Alarms', {
      queue: queues.queue,
      deadLetterQueue: queues.deadLetterQueue,
      projectName,
      versionName,
      modelRunningAlarmHours: settings.modelRunningAlarmHours,
      oldestMessageAlarmSeconds: settings.oldestMessageAlarmPeriods * settings.schedulePeriodSeconds,
      action: new SnsAction(alarmTopic),
    });

    // The worker's settings as env lines, like `provision` prints them.
    for (const [name, value] of Object.entries(workerEnvironment)) {
      if (name !== 'PROJECT_VERSION_ARN' && name !== 'AWS_REGION')
        new CfnOutput(this, name.replace(/_/g, ''), { value, description: name });
    }
    new CfnOutput(this, 'WorkerRoleArn', { value: workerRole.roleArn });
    new CfnOutput(this, 'WorkerPolicyArn', { value: workerPolicy.managedPolicyArn });
    new CfnOutput(this, 'AlarmTopicArn', { value: alarmTopic.topicArn });
  }
}
