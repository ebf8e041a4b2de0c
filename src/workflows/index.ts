export { batchWorkflow, progressQuery, drainSignal } from './batch-workflow';
