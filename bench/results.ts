import type { MachineDescription } from './machine';
import type { BenchOptions } from './options';
import type { CapacityFigure } from './scenarios/capacity';
import type { EmptyQueueFigure } from './scenarios/empty-queue';
import type { OverheadFigure, OverheadPipeline } from './scenarios/overhead';
import type { ReceiversFigure } from './scenarios/receivers';
import type { ScaleFigure } from './scenarios/scale';
import type { SharedWorkersFigure } from './scenarios/shared-workers';

/** One `npm run bench`: what BENCHMARKS.json holds and BENCHMARKS.md and the chart are made from. */
export interface BenchResults {
  startedAt: string;
  finishedAt: string;
  machine: MachineDescription;
  /** Other processes found running tests when the run began (the machine is shared). */
  concurrentTestProcesses: string[];
  /** And when it ended (absent from results recorded before). */
  concurrentTestProcessesAtEnd?: string[];
  /** 1-minute load average when the run began and ended (absent from results recorded before). */
  load?: { start: number; end: number };
  options: BenchOptions;
  capacity?: CapacityFigure[];
  overhead?: OverheadFigure;
  scale?: ScaleFigure;
  emptyQueue?: EmptyQueueFigure;
  receivers?: ReceiversFigure;
  sharedWorkers?: SharedWorkersFigure;
}

/** The overhead figure as results recorded before LOCAL_AWS_CALLS wrote it: one pipeline, the activities path. */
type RecordedOverhead = OverheadFigure | (Omit<OverheadFigure, 'pipelines'> & OverheadPipeline);

/** Results read from a BENCHMARKS.json, of this version or an earlier one, in this version's shape. */
export function resultsFromJson(text: string): BenchResults {
  const results = JSON.parse(text) as Omit<BenchResults, 'overhead'> & { overhead?: RecordedOverhead };
  const overhead = results.overhead;
  if (!overhead || 'pipelines' in overhead) return results as BenchResults;
  const { pipeline, ratio, ...figure } = overhead;
  return { ...results, overhead: { ...figure, pipelines: [{ pipeline, ratio }] } };
}
