import { Client, Connection } from '@temporalio/client';
import { MODELS_DIR, sampleModelArn } from '../src/local/demo/local-stack';
import { startMoto, type MotoServer } from '../src/local/stack/moto';
import { ensurePythonTools } from '../src/local/stack/python-tools';
import { startTemporalDevServer, type TemporalDevServer } from '../src/local/stack/temporal-dev-server';

export interface BenchStack {
  temporal: TemporalDevServer;
  moto: MotoServer;
  /** Process ids, for CPU accounting. */
  pids: { temporal: number; moto: number };
  client: Client;
  modelsDir: string;
  projectVersionArn: string;
  close(): Promise<void>;
}

/**
 * What every scenario shares: a headless Temporal dev server with its default settings (in memory; batches
 * continue as new at the product's default CONTINUE_AS_NEW_AFTER_EVENTS), moto (through
 * src/local/stack/moto_server.py: atomic SQS deletes, no per-call scans of the queue), and the sample model's record
 * (trained once into .local/models, as `npm start` does; benchmark mode never runs its network).
 */
export async function startBenchStack(log: (line: string) => void): Promise<BenchStack> {
  // moto accepts any credentials; these only satisfy the SDK's provider chain (here and in children).
  process.env.AWS_ACCESS_KEY_ID = 'bench';
  process.env.AWS_SECRET_ACCESS_KEY = 'bench';
  process.env.AWS_REGION = 'us-east-1';
  ensurePythonTools(log);
  const projectVersionArn = await sampleModelArn(log);
  const [temporal, moto] = await Promise.all([startTemporalDevServer({ headless: true }), startMoto()]);
  const connection = await Connection.connect({ address: temporal.address });
  return {
    temporal,
    moto,
    pids: {
      temporal: temporal.process.pid!,
      moto: moto.pid,
    },
    client: new Client({ connection }),
    modelsDir: MODELS_DIR,
    projectVersionArn,
    async close() {
      await connection.close();
      await Promise.all([temporal.stop(), moto.stop()]);
    },
  };
}
