import { Duration } from 'aws-cdk-lib';
import {
  Alarm,
  ComparisonOperator,
  Metric,
  TreatMissingData,
  type IAlarmAction,
} from 'aws-cdk-lib/aws-cloudwatch';
import type { Queue } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';

/**
 * Three conditions a person must look at: messages the pipeline gave up on, a model billing for longer
 * than any batch should take, and images waiting through several schedule periods (no worker, or
 * batches failing).
 */
export class PipelineAlarms extends Construct {
  constructor(
    scope: Construct,
    id: string,
    props: {
      queue: Queue;
      deadLetterQueue: Queue;
      /** The model's dimensions in AWS/Rekognition. */
      projectName: string;
      versionName: string;
      modelRunningAlarmHours: number;
      oldestMessageAlarmSeconds: number;
      action?: IAlarmAction;
    },
  ) {
    super(scope, id);
    const alarms = [
      new Alarm(this, 'DeadLetterQueueNotEmpty', {
        alarmDescription:
          'Messages reached the dead-letter queue: the pipeline gave up on them. Look at them, fix the cause, move them back.',
        // SQS publishes every 5 minutes; Maximum catches a message however briefly it was there.
        metric: props.deadLetterQueue.metricApproximateNumberOfMessagesVisible({
          period: Duration.minutes(5),
          statistic: 'Maximum',
        }),
        threshold: 1,
        comparisonOperator: ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
        evaluationPeriods: 1,
        treatMissingData: TreatMissingData.NOT_BREACHING,
      }),
      new Alarm(this, 'ModelRunningTooLong', {
        alarmDescription: `The model has been RUNNING (and billing) for ${props.modelRunningAlarmHours} hours in a row: a batch may be stuck or a run was terminated without stopping it.`,
        // Rekognition publishes the inference units in service per model while it runs (models started
        // since August 2022) and nothing while it is stopped: each hour with at least one unit all hour
        // long counts, and an hour without data breaks the run.
        metric: new Metric({
          namespace: 'AWS/Rekognition',
          metricName: 'InServiceInferenceUnits',
          dimensionsMap: { ProjectName: props.projectName, VersionName: props.versionName },
          period: Duration.hours(1),
          statistic: 'Minimum',
        }),
        threshold: 1,
        comparisonOperator: ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
        evaluationPeriods: props.modelRunningAlarmHours,
        treatMissingData: TreatMissingData.NOT_BREACHING,
      }),
      new Alarm(this, 'ImagesWaitingTooLong', {
        alarmDescription:
          'The oldest image event has waited through several schedule periods: no worker is running, the schedule is paused, or batches are failing.',
        metric: props.queue.metricApproximateAgeOfOldestMessage({
          period: Duration.minutes(5),
          statistic: 'Maximum',
        }),
        threshold: props.oldestMessageAlarmSeconds,
        comparisonOperator: ComparisonOperator.GREATER_THAN_THRESHOLD,
        evaluationPeriods: 1,
        treatMissingData: TreatMissingData.NOT_BREACHING,
      }),
    ];
    if (props.action) for (const alarm of alarms) alarm.addAlarmAction(props.action);
  }
}
