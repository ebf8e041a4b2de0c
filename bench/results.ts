import type { MachineDescription } from './machine';
import type { BenchOptions } from './options';
import type { CapacityFigure } from './scenarios/capacity';
import type { EmptyQueueFigure } from './scenarios/empty-queue';
import type { OverheadFigure } from './scenarios/overhead';
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
