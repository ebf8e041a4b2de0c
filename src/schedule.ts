import {
  ScheduleAlreadyRunning,
  ScheduleOverlapPolicy,
  type Client,
  type ScheduleDescription,
  type ScheduleHandle,
  type ScheduleSpec,
} from '@temporalio/client';
import { batchStartMetadata } from './batch-metadata';
import { batchIdsFor, batchSettingsFrom } from './batch-settings';
import type { Config } from './config/config';
import type { DurationText } from './config/duration';
import { missingSearchAttribute } from './search-attributes-missing';
import type { batchWorkflow } from './workflows';

export type Cadence = { every: DurationText } | { cron: string };

export const DEFAULT_CADENCE: Cadence = { every: '1h' };
/** After an outage, one missed run is still worth taking; a backlog of them is not. */
const CATCHUP_WINDOW: DurationText = '10m';

function specOf(cadence: Cadence): ScheduleSpec {
  return 'every' in cadence ? { intervals: [{ every: cadence.every }] } : { cronExpressions: [cadence.cron] };
}

/** The schedule as it should be: overlap SKIP keeps one batch per model at a time. */
function desiredSchedule(config: Config, cadence: Cadence) {
  const { workflowId } = batchIdsFor(config.projectVersionArn);
  return {
    spec: specOf(cadence),
    action: {
      type: 'startWorkflow' as const,
      workflowType: 'batchWorkflow',
      taskQueue: config.taskQueue,
      workflowId,
      args: [{ settings: batchSettingsFrom(config) }] as Parameters<typeof batchWorkflow>,
      ...batchStartMetadata(config),
    },
    policies: { overlap: ScheduleOverlapPolicy.SKIP, catchupWindow: CATCHUP_WINDOW, pauseOnFailure: false },
  };
}

/** The model a schedule serves: all that names it. */
export type ModelChoice = Pick<Config, 'projectVersionArn'>;

export function scheduleHandle(client: Client, config: ModelChoice): ScheduleHandle {
  return client.schedule.getHandle(batchIdsFor(config.projectVersionArn).scheduleId);
}

/** Creates the schedule, or brings an existing one in line with the config and cadence. */
export async function upsertSchedule(
  client: Client,
  config: Config,
  cadence: Cadence = DEFAULT_CADENCE,
): Promise<'created' | 'updated'> {
  const { scheduleId } = batchIdsFor(config.projectVersionArn);
  const desired = desiredSchedule(config, cadence);
  try {
    await client.schedule.create({ scheduleId, ...desired });
    return 'created';
  } catch (error) {
    if (!(error instanceof ScheduleAlreadyRunning)) throw missingSearchAttribute(error) ?? error;
    await client.schedule
      .getHandle(scheduleId)
      .update((previous) => ({ ...previous, ...desired, state: previous.state }));
    return 'updated';
  }
}

/** Starts a batch now, unless one is already running for this model (overlap SKIP, as scheduled runs). */
export async function triggerBatch(client: Client, config: ModelChoice): Promise<void> {
  await scheduleHandle(client, config).trigger(ScheduleOverlapPolicy.SKIP);
}

/** The cadence of a described schedule, for display: intervals in seconds; cron comes back as calendars. */
export function describeCadence(description: ScheduleDescription): string {
  const intervals =
    description.spec.intervals?.map(
      (i) => `every ${typeof i.every === 'number' ? `${i.every / 1000}s` : i.every}`,
    ) ?? [];
  const calendars = description.spec.calendars?.map((c) => JSON.stringify(c)) ?? [];
  return [...intervals, ...calendars].join('; ') || '(none)';
}
