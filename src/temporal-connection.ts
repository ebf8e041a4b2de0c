import { Client, Connection } from '@temporalio/client';
import { loadClientConnectConfig } from '@temporalio/envconfig';
import { NativeConnection } from '@temporalio/worker';
import { UserError } from './config/user-error';

/**
 * Temporal connection settings from @temporalio/envconfig: TEMPORAL_ADDRESS, TEMPORAL_NAMESPACE,
 * TEMPORAL_API_KEY, TLS settings or a profile file — the same ones the `temporal` CLI reads.
 */
function connectConfig() {
  const { connectionOptions, namespace } = loadClientConnectConfig();
  return {
    connectionOptions,
    namespace: namespace ?? 'default',
    address: connectionOptions.address ?? 'localhost:7233',
  };
}

function unreachable(address: string, error: unknown): UserError {
  return new UserError(
    `cannot reach Temporal at ${address} (${(error as Error).message}): start it (\`npm start -- --keep\` runs a local one) or set TEMPORAL_ADDRESS.`,
  );
}

export async function connectClient(): Promise<{
  client: Client;
  namespace: string;
  close(): Promise<void>;
}> {
  const { connectionOptions, namespace, address } = connectConfig();
  const connection = await Connection.connect(connectionOptions).catch((error: unknown) => {
    throw unreachable(address, error);
  });
  return { client: new Client({ connection, namespace }), namespace, close: () => connection.close() };
}

export async function connectWorker(): Promise<{ connection: NativeConnection; namespace: string }> {
  const { connectionOptions, namespace, address } = connectConfig();
  const connection = await NativeConnection.connect(connectionOptions).catch((error: unknown) => {
    throw unreachable(address, error);
  });
  return { connection, namespace };
}
