#!/usr/bin/env node
// Installed from npm, the package holds the generator already bundled (lib/,
// made by scripts/pack.mjs before packing), and runs that: nothing is written
// inside node_modules/fieldnotes.
// In its own repository, where src/ is, it runs a bundle of src/ that esbuild
// makes on first use and keeps in node_modules/.cache/fieldnotes/, named by a
// hash of the sources and the installed dependencies, so an edited source is
// never run stale. The hash itself is kept under the sources' stamps, so a run
// stats them rather than reading them all (scripts/bundle.mjs). Loading one
// bundle takes a fraction of the time that compiling each TypeScript file on
// load does. Where the cache cannot be written, tsx compiles the sources on
// load instead.

import { existsSync, readdirSync, renameSync, rmSync, statSync } from 'node:fs'
import { setFlagsFromString } from 'node:v8'
import path from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'

const root = fileURLToPath(new URL('..', import.meta.url))

// How long a function runs before V8 has TurboFan optimize it. A build is short, and two or three threads each
// optimize the same code for themselves: with V8's default (67,584), TurboFan took 18% of a cold build's CPU at
// 1,000 chapters, on functions that then ran too little to gain it back. Nine times that leaves the hot paths
// optimized. Measured (docs/performance.md): 11-16% less CPU at 100 and 1,000 chapters, and for an edit; the
// same at 10,000. Set before any of the generator's code is loaded; not where Node was given a budget of its own.
// V8 takes its flags with dashes or underscores.
if (!process.execArgv.some((option) => /^--interrupt[-_]budget\b/.test(option))) setFlagsFromString('--interrupt-budget=600000')

async function bundle(dir, cache, hash) {
  const [{ build }, { bundleOptions }] = await Promise.all([import('esbuild'), import('../scripts/bundle.mjs')])
  const temporary = `${dir}.${process.pid}.tmp`
  await build(bundleOptions(root, temporary, hash))
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

async function fromSources() {
  try {
    const { knownSourceHash } = await import('../scripts/bundle.mjs')
    const cache = path.join(root, 'node_modules', '.cache', 'fieldnotes')
    const hash = knownSourceHash(root, cache)
    const dir = path.join(cache, `bin-${hash}`)
    if (!existsSync(path.join(dir, 'cli.js'))) await bundle(dir, cache, hash)
    return pathToFileURL(path.join(dir, 'cli.js')).href
  } catch {
    const { register } = await import('tsx/esm/api')
    register()
    return new URL('../src/cli.ts', import.meta.url).href
  }
}

const inRepository = existsSync(path.join(root, 'src', 'cli.ts'))
if (!inRepository && !existsSync(path.join(root, 'lib', 'cli.js'))) {
  process.stderr.write(`fieldnotes in ${root} has neither its sources nor its built code (lib/). Install it from the npm registry, or run \`npm pack\` in its repository and install the tarball.\n`)
  process.exitCode = 1
} else {
  await import(inRepository ? await fromSources() : new URL('../lib/cli.js', import.meta.url).href)
}
