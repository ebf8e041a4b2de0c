import {
  StartProjectVersionCommand,
  StopProjectVersionCommand,
  type RekognitionClient,
} from '@aws-sdk/client-rekognition';
import { waitForStatus } from '../test/support/rekognition';

/** Runs `work` with the model RUNNING (for the baseline, which has no workflow to start it). */
export async function withModelRunning<T>(
  rekognition: RekognitionClient,
  projectVersionArn: string,
  work: () => Promise<T>,
): Promise<T> {
  await rekognition.send(
    new StartProjectVersionCommand({ ProjectVersionArn: projectVersionArn, MinInferenceUnits: 1 }),
  );
  await waitForStatus(rekognition, projectVersionArn, 'RUNNING', 120_000);
  try {
    return await work();
  } finally {
    await rekognition.send(new StopProjectVersionCommand({ ProjectVersionArn: projectVersionArn }));
    await waitForStatus(rekognition, projectVersionArn, 'STOPPED', 120_000);
  }
}
