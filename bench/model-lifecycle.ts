import type { RekognitionClient } from '@aws-sdk/client-rekognition';
import { startModel, stopModel } from '../test/support/rekognition';

/** Runs `work` with the model RUNNING (for the baseline, which has no workflow to start it). */
export async function withModelRunning<T>(
  rekognition: RekognitionClient,
  projectVersionArn: string,
  work: () => Promise<T>,
): Promise<T> {
  await startModel(rekognition, projectVersionArn, { timeoutMs: 120_000 });
  try {
    return await work();
  } finally {
    await stopModel(rekognition, projectVersionArn, { timeoutMs: 120_000 });
  }
}
