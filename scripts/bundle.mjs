// How the generator is bundled with esbuild, shared by bin/fieldnotes.js (a
// bundle made on first use in this repository) and scripts/pack.mjs (the
// bundle shipped in the npm package, made before `npm pack`).

import { createHash } from 'node:crypto'
import { existsSync, mkdirSync, readFileSync, readdirSync, renameSync, statSync, writeFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import path from 'node:path'
import { fileURLToPath } from 'node:url'

/** One entry per way in: the command line, the worker threads, and the programmatic API. */
export const entryPoints = { cli: 'src/cli.ts', worker: 'src/parallel/worker.ts', api: 'src/api.ts' }

/** A hash of the sources, the bundling itself and the installed dependencies: a new one means a new bundle. */
export function sourceHash(root) {
  const hash = createHash('sha256').update(readFileSync(new URL(import.meta.url)))
  for (const name of ['package.json', 'package-lock.json']) hash.update(existsSync(path.join(root, name)) ? readFileSync(path.join(root, name)) : '')
  for (const name of sourceNames(root)) hash.update(`${name}\0`).update(readFileSync(path.join(root, 'src', name)))
  return hash.update(process.version).digest('hex').slice(0, 20)
}

/** The files under src/ that are bundled, sorted. */
function sourceNames(root) {
  return readdirSync(path.join(root, 'src'), { recursive: true })
    .map(String)
    .filter((name) => /\.[cm]?[jt]s$/.test(name))
    .sort()
}

/** A file changed this recently may change again within the file system's clock tick and keep its stamp (git's "racily clean" case). */
const settledMs = 2000

/**
 * sourceHash, kept in `cache` (sources.json) under the stamps of the files it reads (inode, size, modification and
 * change times) and taken from there while they are the same: stat-ing the sources costs a fraction of reading
 * and hashing them, on every run of the command. Stamps taken less than two seconds after a file changed are
 * not kept, so a quick second edit is never missed.
 */
export function knownSourceHash(root, cache) {
  const files = [fileURLToPath(import.meta.url), path.join(root, 'package.json'), path.join(root, 'package-lock.json'), ...sourceNames(root).map((name) => path.join(root, 'src', name))]
  let newest = 0
  const stamps = files.map((file) => {
    const info = statSync(file, { throwIfNoEntry: false })
    if (!info) return '-'
    newest = Math.max(newest, info.mtimeMs, info.ctimeMs)
    return `${info.ino}:${info.size}:${info.mtimeMs}:${info.ctimeMs}`
  })
  const stamp = createHash('sha256').update(JSON.stringify([root, process.version, files, stamps])).digest('hex')
  const memo = path.join(cache, 'sources.json')
  try {
    const known = JSON.parse(readFileSync(memo, 'utf8'))
    if (known.stamp === stamp && typeof known.hash === 'string') return known.hash
  } catch {
    // None kept yet, or unreadable: made afresh below.
  }
  const hash = sourceHash(root)
  if (Date.now() - newest > settledMs) {
    mkdirSync(cache, { recursive: true })
    const temporary = `${memo}.${process.pid}.tmp`
    writeFileSync(temporary, JSON.stringify({ stamp, hash }))
    renameSync(temporary, memo)
  }
  return hash
}

/**
 * micromark does not export the modules that start reading text, which
 * src/markdown/linear.ts changes; from the sources they are found where Node
 * finds micromark (src/markdown/micromark.ts). A bundle holds its own copy of
 * micromark, so there the same modules are imported from that copy's files,
 * and the bundle keeps one micromark.
 */
function micromarkInternals(root) {
  return {
    name: 'micromark-internals',
    setup(build) {
      build.onResolve({ filter: /[/\\]markdown[/\\]micromark\.js$|^\.\/micromark\.js$/ }, (args) =>
        path.basename(args.importer) === 'linear.ts' ? { path: 'micromark-internals', namespace: 'fieldnotes' } : undefined,
      )
      build.onLoad({ filter: /^micromark-internals$/, namespace: 'fieldnotes' }, () => {
        const folder = path.dirname(createRequire(path.join(root, 'package.json')).resolve('micromark'))
        const file = (name) => JSON.stringify(path.join(folder, name))
        return {
          contents: `import * as built from ${file('lib/initialize/text.js')}\nexport const textInitials = [built]\n`,
          resolveDir: folder,
          loader: 'js',
        }
      })
    },
  }
}

/** esbuild's options for a bundle of `entries` in `outdir`, stamped with `hash` (the generator's version in build cache keys). */
export function bundleOptions(root, outdir, hash, entries = entryPoints) {
  return {
    absWorkingDir: root,
    entryPoints: entries,
    outdir,
    bundle: true,
    splitting: true,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    // Dependencies are bundled too, which saves resolving hundreds of small modules on every start,
    // except those that find files of their own at run time (binaries, plugins, Chromium's driver).
    external: ['pagefind', 'playwright-core', 'esbuild', 'tsx', '@citation-js/*', 'temml', 'sirv'],
    // Bundled CommonJS code calls require; an ES module has none of its own.
    banner: { js: "import { createRequire as __fieldnotesRequire } from 'node:module'; const require = __fieldnotesRequire(import.meta.url);" },
    define: { FIELDNOTES_BUNDLE_HASH: JSON.stringify(hash) },
    plugins: [micromarkInternals(root)],
    sourcemap: 'linked',
    logLevel: 'silent',
  }
}
