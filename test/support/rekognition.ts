import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  DescribeProjectsCommand,
  DescribeProjectVersionsCommand,
  RekognitionClient,
  StartProjectVersionCommand,
  StopProjectVersionCommand,
  type ProjectVersionStatus,
} from '@aws-sdk/client-rekognition';
import sharp from 'sharp';
import {
  startLocalRekognitionServer,
  type LocalRekognitionServer,
  type LocalRekognitionServerOptions,
} from '../../src/local/rekognition';
import { PROJECT_DIR } from '../../src/local/stack/python-tools';

/** The real SDK client, without its own retries so every service error reaches the test. */
export function rekognitionClient(endpoint: string): RekognitionClient {
  // The local server checks no signature; explicit credentials keep the SDK off the provider chain.
  const credentials = { accessKeyId: 'local', secretAccessKey: 'local' };
  return new RekognitionClient({ endpoint, region: 'us-east-1', maxAttempts: 1, credentials });
}

export function projectArnOf(projectVersionArn: string): string {
  const match = /^(.*:project\/[^/]+)\/version\/[^/]+\/(\d+)$/.exec(projectVersionArn);
  if (!match) throw new Error(`not a version ARN: ${projectVersionArn}`);
  return `${match[1]}/${match[2]}`;
}

export async function statusOf(
  client: RekognitionClient,
  projectVersionArn: string,
): Promise<string | undefined> {
  const [, projectName, , versionName] = projectVersionArn.split('/');
  // The project ARN ends in the project's creation time, which only the first version's ARN shares.
  const { ProjectDescriptions } = await client.send(
    new DescribeProjectsCommand({ ProjectNames: [projectName] }),
  );
  const { ProjectVersionDescriptions } = await client.send(
    new DescribeProjectVersionsCommand({
      ProjectArn: ProjectDescriptions?.[0]?.ProjectArn,
      VersionNames: [versionName],
    }),
  );
  return ProjectVersionDescriptions?.[0]?.Status;
}

export async function waitForStatus(
  client: RekognitionClient,
  projectVersionArn: string,
  wanted: ProjectVersionStatus,
  timeoutMs = 30_000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let last: string | undefined;
  while (Date.now() < deadline) {
    last = await statusOf(client, projectVersionArn);
    if (last === wanted) return;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  throw new Error(`model still ${last} after ${timeoutMs} ms; wanted ${wanted}`);
}

export async function startModel(
  client: RekognitionClient,
  projectVersionArn: string,
  options: { units?: number; timeoutMs?: number } = {},
): Promise<void> {
  await client.send(
    new StartProjectVersionCommand({
      ProjectVersionArn: projectVersionArn,
      MinInferenceUnits: options.units ?? 1,
    }),
  );
  await waitForStatus(client, projectVersionArn, 'RUNNING', options.timeoutMs);
}

export async function stopModel(
  client: RekognitionClient,
  projectVersionArn: string,
  options: { timeoutMs?: number } = {},
): Promise<void> {
  await client.send(new StopProjectVersionCommand({ ProjectVersionArn: projectVersionArn }));
  await waitForStatus(client, projectVersionArn, 'STOPPED', options.timeoutMs);
}

/**
 * A model server of the caller's own whose models start and stop at once, with a client of it; both
 * are closed after `use`, whatever it does.
 */
export async function withInstantModelServer<T>(
  options: Omit<LocalRekognitionServerOptions, 'startDelayMs' | 'stopDelayMs'>,
  use: (client: RekognitionClient, server: LocalRekognitionServer) => Promise<T>,
): Promise<T> {
  const server = await startLocalRekognitionServer({ ...options, startDelayMs: 0, stopDelayMs: 0 });
  const client = rekognitionClient(server.url);
  try {
    return await use(client, server);
  } finally {
    client.destroy();
    await server.close();
  }
}

export const SAMPLE_DATA_DIR = join(PROJECT_DIR, 'sample-data');

export function sampleLabels(): string[] {
  return readdirSync(SAMPLE_DATA_DIR, { withFileTypes: true })
    .filter((entry) => entry.isDirectory())
    .map((entry) => entry.name)
    .sort();
}

/** The first sample image of a label, as bytes. */
export function sampleImage(label: string): Buffer {
  const dir = join(SAMPLE_DATA_DIR, label);
  const file = readdirSync(dir)
    .filter((name) => /\.(jpe?g|png)$/i.test(name))
    .sort()[0];
  return readFileSync(join(dir, file));
}

export function solidPng(width: number, height: number): Promise<Buffer> {
  return sharp({ create: { width, height, channels: 3, background: { r: 40, g: 120, b: 200 } } })
    .png()
    .toBuffer();
}

/** Errors from the SDK carry the service's error name; this returns it (or fails if the call succeeded). */
export async function errorNameOf(call: Promise<unknown>): Promise<string> {
  try {
    await call;
  } catch (error) {
    return (error as Error).name;
  }
  throw new Error('the call succeeded; an error was expected');
}
