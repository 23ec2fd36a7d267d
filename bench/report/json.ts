import { mkdirSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const RESULTS = fileURLToPath(new URL('../results/', import.meta.url));

/** Writes `bench/results/<date>-<mode>.json` (gitignored) and returns its path. */
export function writeResults(mode: string, startedAt: Date, payload: unknown): string {
  mkdirSync(RESULTS, { recursive: true });
  const stamp = startedAt.toISOString().replace(/:/g, '-').replace(/\..*$/, '');
  const path = `${RESULTS}${stamp}-${mode}.json`;
  writeFileSync(path, `${JSON.stringify(payload, jsonSafe, 2)}\n`);
  return path;
}

/** Infinity and NaN are not JSON: write them as null. */
function jsonSafe(_key: string, value: unknown): unknown {
  return typeof value === 'number' && !Number.isFinite(value) ? null : value;
}
