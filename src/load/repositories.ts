// Repositories inside the content folder. Git obeys the configuration of any
// repository it finds, and that configuration can name programs to run
// (`gpg.program`, `core.fsmonitor`), so a pull request that adds a folder
// shaped like a repository must never be handed to git. history.ts already
// names the checkout's own git directory explicitly; this module reports such
// folders, so that they are removed rather than carried along unnoticed.

import type { Dirent } from 'node:fs'
import path from 'node:path'
import { createMessage, type Message } from '../messages.js'

/**
 * Folders of `root` that hold a `.git` (below the top: at the top it is the
 * checkout itself), and folders shaped like a bare repository: `HEAD`,
 * `objects/` and `refs/` side by side, which is what git looks for.
 * Paths are relative to `root`, with forward slashes; `` is the folder itself.
 * `skipped` tells which folders the loader never reads.
 */
export function findRepositories(root: string, entries: readonly Dirent[], skipped: (folder: string) => boolean): { folder: string; marker: string }[] {
  const shapes = new Map<string, Set<string>>()
  const found: { folder: string; marker: string }[] = []
  for (const entry of entries) {
    const folder = toPosix(path.relative(root, entry.parentPath))
    // What lies inside a `.git`, and in folders never read, is not looked at.
    if (skipped(folder)) continue
    if (entry.name === '.git' && folder !== '') found.push({ folder, marker: '.git' })
    const part = entry.name === 'HEAD' && !entry.isDirectory() ? 'HEAD' : (entry.name === 'objects' || entry.name === 'refs') && entry.isDirectory() ? entry.name : undefined
    if (part === undefined) continue
    const parts = shapes.get(folder) ?? new Set<string>()
    parts.add(part)
    shapes.set(folder, parts)
  }
  for (const [folder, parts] of shapes) if (parts.size === 3) found.push({ folder, marker: 'HEAD' })
  return found.sort((a, b) => (a.folder < b.folder ? -1 : a.folder > b.folder ? 1 : 0))
}

export function repositoryMessages(found: readonly { folder: string; marker: string }[], displayDir: string): Message[] {
  return found.map(({ folder, marker }) =>
    createMessage(
      'content-holds-no-repository',
      toPosix(path.join(displayDir, folder, marker)),
      undefined,
      marker === '.git'
        ? `The folder ${folder}/ holds a git repository of its own (\`.git\`) inside the content folder`
        : `${folder === '' ? 'The content folder' : `The folder ${folder}/`} is shaped like a bare git repository (\`HEAD\`, \`objects/\` and \`refs/\`)`,
      'Remove the repository files from the content folder: git is never run on them, since their configuration could run programs on the machine that builds the site. Keep only chapters, data and images here.',
    ),
  )
}

function toPosix(p: string): string {
  return p.split(path.sep).join('/')
}
