#!/usr/bin/env node
// Runs the generator from a bundle of src/ that esbuild makes on first use and
// keeps in node_modules/.cache/fieldnotes/, named by a hash of the sources and
// the installed dependencies, so an edited source is never run stale. Loading one bundle takes a fraction of
// the time that compiling each TypeScript file on load does. Where the cache
// cannot be written, tsx compiles the sources on load instead.

import { createHash } from 'node:crypto'
import { existsSync, readFileSync, readdirSync, renameSync, rmSync, statSync } from 'node:fs'
import path from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'

const root = fileURLToPath(new URL('..', import.meta.url))
const cache = path.join(root, 'node_modules', '.cache', 'fieldnotes')
/** Each bundle has one entry per way in: the command line, and the page worker threads start from. */
const entryPoints = { cli: 'src/cli.ts', worker: 'src/parallel/worker.ts' }

function sourceHash() {
  const hash = createHash('sha256').update(readFileSync(new URL(import.meta.url)))
  for (const name of ['package.json', 'package-lock.json']) hash.update(existsSync(path.join(root, name)) ? readFileSync(path.join(root, name)) : '')
  const src = path.join(root, 'src')
  for (const name of readdirSync(src, { recursive: true }).map(String).sort()) {
    if (/\.[cm]?[jt]s$/.test(name)) hash.update(`${name}\0`).update(readFileSync(path.join(src, name)))
  }
  return hash.update(process.version).digest('hex').slice(0, 20)
}

async function bundle(dir) {
  const { build } = await import('esbuild')
  const temporary = `${dir}.${process.pid}.tmp`
  await build({
    absWorkingDir: root,
    entryPoints,
    outdir: temporary,
    bundle: true,
    splitting: true,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    // Dependencies are bundled too, which saves resolving hundreds of small modules on every start,
    // except those that find files of their own at run time (binaries, plugins, Chromium's driver).
    external: ['pagefind', 'playwright-core', 'esbuild', 'tsx', '@citation-js/*', 'temml', 'chokidar', 'sirv'],
    // Bundled CommonJS code calls require; an ES module has none of its own.
    banner: { js: "import { createRequire as __fieldnotesRequire } from 'node:module'; const require = __fieldnotesRequire(import.meta.url);" },
    sourcemap: 'linked',
    logLevel: 'silent',
  })
  // Another process may have made the same bundle meanwhile; either copy will do.
  try {
    renameSync(temporary, dir)
  } catch {
    rmSync(temporary, { recursive: true, force: true })
  }
  // Older bundles go, and drafts that a killed run left more than ten minutes ago.
  for (const old of readdirSync(cache)) {
    const full = path.join(cache, old)
    const stale = !old.endsWith('.tmp') || Date.now() - statSync(full).mtimeMs > 600_000
    if (old.startsWith('bin-') && full !== dir && stale) rmSync(full, { recursive: true, force: true })
  }
}

let entry
try {
  const dir = path.join(cache, `bin-${sourceHash()}`)
  if (!existsSync(path.join(dir, 'cli.js'))) await bundle(dir)
  entry = pathToFileURL(path.join(dir, 'cli.js')).href
} catch {
  const { register } = await import('tsx/esm/api')
  register()
  entry = new URL('../src/cli.ts', import.meta.url).href
}
await import(entry)
