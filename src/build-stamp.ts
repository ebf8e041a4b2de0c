import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';

/**
 * Which sources `npm run build` compiled, so that bin/ runs the compiled output only when it is current
 * and the sources otherwise: a stale build never runs silently. From src/ and lib/ alike, the project is
 * one level up.
 */
const ROOT = join(__dirname, '..');
const STAMP = join(ROOT, 'lib/build-stamp.json');
/** Beside src/, what shapes the output: the compiler settings and the dependencies bundled with the workflows. */
const OTHER_INPUTS = ['tsconfig.json', 'package-lock.json'];

export function sourcesDigest(root = ROOT): string {
  const sources = readdirSync(join(root, 'src'), { withFileTypes: true, recursive: true })
    .filter((entry) => entry.isFile())
    .map((entry) => join(entry.parentPath, entry.name));
  const others = OTHER_INPUTS.map((name) => join(root, name)).filter((path) => existsSync(path));
  const hash = createHash('sha256');
  for (const path of [...sources, ...others].sort()) {
    hash.update(`${relative(root, path)}\0`).update(readFileSync(path));
  }
  return hash.digest('hex');
}

export function writeBuildStamp(): void {
  writeFileSync(STAMP, JSON.stringify({ sources: sourcesDigest() }));
}

export function builtFromCurrentSources(): boolean {
  if (!existsSync(STAMP)) return false;
  const { sources } = JSON.parse(readFileSync(STAMP, 'utf8')) as { sources: string };
  return sources === sourcesDigest();
}
