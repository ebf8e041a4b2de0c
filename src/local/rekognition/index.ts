export { startLocalRekognitionServer, SERVER_DEFAULTS } from './server';
export type { LocalRekognitionServer, LocalRekognitionServerOptions } from './server';
export type { FaultRequest } from './faults';
export type { VersionUsage, RunningInterval } from './usage';
