import { join } from 'node:path';
import { startChildService } from '../src/local/stack/child-service';
import { freePort } from '../src/local/stack/free-port';
import type { MotoServer } from '../src/local/stack/moto';
import { venvBinary } from '../src/local/stack/python-tools';

/**
 * moto for S3 and SQS, as src/local/stack/moto.ts starts it, but through moto_sqs_lock.py: moto 5.2.1
 * can lose a DeleteMessage when two run at once, which would stall a batch for a whole visibility
 * timeout and corrupt every figure measured here.
 */
export async function startMotoWithSqsLock(): Promise<MotoServer & { pid: number }> {
  const port = await freePort();
  const endpoint = `http://127.0.0.1:${port}`;
  const service = await startChildService({
    name: 'moto_server (SQS deletes serialised)',
    command: venvBinary('python3'),
    args: [join(__dirname, 'moto_sqs_lock.py'), '-H', '127.0.0.1', '-p', String(port)],
    isReady: async () => (await fetch(`${endpoint}/moto-api/`)).ok,
  });
  return {
    endpoint,
    pid: service.process.pid!,
    async reset() {
      await fetch(`${endpoint}/moto-api/reset`, { method: 'POST' });
    },
    stop: () => service.stop(),
  };
}
