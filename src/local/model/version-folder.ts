import { mkdir } from 'node:fs/promises';
import * as path from 'node:path';
import { UserError } from '../../config/user-error';
import { pathExists } from './path-exists';

/** `<modelsDir>/<project>/<version>`: checked before training, created just before saving. */
export class VersionFolder {
  readonly path: string;

  constructor(
    modelsDir: string,
    private readonly project: string,
    private readonly version: string,
  ) {
    this.path = path.join(modelsDir, project, version);
  }

  /** Fails fast, before minutes of embedding, when the version name is taken. */
  async checkIsFree(): Promise<void> {
    if (await pathExists(this.path)) throw this.taken();
  }

  /** Atomic, so of two runs racing for one version name exactly one wins. */
  async create(): Promise<void> {
    await mkdir(path.dirname(this.path), { recursive: true });
    try {
      await mkdir(this.path);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'EEXIST') throw this.taken();
      throw error;
    }
  }

  private taken(): UserError {
    return new UserError(
      `Project ${this.project} already has a version ${this.version} (${this.path}). ` +
        'Choose another version name, or delete that folder.',
    );
  }
}
