import { freePort } from '../../../src/local/stack/free-port';
import { startTemporalDevServer, type TemporalDevServer } from '../../../src/local/stack/temporal-dev-server';

/**
 * A Temporal dev server of one scenario's own, on SQLite, that the test can kill like a crashed host
 * (SIGKILL) and start again on the same port with the same database file.
 */
export class RestartableTemporal {
  private server: TemporalDevServer | undefined;

  private constructor(
    private readonly port: number,
    private readonly dbFilename: string,
  ) {}

  get address(): string {
    return `127.0.0.1:${this.port}`;
  }

  static async start(dbFilename: string): Promise<RestartableTemporal> {
    const temporal = new RestartableTemporal(await freePort(), dbFilename);
    await temporal.startProcess();
    return temporal;
  }

  async kill(): Promise<void> {
    const child = this.server?.process;
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
    await this.server?.stop();
  }

  private async startProcess(): Promise<void> {
    this.server = await startTemporalDevServer({
      port: this.port,
      headless: true,
      dbFilename: this.dbFilename,
    });
  }
}
