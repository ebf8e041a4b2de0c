import { Match } from 'aws-cdk-lib/assertions';
import { logicalId, synthesize } from './synth';

const template = synthesize();
const topicId = logicalId(template, 'AWS::SNS::Topic');
const queueId = logicalId(template, 'AWS::SQS::Queue', (p) => p.RedrivePolicy !== undefined);
const deadLetterId = logicalId(template, 'AWS::SQS::Queue', (p) => p.RedrivePolicy === undefined);
const modelArnPart = (index: number) => ({
  'Fn::Select': [index, { 'Fn::Split': ['/', { Ref: 'ProjectVersionArn' }] }],
});

describe('alarms', () => {
  it('fire when any message is in the dead-letter queue', () => {
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      Namespace: 'AWS/SQS',
      MetricName: 'ApproximateNumberOfMessagesVisible',
      Dimensions: [{ Name: 'QueueName', Value: { 'Fn::GetAtt': [deadLetterId, 'QueueName'] } }],
      Statistic: 'Maximum',
      Period: 300,
      Threshold: 1,
      ComparisonOperator: 'GreaterThanOrEqualToThreshold',
      EvaluationPeriods: 1,
      TreatMissingData: 'notBreaching',
      AlarmActions: [{ Ref: topicId }],
    });
  });

  it('fire when the model has had inference units in service for 4 whole hours in a row', () => {
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      Namespace: 'AWS/Rekognition',
      MetricName: 'InServiceInferenceUnits',
      Dimensions: Match.arrayEquals([
        { Name: 'ProjectName', Value: modelArnPart(1) },
        { Name: 'VersionName', Value: modelArnPart(3) },
      ]),
      Statistic: 'Minimum',
      Period: 3600,
      Threshold: 1,
      ComparisonOperator: 'GreaterThanOrEqualToThreshold',
      EvaluationPeriods: 4,
      TreatMissingData: 'notBreaching',
      AlarmActions: [{ Ref: topicId }],
    });
  });

  it('fire when the oldest image has waited more than 2 schedule periods (default schedule: 1h)', () => {
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      Namespace: 'AWS/SQS',
      MetricName: 'ApproximateAgeOfOldestMessage',
      Dimensions: [{ Name: 'QueueName', Value: { 'Fn::GetAtt': [queueId, 'QueueName'] } }],
      Statistic: 'Maximum',
      Period: 300,
      Threshold: 2 * 3600,
      ComparisonOperator: 'GreaterThanThreshold',
      EvaluationPeriods: 1,
      TreatMissingData: 'notBreaching',
      AlarmActions: [{ Ref: topicId }],
    });
    template.resourceCountIs('AWS::CloudWatch::Alarm', 3);
  });

  it('take their thresholds from the context', () => {
    const custom = synthesize({
      schedulePeriod: '15m',
      oldestMessageAlarmPeriods: '3',
      modelRunningAlarmHours: '6',
    });
    custom.hasResourceProperties('AWS::CloudWatch::Alarm', {
      MetricName: 'ApproximateAgeOfOldestMessage',
      Threshold: 3 * 15 * 60,
    });
    custom.hasResourceProperties('AWS::CloudWatch::Alarm', {
      MetricName: 'InServiceInferenceUnits',
      EvaluationPeriods: 6,
    });
  });

  it('notify a TLS-only topic, and an email address when one is given', () => {
    template.hasResourceProperties('AWS::SNS::TopicPolicy', {
      PolicyDocument: {
        Statement: [
          Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
        ],
      },
    });
    template.resourceCountIs('AWS::SNS::Subscription', 0);
    synthesize({ alarmEmail: 'ops@example.com' }).hasResourceProperties('AWS::SNS::Subscription', {
      Protocol: 'email',
      Endpoint: 'ops@example.com',
      TopicArn: { Ref: topicId },
    });
  });
});
