// How the generator is bundled with esbuild, shared by bin/fieldnotes.js (a
// bundle made on first use in this repository) and scripts/pack.mjs (the
// bundle shipped in the npm package, made before `npm pack`).

import { createHash } from 'node:crypto'
import { existsSync, readFileSync, readdirSync } from 'node:fs'
import { createRequire } from 'node:module'
import path from 'node:path'

/** One entry per way in: the command line, the worker threads, and the programmatic API. */
export const entryPoints = { cli: 'src/cli.ts', worker: 'src/parallel/worker.ts', api: 'src/api.ts' }

/** A hash of the sources, the bundling itself and the installed dependencies: a new one means a new bundle. */
export function sourceHash(root) {
  const hash = createHash('sha256').update(readFileSync(new URL(import.meta.url)))
  for (const name of ['package.json', 'package-lock.json']) hash.update(existsSync(path.join(root, name)) ? readFileSync(path.join(root, name)) : '')
  const src = path.join(root, 'src')
  for (const name of readdirSync(src, { recursive: true }).map(String).sort()) {
    if (/\.[cm]?[jt]s$/.test(name)) hash.update(`${name}\0`).update(readFileSync(path.join(src, name)))
  }
  return hash.update(process.version).digest('hex').slice(0, 20)
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
    external: ['pagefind', 'playwright-core', 'esbuild', 'tsx', '@citation-js/*', 'temml', 'chokidar', 'sirv'],
    // Bundled CommonJS code calls require; an ES module has none of its own.
    banner: { js: "import { createRequire as __fieldnotesRequire } from 'node:module'; const require = __fieldnotesRequire(import.meta.url);" },
    define: { FIELDNOTES_BUNDLE_HASH: JSON.stringify(hash) },
    plugins: [micromarkInternals(root)],
    sourcemap: 'linked',
    logLevel: 'silent',
  }
}
