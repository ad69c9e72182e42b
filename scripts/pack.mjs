// Makes what the npm package runs, before `npm pack` or `npm publish` (the
// `prepack` script): lib/ holds the bundles of the command line, the worker
// threads and the API, the dev server's reload script, the script that draws
// diagrams, and the API's types.
// Installed, bin/fieldnotes.js runs lib/cli.js and never needs src/.

import { execFileSync } from 'node:child_process'
import { copyFileSync, mkdirSync, rmSync } from 'node:fs'
import { createRequire } from 'node:module'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { build } from 'esbuild'
import { bundleOptions, sourceHash } from './bundle.mjs'

const root = fileURLToPath(new URL('..', import.meta.url))
const lib = path.join(root, 'lib')

rmSync(lib, { recursive: true, force: true })
// No source maps: they would point at src/, which the package does not hold.
await build({ ...bundleOptions(root, lib, sourceHash(root)), sourcemap: false, logLevel: 'warning' })
mkdirSync(lib, { recursive: true })
copyFileSync(path.join(root, 'src', 'dev', 'reload.js'), path.join(lib, 'reload.js'))
copyFileSync(path.join(root, 'src', 'render', 'diagrams.js'), path.join(lib, 'diagrams.js'))
const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc')
execFileSync(process.execPath, [tsc, '-p', path.join(root, 'tsconfig.package.json')], { stdio: 'inherit' })
