import { readdirSync, renameSync } from 'node:fs';
import { join } from 'node:path';
import type { Client } from '@temporalio/client';
import { HISTORIES_DIR, recordHistories, recordingHistories } from '../../support/histories';

/** The fixtures of issue 13's TPS learning and receiver counts, beside (never over) the earlier ones. */
const PREFIX = '2026-12-02-learned-tps';

/**
 * With RECORD_HISTORIES=1: saves every run of each workflow (and its first write groups) as replay
 * fixtures `<PREFIX>.<name>…`. A batch replays under the id its children's ids derive from.
 */
export async function recordFixtures(
  client: Client,
  workflows: Array<{ workflowId: string; name: string }>,
): Promise<void> {
  if (!recordingHistories()) return;
  const before = new Set(readdirSync(HISTORIES_DIR));
  for (const { workflowId, name } of workflows) await recordHistories(client, workflowId, name);
  for (const file of readdirSync(HISTORIES_DIR).filter((entry) => !before.has(entry))) {
    const dated = /^\d{4}-\d{2}-\d{2}\.(.*)$/.exec(file);
    if (dated) renameSync(join(HISTORIES_DIR, file), join(HISTORIES_DIR, `${PREFIX}.${dated[1]}`));
  }
}
