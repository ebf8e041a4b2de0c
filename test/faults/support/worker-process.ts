import { spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream } from 'node:fs';
import { join } from 'node:path';
import { PROJECT_DIR } from '../../../src/local/stack/python-tools';

const READY_LINE = 'worker polling';
const READY_TIMEOUT_MS = 60_000;

/**
 * The production worker, `custom-labels-batch worker`, as a child process configured by environment
 * variables only, so a test can SIGKILL it like a crashed machine and start another. Its output goes
 * to `logFile`.
 */
export class WorkerProcess {
  private child: ChildProcess | undefined;
  private exited: Promise<void> = Promise.resolve();
  /** Set when this test ends the process (kill or stop), so any other exit is a finding. */
  private endedOnPurpose = false;
  private log;
  /** How many worker processes were started (restarts included). */
  starts = 0;
  /** Exits this test did not cause: a worker must survive everything but SIGKILL. */
  readonly unexpectedExits: string[] = [];

  constructor(
    private readonly env: Record<string, string>,
    readonly logFile: string,
  ) {
    this.log = createWriteStream(logFile, { flags: 'a' });
  }

  get running(): boolean {
    return this.child !== undefined && this.child.exitCode === null && this.child.signalCode === null;
  }

  async start(): Promise<void> {
    if (this.running) throw new Error('a worker process is already running');
    this.starts += 1;
    this.endedOnPurpose = false;
    // A worker stopped on purpose may be started again: its log goes on in the same file.
    if (this.log.writableEnded) this.log = createWriteStream(this.logFile, { flags: 'a' });
    this.log.write(`\n=== worker process #${this.starts} started ${new Date().toISOString()}\n`);
    const child = spawn(process.execPath, [join(PROJECT_DIR, 'bin/custom-labels-batch.js'), 'worker'], {
      env: { ...process.env, ...this.env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    this.child = child;
    this.exited = new Promise((resolve) =>
      child.once('exit', (code, signal) => {
        this.log.write(`=== worker process #${this.starts} exited: code ${code}, signal ${signal}\n`);
        if (!this.endedOnPurpose) this.unexpectedExits.push(`code ${code}, signal ${signal}`);
        resolve();
      }),
    );
    let output = '';
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(
        () =>
          reject(new Error(`the worker was not ready within ${READY_TIMEOUT_MS} ms; see ${this.logFile}`)),
        READY_TIMEOUT_MS,
      );
      const watch = (chunk: Buffer) => {
        this.log.write(chunk);
        output = (output + chunk.toString()).slice(-2000);
        if (output.includes(READY_LINE)) {
          clearTimeout(timer);
          resolve();
        }
      };
      child.stdout.on('data', watch);
      child.stderr.on('data', watch);
      void this.exited.then(() => {
        clearTimeout(timer);
        reject(new Error(`the worker exited before it was ready:\n${output}`));
      });
    });
  }

  /** Like pulling the plug: no shutdown, its in-flight activities and workflow tasks are simply lost. */
  async kill(): Promise<void> {
    this.endedOnPurpose = true;
    this.child?.kill('SIGKILL');
    await this.exited;
  }

  /** A graceful stop (SIGTERM: the worker finishes what it is doing), SIGKILL if that takes too long. */
  async stop(): Promise<void> {
    if (this.running) {
      this.endedOnPurpose = true;
      this.child?.kill('SIGTERM');
      const killer = setTimeout(() => this.child?.kill('SIGKILL'), 10_000);
      await this.exited;
      clearTimeout(killer);
    }
    await new Promise<void>((resolve) => this.log.end(() => resolve()));
  }
}
