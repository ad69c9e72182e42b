// micromark's modules that start reading text and strings, which linear.ts
// changes. micromark does not export them, so they are imported by file from
// the folder Node finds micromark in (beside this package, or hoisted into a
// project's node_modules), from both of micromark's builds: the one Node
// loads, and the one tools that ask for `development` load (vitest). An
// import of the very file micromark imports is the very module it uses.
// Bundles replace this module with a static import of the same file
// (scripts/bundle.mjs), so that the bundle's own copy of micromark is changed.

import { existsSync } from 'node:fs'
import { createRequire } from 'node:module'
import path from 'node:path'
import { pathToFileURL } from 'node:url'
import type { Construct, InitialConstruct } from 'micromark-util-types'

export interface TextInitials {
  text: InitialConstruct
  string: InitialConstruct
  resolver: Pick<Construct, 'resolveAll'>
}

const folder = packageFolder(createRequire(import.meta.url).resolve('micromark'))
const load = (build: string) => import(pathToFileURL(path.join(folder, build, 'initialize', 'text.js')).href) as Promise<TextInitials>

export const textInitials: TextInitials[] = await Promise.all([load('lib'), load(path.join('dev', 'lib'))])

/** The folder of the package holding `file`: the nearest with a package.json (the entry may be in `dev/`, under some conditions). */
function packageFolder(file: string): string {
  for (let dir = path.dirname(file); path.dirname(dir) !== dir; dir = path.dirname(dir)) {
    if (existsSync(path.join(dir, 'package.json'))) return dir
  }
  throw new Error(`No package.json above ${file}`)
}
