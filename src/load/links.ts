// Symbolic links in the content and static-file folders. A link whose target
// lies outside its folder could publish any file on the machine that builds
// the site (a pull request can add one), so each is an error, and the pages
// that refer to one are told so at their place.

import type { Dirent } from 'node:fs'
import { readdir, realpath } from 'node:fs/promises'
import path from 'node:path'
import { createMessage, type Message } from '../messages.js'

export interface FolderLinks {
  /** Paths inside the folder, with forward slashes, of links that point outside it (or nowhere). */
  outside: string[]
  messages: Message[]
}

/**
 * Find the links in `dir` that lead outside it. `displayDir` names the folder in messages. `listed`: the folder's
 * entries, read recursively from `dir`, when the caller has them already. Default: read here.
 */
export async function findOutsideLinks(dir: string, displayDir: string, listed?: readonly Dirent[]): Promise<FolderLinks> {
  let root: string
  try {
    root = await realpath(dir)
  } catch {
    return { outside: [], messages: [] }
  }
  const outside: string[] = []
  const messages: Message[] = []
  const base = listed ? dir : root
  const entries = listed ?? (await readdir(root, { recursive: true, withFileTypes: true }).catch(() => []))
  const links = entries.filter((entry) => entry.isSymbolicLink()).map((entry) => path.join(entry.parentPath, entry.name))
  for (const full of links.sort()) {
    const relative = path.relative(base, full).split(path.sep).join('/')
    const target = await realpath(full).catch(() => undefined)
    if (target !== undefined && (target === root || target.startsWith(root + path.sep))) continue
    outside.push(relative)
    messages.push(
      createMessage(
        'path-inside-project',
        `${displayDir}/${relative}`,
        undefined,
        target === undefined
          ? 'This symbolic link points to nothing that exists'
          : `This symbolic link points outside ${displayDir}/, so its target could be published from anywhere on the machine`,
        `Replace the link with a copy of the file inside ${displayDir}/, or delete it.`,
      ),
    )
  }
  return { outside, messages }
}
