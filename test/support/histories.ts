import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { execFileSync } from 'node:child_process';
import type { Client } from '@temporalio/client';
import { venvBinary } from '../../src/local/stack/python-tools';
import { testEnv } from './test-env';

export const HISTORIES_DIR = join(__dirname, '..', 'replay', 'histories');

/** `npm run record-histories` sets this: workflow tests then save what they ran as replay fixtures. */
export function recordingHistories(): boolean {
  return process.env.RECORD_HISTORIES === '1';
}

/**
 * Saves every run of a workflow (a continue-as-new chain has several) as `<date>.<name>[.<n>].json`:
 * dated, so a new recording lands beside the earlier ones, which must go on replaying, and never over them.
 */
export async function recordHistories(
  client: Client,
  workflowId: string,
  name: string,
  writeGroupsToo = true,
): Promise<void> {
  mkdirSync(HISTORIES_DIR, { recursive: true });
  const runs: string[] = [];
  const writeGroups: string[] = [];
  for await (const execution of client.workflow.list({ query: `WorkflowId = '${workflowId}'` }))
    runs.push(execution.runId);
  runs.reverse();
  for (const [index, runId] of runs.entries()) {
    // The `temporal` CLI writes the canonical JSON form that replay reads back.
    const history = execFileSync(venvBinary('temporal'), [
      'workflow',
      'show',
      '--workflow-id',
      workflowId,
      '--run-id',
      runId,
      '--address',
      testEnv('temporalAddress'),
      '--output',
      'json',
    ]);
    const recorded = `${new Date().toISOString().slice(0, 10)}.${name}`;
    const file = runs.length === 1 ? `${recorded}.json` : `${recorded}.${index + 1}.json`;
    writeFileSync(join(HISTORIES_DIR, file), history);
    if (writeGroupsToo) writeGroups.push(...writeGroupIds(history.toString('utf8')));
  }
  // Its first write groups too: their local activities replay on their own.
  for (const childId of [...new Set(writeGroups)].slice(0, WRITE_GROUPS_RECORDED))
    await recordHistories(client, childId, `${name}.${childId.slice(childId.lastIndexOf('/') + 1)}`, false);
}

const WRITE_GROUPS_RECORDED = 2;

/** The write-group child workflows a run started, by id. */
function writeGroupIds(history: string): string[] {
  return [...history.matchAll(/"workflowId":\s*"([^"]*\/writes-[^"]*)"/g)].map((match) => match[1]);
}

interface ChildStarts {
  events?: Array<{ startChildWorkflowExecutionInitiatedEventAttributes?: { workflowId?: string } }>;
}

/**
 * The id a recorded run had, where its commands hold it: the ids of the child workflows it started
 * (receivers, write groups) derive from it. Other runs replay under their file's name.
 */
function recordedWorkflowId(history: unknown, fileName: string): string {
  const child = (history as ChildStarts).events?.find(
    (event) => event.startChildWorkflowExecutionInitiatedEventAttributes,
  )?.startChildWorkflowExecutionInitiatedEventAttributes?.workflowId;
  return child?.replace(/\/(receiver|writes)-[^/]*$/, '') ?? fileName;
}

/** The committed fixtures, as the JSON objects replay accepts, each with the id to replay it under. */
export function loadHistories(): Array<{ name: string; workflowId: string; history: unknown }> {
  return readdirSync(HISTORIES_DIR)
    .filter((file) => file.endsWith('.json'))
    .sort()
    .map((file) => {
      const name = file.replace(/\.json$/, '');
      const history = JSON.parse(readFileSync(join(HISTORIES_DIR, file), 'utf8')) as unknown;
      return { name, workflowId: recordedWorkflowId(history, name), history };
    });
}

export function slug(text: string): string {
  return text
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '')
    .slice(0, 80);
}
