import { DetectCustomLabelsCommand } from '@aws-sdk/client-rekognition';
import { cancellationSignal } from '@temporalio/activity';
import { asActivityFailure, awsErrorName } from './aws-errors';
import type { ActivityDeps } from './deps';

export interface DetectRequest {
  projectVersionArn: string;
  bucket: string;
  key: string;
  minConfidence?: number;
}

export interface CustomLabel {
  Name: string;
  Confidence: number;
}

/** What the model said of one image. Rejections and missing images are outcomes, not failures. */
export type DetectOutcome =
  | { outcome: 'labelled'; labels: CustomLabel[] }
  | { outcome: 'rejected'; reason: string; message: string }
  | { outcome: 'missing'; message: string };

/** The model's verdicts on the image itself: retrying cannot change them. */
const IMAGE_REJECTIONS = new Set([
  'InvalidImageFormatException',
  'ImageTooLargeException',
  'InvalidParameterException',
]);

export function createDetectActivities({ rekognition }: ActivityDeps) {
  return {
    async detectCustomLabels(request: DetectRequest): Promise<DetectOutcome> {
      const where = `s3://${request.bucket}/${request.key}`;
      try {
        const { CustomLabels: labels = [] } = await rekognition.send(
          new DetectCustomLabelsCommand({
            ProjectVersionArn: request.projectVersionArn,
            Image: { S3Object: { Bucket: request.bucket, Name: request.key } },
            MinConfidence: request.minConfidence,
          }),
          { abortSignal: cancellationSignal() },
        );
        return {
          outcome: 'labelled',
          labels: labels.map((label) => ({ Name: label.Name ?? '', Confidence: label.Confidence ?? 0 })),
        };
      } catch (error) {
        const name = awsErrorName(error);
        if (IMAGE_REJECTIONS.has(name))
          return { outcome: 'rejected', reason: name, message: (error as Error).message };
        if (name === 'InvalidS3ObjectException')
          return { outcome: 'missing', message: (error as Error).message };
        throw asActivityFailure(`DetectCustomLabels on ${where}`, error);
      }
    },
  };
}
