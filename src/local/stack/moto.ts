import { freePort } from './free-port';
import { startChildService, type ChildService } from './child-service';
import { venvBinary } from './python-tools';

export interface MotoServer {
  endpoint: string;
  reset(): Promise<void>;
  stop(): Promise<void>;
}

/** moto's S3/SQS server from the project's .venv, on a free port unless one is given. */
export async function startMoto(port?: number): Promise<MotoServer> {
  const chosenPort = port ?? (await freePort());
  const endpoint = `http://127.0.0.1:${chosenPort}`;
  const service: ChildService = await startChildService({
    name: 'moto_server',
    command: venvBinary('moto_server'),
    args: ['-H', '127.0.0.1', '-p', String(chosenPort)],
    isReady: async () => (await fetch(`${endpoint}/moto-api/`)).ok,
  });
  return {
    endpoint,
    async reset() {
      await fetch(`${endpoint}/moto-api/reset`, { method: 'POST' });
    },
    stop: () => service.stop(),
  };
}
