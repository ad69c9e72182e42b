// Where the generator's own files (templates/, public/) are. This module runs
// from src/ under tsx, from the bundle that bin/fieldnotes.js keeps in
// node_modules/.cache/fieldnotes/, or from lib/ in the installed npm package;
// either way the package is the nearest folder above it with a package.json
// and templates/.

import { existsSync } from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'

export const packageRoot = findRoot(path.dirname(fileURLToPath(import.meta.url)))

/** The dev server's live-reload script: in src/ in the repository, copied into lib/ for the npm package. */
export const reloadScriptFile = [path.join(packageRoot, 'src', 'dev', 'reload.js'), path.join(packageRoot, 'lib', 'reload.js')].find((file) => existsSync(file)) ?? path.join(packageRoot, 'src', 'dev', 'reload.js')

/** The script that draws a page's diagrams (published only on sites with diagrams, see load/vendor.ts): in src/ in the repository, copied into lib/ for the npm package. */
export const diagramScriptFile = [path.join(packageRoot, 'src', 'render', 'diagrams.js'), path.join(packageRoot, 'lib', 'diagrams.js')].find((file) => existsSync(file)) ?? path.join(packageRoot, 'src', 'render', 'diagrams.js')

function findRoot(start: string): string {
  for (let dir = start; ; dir = path.dirname(dir)) {
    if (existsSync(path.join(dir, 'package.json')) && existsSync(path.join(dir, 'templates'))) return dir
    if (path.dirname(dir) === dir) return path.dirname(start)
  }
}
