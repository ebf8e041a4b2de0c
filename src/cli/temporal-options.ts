import { Option, type Command } from 'commander';
import { temporalSettings, type TemporalFlags, type TemporalSettings } from '../temporal-connection';

/** As the `temporal` CLI names them, with the variable each overrides. */
const TEMPORAL_OPTIONS: Array<[flags: string, description: string]> = [
  ['--address <host:port>', 'Temporal frontend address (env TEMPORAL_ADDRESS, default localhost:7233)'],
  ['--namespace <name>', 'Temporal namespace (env TEMPORAL_NAMESPACE, default "default")'],
  [
    '--api-key <key>',
    'API key, e.g. for Temporal Cloud; implies TLS (env TEMPORAL_API_KEY, safer than a flag)',
  ],
  ['--tls', 'connect with TLS (env TEMPORAL_TLS)'],
  ['--tls-cert-path <path>', 'client certificate for mTLS (env TEMPORAL_TLS_CLIENT_CERT_PATH)'],
  ['--tls-key-path <path>', 'client private key for mTLS (env TEMPORAL_TLS_CLIENT_KEY_PATH)'],
  ['--tls-ca-path <path>', 'server CA certificate (env TEMPORAL_TLS_SERVER_CA_CERT_PATH)'],
  [
    '--tls-server-name <name>',
    'server name to verify the certificate against (env TEMPORAL_TLS_SERVER_NAME)',
  ],
  ['--profile <name>', 'profile in the Temporal config file (env TEMPORAL_PROFILE, default "default")'],
  [
    '--config-file <path>',
    'Temporal config file (env TEMPORAL_CONFIG_FILE, default ~/.config/temporalio/temporal.toml)',
  ],
];

/** Adds the connection flags to a command that connects to Temporal. */
export function addTemporalOptions(command: Command): Command {
  for (const [flags, description] of TEMPORAL_OPTIONS) command.addOption(new Option(flags, description));
  return command;
}

/** The connection settings from the flags over the profile and environment, validated. */
export function temporalSettingsFromOptions(options: Record<string, unknown>): TemporalSettings {
  const typed = TEMPORAL_OPTIONS.map(([flags]) => new Option(flags).attributeName())
    .filter((key) => options[key] !== undefined)
    .map((key) => [key, options[key]]);
  return temporalSettings(Object.fromEntries(typed) as TemporalFlags);
}
