import { spawn, type ChildProcess } from 'node:child_process';

export interface ChildService {
  process: ChildProcess;
  stop(): Promise<void>;
}

/**
 * Starts a server process and waits until `isReady` answers true; its output is kept and shown if
 * it dies before that, so a failed start explains itself.
 */
export async function startChildService(options: {
  name: string;
  command: string;
  args: string[];
  isReady: () => Promise<boolean>;
  timeoutMs?: number;
  env?: NodeJS.ProcessEnv;
}): Promise<ChildService> {
  const child = spawn(options.command, options.args, {
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, ...options.env },
  });
  let output = '';
  const keep = (chunk: Buffer) => {
    output = (output + chunk.toString()).slice(-4000);
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const spawnFailed = new Promise<Error>((resolve) => child.once('error', resolve));

  const deadline = Date.now() + (options.timeoutMs ?? 30_000);
  for (;;) {
    const early = await Promise.race([
      spawnFailed,
      exited.then(() => new Error(`exited with code ${child.exitCode}`)),
      new Promise<undefined>((resolve) => setTimeout(() => resolve(undefined), 100)),
    ]);
    if (early) throw new Error(`${options.name} failed to start: ${early.message}\n${output}`);
    if (await options.isReady().catch(() => false)) break;
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(
        `${options.name} did not become ready within ${options.timeoutMs ?? 30_000} ms.\n${output}`,
      );
    }
  }
  child.stdout?.resume();
  child.stderr?.resume();
  return {
    process: child,
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill('SIGTERM');
      const killed = setTimeout(() => child.kill('SIGKILL'), 5_000);
      await exited;
      clearTimeout(killed);
    },
  };
}
