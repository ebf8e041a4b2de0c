import { createServer } from 'node:net';
import { UserError } from '../../config/user-error';

/** A port nothing listens on right now, picked by the OS. */
export function freePort(host = '127.0.0.1'): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, host, () => {
      const address = probe.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      probe.close(() => resolve(port));
    });
  });
}

/** Fails with one clear sentence when a fixed port is taken, naming what wanted it and the flag to change. */
export function assertPortFree(port: number, what: string, flag: string, host = '127.0.0.1'): Promise<void> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', () =>
      reject(
        new UserError(
          `port ${port} (${what}) is already in use: stop what uses it, or pass ${flag} <another port>.`,
        ),
      ),
    );
    probe.listen(port, host, () => probe.close(() => resolve()));
  });
}
