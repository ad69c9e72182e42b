// What the loader makes of a folder before reading it: which paths it never
// reads, how a file is stamped so that a change to it shows without reading
// it, and which git checkout holds the content. Kept apart from the loader so
// that the command can look at the inputs' stamps (cache/stamps.ts) without
// loading the rest.

import { lstatSync, type Stats } from 'node:fs'
import path from 'node:path'

/** A file changed this recently may change again within the file system's clock tick and keep its stamp (git's "racily clean" case). */
export const settledMs = 2000

/** Which file a path names and how it is: any save, even of the same size, changes one of these. */
export function stampOf(stats: Stats): string {
  return `${stats.dev}:${stats.ino}:${stats.size}:${stats.mtimeMs}:${stats.ctimeMs}`
}

const ignoredDirectories = new Set(['node_modules', '_build', 'dist'])

/** Is this path in the content folder (with forward slashes) one the loader never reads: a dot file, or in a dot folder, node_modules, _build or dist? */
export function isSkipped(relative: string): boolean {
  return relative !== '' && relative.split('/').some((part) => part.startsWith('.') || ignoredDirectories.has(part))
}

/** The checkout holding `root`: the first `.git` (a folder, or a file as in worktrees) in `root` or a folder above it. */
export interface Checkout {
  gitDir: string
  workTree: string
}

export function findCheckout(root: string): Checkout | undefined {
  for (let dir = path.resolve(root); ; dir = path.dirname(dir)) {
    const dotGit = path.join(dir, '.git')
    const info = lstatSync(dotGit, { throwIfNoEntry: false })
    if (info?.isDirectory() || info?.isFile()) return { gitDir: dotGit, workTree: dir }
    if (path.dirname(dir) === dir) return undefined
  }
}
