/**
 * Static analysis of the production bundle in dist/client: JS sizes, raw and gzip (level 9), for the
 * whole bundle and for what the first screen loads (the entry script of index.html, its modulepreload
 * links and, to be sure nothing is missed, the closure of their static imports).
 */
import { readFileSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { gzipSync } from 'node:zlib';

export interface Sizes {
  files: number;
  rawBytes: number;
  gzipBytes: number;
}

const gzipCache = new Map<string, number>();

/** Gzip size (level 9) of a file, cached by absolute path. */
export function gzipSizeOf(file: string): number {
  let size = gzipCache.get(file);
  if (size === undefined) {
    size = gzipSync(readFileSync(file), { level: 9 }).length;
    gzipCache.set(file, size);
  }
  return size;
}

export function sizesOf(files: Iterable<string>): Sizes {
  const sizes: Sizes = { files: 0, rawBytes: 0, gzipBytes: 0 };
  for (const file of new Set(files)) {
    sizes.files++;
    sizes.rawBytes += statSync(file).size;
    sizes.gzipBytes += gzipSizeOf(file);
  }
  return sizes;
}

function walk(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    return entry.isDirectory() ? walk(full) : [full];
  });
}

const isJs = (file: string) => /\.m?js$/.test(file);

/** `/assets/x.js` (as in index.html or a URL path) → the file in clientDir. */
export function fileOfUrlPath(clientDir: string, urlPath: string): string {
  return path.join(clientDir, decodeURIComponent(urlPath).replace(/^\/+/, ''));
}

/** Relative static imports of a chunk: `import … from"./x.js"` and `import"./x.js"`, not `import("./x.js")`. */
function staticImportsOf(file: string): string[] {
  const code = readFileSync(file, 'utf8');
  const out: string[] = [];
  for (const match of code.matchAll(/(?:\bfrom|\bimport)\s*["'](\.{1,2}\/[^"'\s]+\.m?js)["']/g)) {
    const spec = match[1];
    if (spec) out.push(path.resolve(path.dirname(file), spec));
  }
  return out;
}

export interface BundleReport {
  all: Sizes;
  allCss: Sizes;
  entry: string;
  modulepreload: string[];
  /** Entry + modulepreload + the closure of their static imports (should equal entry + modulepreload). */
  firstScreen: Sizes & { chunks: string[] };
  /** Static imports found by the closure but missing from index.html's modulepreload links. */
  staticImportsNotPreloaded: string[];
}

export function analyseBundle(clientDir: string): BundleReport {
  const files = walk(clientDir);
  const html = readFileSync(path.join(clientDir, 'index.html'), 'utf8');
  const entryPath = /<script\b[^>]*\btype="module"[^>]*\bsrc="([^"]+)"/.exec(html)?.[1];
  if (!entryPath) throw new Error('no module entry script in dist/client/index.html');
  const preloadPaths = [...html.matchAll(/<link\b[^>]*\brel="modulepreload"[^>]*\bhref="([^"]+)"/g)].flatMap((m) =>
    m[1] ? [m[1]] : [],
  );
  const entry = fileOfUrlPath(clientDir, entryPath);
  const preload = preloadPaths.map((p) => fileOfUrlPath(clientDir, p));
  const closure = new Set<string>();
  const queue = [entry, ...preload];
  while (queue.length > 0) {
    const file = queue.pop() as string;
    if (closure.has(file)) continue;
    closure.add(file);
    queue.push(...staticImportsOf(file));
  }
  const listed = new Set([entry, ...preload]);
  const rel = (f: string) => path.relative(clientDir, f);
  return {
    all: sizesOf(files.filter(isJs)),
    allCss: sizesOf(files.filter((f) => f.endsWith('.css'))),
    entry: rel(entry),
    modulepreload: preload.map(rel),
    firstScreen: { ...sizesOf(closure), chunks: [...closure].map(rel).sort() },
    staticImportsNotPreloaded: [...closure].filter((f) => !listed.has(f)).map(rel),
  };
}
