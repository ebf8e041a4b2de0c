import { join } from 'node:path';
import { freePort } from './free-port';
import { startChildService, type ChildService } from './child-service';
import { venvBinary } from './python-tools';

export interface MotoServer {
  endpoint: string;
  pid: number;
  reset(): Promise<void>;
  stop(): Promise<void>;
}

/**
 * moto's S3/SQS server from the project's .venv, on a free port unless one is given, through
 * moto_server.py: moto 5.2.1 can lose a DeleteMessage when two run at once, and the redelivered
 * message would stall a batch for a whole visibility timeout (real SQS does not lose deletes).
 */
export async function startMoto(port?: number): Promise<MotoServer> {
  const chosenPort = port ?? (await freePort());
  const endpoint = `http://127.0.0.1:${chosenPort}`;
  const service: ChildService = await startChildService({
    name: 'moto_server',
    command: venvBinary('python3'),
    args: [join(__dirname, 'moto_server.py'), '-H', '127.0.0.1', '-p', String(chosenPort)],
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
