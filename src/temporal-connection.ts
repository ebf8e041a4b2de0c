import { existsSync } from 'node:fs';
import { Client, Connection } from '@temporalio/client';
import { loadClientConfigProfile, toClientOptions, type ClientConfigProfile } from '@temporalio/envconfig';
import { NativeConnection, type NativeConnectionOptions } from '@temporalio/worker';
import { UserError } from './config/user-error';
import { installedTracing } from './observability/tracing';

/** The connection flags, named as the `temporal` CLI names them; each overrides the profile and env. */
export interface TemporalFlags {
  address?: string;
  namespace?: string;
  apiKey?: string;
  tls?: boolean;
  tlsCertPath?: string;
  tlsKeyPath?: string;
  tlsCaPath?: string;
  tlsServerName?: string;
  profile?: string;
  configFile?: string;
}

export interface TemporalSettings {
  connectionOptions: NativeConnectionOptions;
  namespace: string;
  address: string;
}

/**
 * Temporal connection settings as the `temporal` CLI reads them (@temporalio/envconfig: a profile in
 * the config file, then TEMPORAL_* variables), then the flags. Resolved, TLS files read, before anything
 * connects, so a mistake is one sentence rather than a stack trace or a connection attempt.
 */
export function temporalSettings(
  flags: TemporalFlags = {},
  env: NodeJS.ProcessEnv = process.env,
): TemporalSettings {
  const profile = loadProfile(flags, env);
  const merged: ClientConfigProfile = {
    ...profile,
    address: flags.address ?? profile.address,
    namespace: flags.namespace ?? profile.namespace,
    apiKey: flags.apiKey ?? profile.apiKey,
    tls: withTlsFlags(profile.tls, flags),
  };
  const { connectionOptions, namespace } = readTlsFiles(() => toClientOptions(merged));
  return {
    connectionOptions,
    namespace: namespace ?? 'default',
    address: connectionOptions.address ?? 'localhost:7233',
  };
}

function loadProfile(flags: TemporalFlags, env: NodeJS.ProcessEnv): ClientConfigProfile {
  const file = flags.configFile ?? env.TEMPORAL_CONFIG_FILE;
  const fileName = flags.configFile !== undefined ? '--config-file' : 'TEMPORAL_CONFIG_FILE';
  // envconfig treats a missing file as an empty one: right for the default location, not for a named one.
  if (file !== undefined && !existsSync(file)) throw new UserError(`${fileName} ${file} does not exist.`);
  const profileName = flags.profile ?? env.TEMPORAL_PROFILE;
  try {
    return loadClientConfigProfile({
      profile: flags.profile,
      configSource: flags.configFile === undefined ? undefined : { path: flags.configFile },
      overrideEnvVars: env as Record<string, string>,
    });
  } catch (error) {
    const where = file === undefined ? 'the Temporal config file (temporal.toml)' : file;
    if (isTomlError(error)) {
      const reason = error.message.split('\n')[0].replace(/^Invalid TOML document: /, '');
      throw new UserError(`${where} is not valid TOML (line ${error.line}: ${reason}).`);
    }
    if (/^Profile '.*' not found/.test((error as Error).message)) {
      const given =
        flags.profile !== undefined ? `--profile ${profileName}` : `TEMPORAL_PROFILE=${profileName}`;
      throw new UserError(`${given}: ${where} has no profile "${profileName}".`);
    }
    throw error;
  }
}

function isTomlError(error: unknown): error is Error & { line: number } {
  return error instanceof Error && 'line' in error && 'codeblock' in error;
}

/** Any TLS flag turns TLS on; path flags replace the profile's file or PEM text for that part. */
function withTlsFlags(tls: ClientConfigProfile['tls'], flags: TemporalFlags): ClientConfigProfile['tls'] {
  const { tlsCertPath, tlsKeyPath, tlsCaPath, tlsServerName } = flags;
  const anyTlsFlag = [tlsCertPath, tlsKeyPath, tlsCaPath, tlsServerName].some((value) => value !== undefined);
  if (!flags.tls && !anyTlsFlag) return tls;
  return {
    ...tls,
    disabled: false,
    ...(tlsServerName !== undefined && { serverName: tlsServerName }),
    ...(tlsCertPath !== undefined && { clientCert: { path: tlsCertPath } }),
    ...(tlsKeyPath !== undefined && { clientKey: { path: tlsKeyPath } }),
    ...(tlsCaPath !== undefined && { serverCACert: { path: tlsCaPath } }),
  };
}

function readTlsFiles<T>(read: () => T): T {
  try {
    return read();
  } catch (error) {
    const { code, path } = error as NodeJS.ErrnoException;
    if (path !== undefined) throw new UserError(`cannot read the Temporal TLS file ${path} (${code}).`);
    throw error;
  }
}

function unreachable(address: string, error: unknown): UserError {
  return new UserError(
    `cannot reach Temporal at ${address} (${(error as Error).message}): start it (\`npm start -- --keep\` runs a local one) or set --address or TEMPORAL_ADDRESS.`,
  );
}

export async function connectClient(settings: TemporalSettings = temporalSettings()): Promise<{
  client: Client;
  namespace: string;
  close(): Promise<void>;
}> {
  const { connectionOptions, namespace, address } = settings;
  const connection = await Connection.connect(connectionOptions).catch((error: unknown) => {
    throw unreachable(address, error);
  });
  // In a traced process, a batch this client starts continues the trace it is started in.
  const interceptors = installedTracing()?.clientInterceptors;
  return {
    client: new Client({ connection, namespace, interceptors }),
    namespace,
    close: () => connection.close(),
  };
}

export async function connectWorker(
  settings: TemporalSettings = temporalSettings(),
): Promise<{ connection: NativeConnection; namespace: string }> {
  const { connectionOptions, namespace, address } = settings;
  const connection = await NativeConnection.connect(connectionOptions).catch((error: unknown) => {
    throw unreachable(address, error);
  });
  return { connection, namespace };
}
