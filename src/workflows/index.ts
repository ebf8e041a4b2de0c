export { batchWorkflow, progressQuery, drainSignal } from './batch-workflow';
export type { BatchInput } from './batch-input';
export { receiverWorkflow } from './receiver-workflow';
export { writeGroupWorkflow } from './write-group-workflow';
