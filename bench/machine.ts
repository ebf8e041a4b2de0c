import { cpus, loadavg, totalmem, release, platform } from 'node:os';

export interface MachineDescription {
  cores: number;
  cpuModel: string;
  memoryGiB: number;
  node: string;
  os: string;
}

export function describeMachine(): MachineDescription {
  return {
    cores: cpus().length,
    cpuModel: cpus()[0]?.model.trim() ?? 'unknown',
    memoryGiB: Math.round((totalmem() / 2 ** 30) * 10) / 10,
    node: process.version,
    os: `${platform()} ${release()}`,
  };
}

/** The 1-minute load average: on a shared machine, what else was running shows here. */
export function loadAverage(): number {
  return Math.round(loadavg()[0] * 100) / 100;
}
