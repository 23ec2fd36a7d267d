// Module hooks that load the library from dist/ (tsc output) wherever the benchmark's TypeScript
// imports it from src/: the scale run then measures the code a user runs from the package, not
// tsx's transpiled copy (which costs its own memory and CPU per call). Registered by
// compiled-library.mjs; a module with no compiled twin (the benchmark's own) loads as before.
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const SRC = new URL('../../src/', import.meta.url).href;
const DIST = new URL('../../dist/', import.meta.url).href;

export async function resolve(specifier, context, next) {
  const result = await next(specifier, context);
  if (!result.url.startsWith(SRC) || !result.url.endsWith('.ts')) return result;
  const url = DIST + result.url.slice(SRC.length).replace(/\.ts$/, '.js');
  return existsSync(fileURLToPath(url)) ? { ...result, url, format: 'module' } : result;
}
