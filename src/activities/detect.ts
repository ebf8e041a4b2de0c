import { DetectCustomLabelsCommand, type CustomLabel } from '@aws-sdk/client-rekognition';
import { cancellationSignal } from '@temporalio/activity';
import { describeObject } from '../announced-object';
import { asActivityFailure, awsErrorName } from './aws-errors';
import type { ActivityDeps } from './deps';
import { recordDetectCall } from '../observability/activity-telemetry';

export type { CustomLabel } from '@aws-sdk/client-rekognition';

export interface DetectRequest {
  projectVersionArn: string;
  bucket: string;
  key: string;
  /** The version the event announced: the model reads it, not whatever the key holds now. */
  versionId?: string;
  minConfidence?: number;
}

/**
 * What the model said of one image. Rejections are outcomes, not failures; so is an image Rekognition
 * could not read (InvalidS3ObjectException), which is gone or out of its reach: only S3 can say which.
 * Labels are kept as the model returned them (an object-detection model's `Geometry` included).
 */
export type DetectOutcome =
  | { outcome: 'labelled'; labels: CustomLabel[] }
  | { outcome: 'rejected'; reason: string; message: string }
  | { outcome: 'unreadable'; message: string };

/** The model's verdicts on the image itself: retrying cannot change them. */
const IMAGE_REJECTIONS = new Set([
  'InvalidImageFormatException',
  'ImageTooLargeException',
  'InvalidParameterException',
]);

export function createDetectActivities({ rekognition }: ActivityDeps) {
  return {
    async detectCustomLabels(request: DetectRequest): Promise<DetectOutcome> {
      const startedAt = performance.now();
      try {
        const { CustomLabels: labels = [] } = await rekognition.send(
          new DetectCustomLabelsCommand({
            ProjectVersionArn: request.projectVersionArn,
            Image: {
              S3Object: { Bucket: request.bucket, Name: request.key, Version: request.versionId },
            },
            MinConfidence: request.minConfidence,
          }),
          { abortSignal: cancellationSignal() },
        );
        recordDetectCall(startedAt, 'labelled');
        return { outcome: 'labelled', labels };
      } catch (error) {
        const name = awsErrorName(error);
        if (IMAGE_REJECTIONS.has(name)) {
          recordDetectCall(startedAt, 'rejected');
          return { outcome: 'rejected', reason: name, message: (error as Error).message };
        }
        if (name === 'InvalidS3ObjectException') {
          recordDetectCall(startedAt, 'unreadable');
          return { outcome: 'unreadable', message: (error as Error).message };
        }
        recordDetectCall(startedAt, 'error', name);
        throw asActivityFailure(`DetectCustomLabels on ${describeObject(request)}`, error);
      }
    },
  };
}
