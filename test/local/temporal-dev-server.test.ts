import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Connection } from '@temporalio/client';
import { startChildService } from '../../src/local/stack/child-service';
import { freePort } from '../../src/local/stack/free-port';
import { venvBinary } from '../../src/local/stack/python-tools';
import { startTemporalDevServer } from '../../src/local/stack/temporal-dev-server';
import { searchAttributeDefinitions } from '../../src/workflows/search-attribute-keys';

async function customSearchAttributes(address: string): Promise<string[]> {
  const connection = await Connection.connect({ address });
  try {
    const { customAttributes } = await connection.operatorService.listSearchAttributes({
      namespace: 'default',
    });
    return Object.keys(customAttributes ?? {}).filter((name) => name.startsWith('CustomLabels'));
  } finally {
    await connection.close();
  }
}

it('registers the search attributes on a database created before them (where --search-attribute is ignored)', async () => {
  const dbFilename = join(mkdtempSync(join(tmpdir(), 'clb-devserver-')), 'temporal.db');
  const address = `127.0.0.1:${await freePort()}`;
  const [, port] = address.split(':');
  // The database an earlier `npm start` left: created by a dev server that knew no custom attributes.
  const older = await startChildService({
    name: 'older Temporal dev server',
    command: venvBinary('temporal'),
    args: [
      'server',
      'start-dev',
      '--ip',
      '127.0.0.1',
      '--port',
      port,
      '--headless',
      '--db-filename',
      dbFilename,
    ],
    timeoutMs: 60_000,
    isReady: async () => (await customSearchAttributes(address), true),
  });
  expect(await customSearchAttributes(address)).toEqual([]);
  await older.stop();

  const server = await startTemporalDevServer({ headless: true, dbFilename });
  try {
    expect((await customSearchAttributes(server.address)).sort()).toEqual(
      searchAttributeDefinitions()
        .map((definition) => definition.split('=')[0])
        .sort(),
    );
  } finally {
    await server.stop();
  }
}, 120_000);
