// Putting the files of a new site into its draft folder. A file that the
// previous site already holds with the same bytes is hard-linked from there
// instead of written: after a small edit most of a site is unchanged, and a
// link costs a fraction of writing the file again. Linking only adds a name
// to a file, so the previous site, which is still the one served, keeps its
// names and bytes. Every file is created exclusively (`wx`, COPYFILE_EXCL and
// link(2) all refuse a name that exists), so no file of the draft is ever
// opened for writing once placed, linked or not. See docs/output.md.

import { constants, copyFileSync, linkSync, lstatSync, mkdirSync, readdirSync, readFileSync, realpathSync, statSync, writeFileSync } from 'node:fs'
import path from 'node:path'

/** How the files of a site were placed. */
export interface PlaceCounts {
  /** Files written or copied. */
  written: number
  /** Files hard-linked from the previous site, which held them with the same bytes. */
  linked: number
}

export interface Placer {
  readonly counts: PlaceCounts
  /** Put content the build made at `relative`; throws if a file is already there. */
  write(relative: string, content: string | Uint8Array): void
  /** Put a copy of the static file `source` at `relative`, with its permissions. */
  copy(relative: string, source: string): void
  /** Make a folder, which a static folder may hold empty. */
  folder(relative: string): void
}

/** Place files into `draft`, linking those that `previous` (a site folder, when there is one) holds unchanged. */
export function placeFiles(draft: string, previous: string | undefined): Placer {
  const counts: PlaceCounts = { written: 0, linked: 0 }
  const made = new Set<string>()
  // A file written now gets the draft folder's permissions without the execute bits (both are masked
  // by the same umask); an old file with other permissions was changed since, and is not reused.
  const fresh = statSync(draft).mode & 0o666
  // Folders of the previous site that are folders, not links that lead elsewhere.
  const real = new Map<string, boolean>()
  let linking = previous !== undefined && isFolder(previous)
  if (previous !== undefined) real.set(previous, linking)

  const realFolder = (dir: string): boolean => {
    let known = real.get(dir)
    if (known === undefined) {
      known = isFolder(dir) && realFolder(path.dirname(dir))
      real.set(dir, known)
    }
    return known
  }

  const makeFolder = (folder: string) => {
    if (made.has(folder)) return
    mkdirSync(folder, { recursive: true })
    made.add(folder)
  }

  /**
   * Whether the previous site holds the same file at `old`: a regular file in a real folder, of the
   * same size and permissions, with no other name (so that, once the previous site is removed, the
   * new site is the only one to hold it), and the same bytes, compared in full.
   */
  const unchanged = (old: string, size: number, mode: number, bytes: () => Uint8Array): boolean => {
    try {
      const info = lstatSync(old, { throwIfNoEntry: false })
      if (!info?.isFile() || info.nlink !== 1 || info.size !== size || (info.mode & 0o7777) !== mode) return false
      return realFolder(path.dirname(old)) && readFileSync(old).equals(bytes())
    } catch {
      // Unreadable, or gone meanwhile: written instead.
      return false
    }
  }

  /** Link the previous site's file at `target`; false when the file system would not, and it must be written. */
  const link = (target: string, size: number, mode: number, bytes: () => Uint8Array): boolean => {
    if (!linking) return false
    const old = previous + target.slice(draft.length)
    if (!unchanged(old, size, mode, bytes)) return false
    try {
      linkSync(old, target)
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'EEXIST') throw error
      // No hard links here (another device, a file system without them, a refusal): every file is written.
      linking = false
      return false
    }
    counts.linked++
    return true
  }

  /** Create the file at `target` with `create`, refusing to replace one placed before. */
  const place = (relative: string, create: (target: string) => void) => {
    const target = safeJoin(draft, relative)
    makeFolder(path.dirname(target))
    try {
      create(target)
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error
      // A file the build made must not replace one of the generator's static files (the pipeline refuses such content; this is the last guard).
      throw new Error(`Two files would be published at ${relative}: refusing to let one replace the other`)
    }
  }

  return {
    counts,
    write(relative, content) {
      const bytes = typeof content === 'string' ? Buffer.from(content) : content
      place(relative, (target) => {
        if (link(target, bytes.byteLength, fresh, () => bytes)) return
        writeFileSync(target, bytes, { flag: 'wx' })
        counts.written++
      })
    },
    copy(relative, source) {
      place(relative, (target) => {
        const info = statSync(source)
        if (link(target, info.size, info.mode & 0o7777, () => readFileSync(source))) return
        copyFileSync(source, target, constants.COPYFILE_EXCL)
        counts.written++
      })
    },
    folder(relative) {
      makeFolder(safeJoin(draft, relative))
    },
  }
}

function isFolder(dir: string): boolean {
  return lstatSync(dir, { throwIfNoEntry: false })?.isDirectory() ?? false
}

/** What static folders publish: each file's path in the site and the real file to copy, and the folders. Later folders win. */
export function listStaticFiles(dirs: readonly string[]): { files: Map<string, string>; folders: string[] } {
  const files = new Map<string, string>()
  const folders: string[] = []
  for (const dir of dirs) {
    let root: string
    try {
      root = realpathSync(dir)
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') continue
      throw error
    }
    // Links are followed to files and folders inside the static folder, never outside it, and
    // never back into a folder being walked, which would never end.
    const walk = (real: string, relative: string, walking: ReadonlySet<string>) => {
      for (const entry of readdirSync(real, { withFileTypes: true })) {
        let source = path.join(real, entry.name)
        const name = relative === '' ? entry.name : `${relative}/${entry.name}`
        if (entry.isSymbolicLink()) {
          const target = realpathOrUndefined(source)
          if (target === undefined || !target.startsWith(root + path.sep)) continue
          source = target
        }
        const info = entry.isSymbolicLink() ? statSync(source) : entry
        if (info.isDirectory()) {
          if (walking.has(source)) continue
          folders.push(name)
          walk(source, name, new Set([...walking, source]))
        } else if (info.isFile()) files.set(name, source)
        else throw new Error(`Cannot publish ${source}: it is neither a file nor a folder`)
      }
    }
    walk(root, '', new Set([root]))
  }
  return { files, folders }
}

function realpathOrUndefined(file: string): string | undefined {
  try {
    return realpathSync(file)
  } catch {
    return undefined
  }
}

/** Join an output path, refusing anything that would land outside the folder. */
export function safeJoin(root: string, relative: string): string {
  const target = path.resolve(root, relative)
  if (target === root || !target.startsWith(root + path.sep) || relative.includes('\0')) {
    throw new Error(`Refusing to write outside the output folder: ${relative}`)
  }
  return target
}
