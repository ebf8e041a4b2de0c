import { Option, type Command } from 'commander';
import { loadConfigSubset, SETTINGS, type ConfigOf, type SettingKey } from '../config/config';
import { flagOf } from '../config/settings-spec';

/** A setting's flag: the kebab-case of its environment variable, which it overrides. */
function optionOf(key: SettingKey): Option {
  const spec = SETTINGS[key];
  const fallback = spec.presence === 'defaulted' ? `, default ${spec.defaultText}` : '';
  // No commander default: it would always win over the environment variable.
  return new Option(`${flagOf(spec.env)} <value>`, `${spec.description} (env ${spec.env}${fallback})`);
}

/** Adds one flag per setting the command reads. */
export function addConfigOptions(command: Command, keys: readonly SettingKey[]): Command {
  for (const key of keys) command.addOption(optionOf(key));
  return command;
}

/** The command's settings, validated: flags from addConfigOptions override the environment. */
export function configFromOptions<K extends SettingKey>(
  options: Record<string, unknown>,
  keys: readonly K[],
  env: NodeJS.ProcessEnv = process.env,
): ConfigOf<K> {
  const overrides = Object.fromEntries(
    keys.map((key) => {
      const value = options[optionOf(key).attributeName()];
      return [SETTINGS[key].env, typeof value === 'string' ? value : undefined];
    }),
  );
  return loadConfigSubset(env, overrides, keys);
}
