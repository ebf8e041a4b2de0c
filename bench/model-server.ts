import { join } from 'node:path';
import type { LocalRekognitionServerOptions, VersionUsage } from '../src/local/rekognition';
import { startChildService } from '../src/local/stack/child-service';
import { freePort } from '../src/local/stack/free-port';

export interface BenchModelServer {
  url: string;
  pid: number;
  /** The usage accounting of one model version (RUNNING intervals, busy and idle time, throttling). */
  usage(projectVersionArn: string): Promise<VersionUsage | undefined>;
  stop(): Promise<void>;
}

export type ModelServerSettings = Omit<LocalRekognitionServerOptions, 'port' | 'log' | 'clock'>;

/** Starts bench/model-server-process.ts with these settings and waits until it answers. */
export async function startModelServer(settings: ModelServerSettings): Promise<BenchModelServer> {
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const service = await startChildService({
    name: 'local Rekognition server',
    command: process.execPath,
    args: [
      '--require',
      require.resolve('tsx/cjs'),
      join(__dirname, 'model-server-process.ts'),
      JSON.stringify({ ...settings, port }),
    ],
    isReady: async () => (await fetch(`${url}/local/health`)).ok,
  });
  return {
    url,
    pid: service.process.pid!,
    async usage(projectVersionArn) {
      const response = await fetch(`${url}/local/usage`);
      const { versions } = (await response.json()) as { versions: VersionUsage[] };
      return versions.find((version) => version.projectVersionArn === projectVersionArn);
    },
    stop: () => service.stop(),
  };
}
