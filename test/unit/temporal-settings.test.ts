import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { temporalSettings } from '../../src/temporal-connection';

let dir: string;
let configFile: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'clb-temporal-settings-'));
  configFile = join(dir, 'temporal.toml');
  writeFileSync(
    configFile,
    '[profile.cloud]\naddress = "cloud.example:7233"\nnamespace = "from-profile"\napi_key = "profile-key"\n',
  );
  for (const name of ['ca.pem', 'client.pem', 'client.key']) writeFileSync(join(dir, name), name);
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

it('defaults to a local server in namespace default', () => {
  expect(temporalSettings({}, {})).toMatchObject({ address: 'localhost:7233', namespace: 'default' });
});

it('takes the profile, then TEMPORAL_* variables, then the flags', () => {
  const env = { TEMPORAL_CONFIG_FILE: configFile, TEMPORAL_PROFILE: 'cloud', TEMPORAL_NAMESPACE: 'from-env' };

  expect(temporalSettings({}, env)).toMatchObject({
    address: 'cloud.example:7233',
    namespace: 'from-env',
    connectionOptions: { apiKey: 'profile-key', tls: true },
  });
  expect(
    temporalSettings({ address: 'flag.example:7233', namespace: 'from-flag', apiKey: 'k' }, env),
  ).toMatchObject({
    address: 'flag.example:7233',
    namespace: 'from-flag',
    connectionOptions: { apiKey: 'k' },
  });
});

it('reads the TLS files the flags name, and turns TLS on', () => {
  const { connectionOptions } = temporalSettings(
    {
      tlsCertPath: join(dir, 'client.pem'),
      tlsKeyPath: join(dir, 'client.key'),
      tlsCaPath: join(dir, 'ca.pem'),
      tlsServerName: 'server.example',
    },
    {},
  );
  const bytes = (text: string) => new Uint8Array(Buffer.from(text));
  expect(connectionOptions.tls).toEqual({
    serverNameOverride: 'server.example',
    serverRootCACertificate: bytes('ca.pem'),
    clientCertPair: { crt: bytes('client.pem'), key: bytes('client.key') },
  });
  expect(temporalSettings({ tls: true }, {}).connectionOptions.tls).toBeTruthy();
});

it.each([
  [
    { configFile: '/nonexistent/temporal.toml' },
    {},
    '--config-file /nonexistent/temporal.toml does not exist.',
  ],
  [
    {},
    { TEMPORAL_CONFIG_FILE: '/nonexistent/temporal.toml' },
    'TEMPORAL_CONFIG_FILE /nonexistent/temporal.toml does not exist.',
  ],
  [
    { tlsCertPath: '/nonexistent/client.pem' },
    {},
    'cannot read the Temporal TLS file /nonexistent/client.pem (ENOENT).',
  ],
])('names what is missing in one sentence: %j %j', (flags, env, message) => {
  expect(() => temporalSettings(flags, env)).toThrow(message);
});
