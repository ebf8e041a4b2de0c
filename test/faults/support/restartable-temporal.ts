import { Connection } from '@temporalio/client';
import { startChildService, type ChildService } from '../../../src/local/stack/child-service';
import { freePort } from '../../../src/local/stack/free-port';
import { venvBinary } from '../../../src/local/stack/python-tools';

/**
 * A Temporal dev server of one scenario's own, on SQLite, that the test can kill like a crashed host
 * (SIGKILL) and start again on the same port with the same database file.
 */
export class RestartableTemporal {
  private service: ChildService | undefined;

  private constructor(
    readonly address: string,
    private readonly args: string[],
  ) {}

  static async start(dbFilename: string): Promise<RestartableTemporal> {
    const port = await freePort();
    const args = [
      'server',
      'start-dev',
      '--headless',
      '--ip',
      '127.0.0.1',
      '--port',
      String(port),
      '--log-level',
      'error',
      '--db-filename',
      dbFilename,
    ];
    const server = new RestartableTemporal(`127.0.0.1:${port}`, args);
    await server.startProcess();
    return server;
  }

  async kill(): Promise<void> {
    const child = this.service?.process;
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGKILL');
    await exited;
  }

  async restart(): Promise<void> {
    await this.kill();
    await this.startProcess();
  }

  async stop(): Promise<void> {
    await this.service?.stop();
  }

  private async startProcess(): Promise<void> {
    this.service = await startChildService({
      name: 'Temporal dev server',
      command: venvBinary('temporal'),
      args: this.args,
      timeoutMs: 60_000,
      isReady: async () => {
        const connection = await Connection.connect({ address: this.address, connectTimeout: '1s' });
        try {
          await connection.workflowService.getSystemInfo({});
          return true;
        } finally {
          await connection.close();
        }
      },
    });
  }
}
