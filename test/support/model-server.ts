import { startLocalRekognitionServer, type LocalRekognitionServer } from '../../src/local/rekognition';
import { testEnv } from './test-env';

/**
 * A model server of the test's own on the suite's moto, serving the models in `modelsDir` (default: the
 * suite's sample model): starts in 0.3 s, stops in 0.1 s, 20 images/s per inference unit.
 */
export function startTestModelServer(modelsDir = testEnv('modelsDir')): Promise<LocalRekognitionServer> {
  return startLocalRekognitionServer({
    modelsDir,
    s3Endpoint: testEnv('motoEndpoint'),
    startDelayMs: 300,
    stopDelayMs: 100,
    transactionsPerSecondPerInferenceUnit: 20,
  });
}
