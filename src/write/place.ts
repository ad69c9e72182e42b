// Putting the files of a new site into its draft folder. The draft may start
// as a spare: the site before the current one, or a draft a killed build left
// (output.ts). A file the spare already holds with the right bytes is kept
// there; one the current site holds with the same bytes is hard-linked from it;
// any other is written. After a small edit most of a site is unchanged, and
// keeping or linking a file costs a fraction of writing it again. Neither ever
// opens a file of the current site, which is the one served, for writing, nor
// renames or removes one of its names. A file that is not kept is created
// exclusively (`wx`, COPYFILE_EXCL and link(2) all refuse a name that exists),
// so no file of the draft is ever opened for writing once placed. What the
// spare holds that the new site does not is removed (`finish`). See
// docs/output.md.

import { constants, copyFileSync, linkSync, lstatSync, mkdirSync, readdirSync, readFileSync, realpathSync, rmSync, statSync, writeFileSync, type Stats } from 'node:fs'
import path from 'node:path'

/** How the files of a site were placed. */
export interface PlaceCounts {
  /** Files written or copied. */
  written: number
  /** Files hard-linked from the previous site, which held them with the same bytes. */
  linked: number
  /** Files the spare the draft began as already held with the same bytes, left where they were. */
  kept: number
}

export interface Placer {
  readonly counts: PlaceCounts
  /** Put content the build made at `relative`; throws if this build placed a file there already. */
  write(relative: string, content: string | Uint8Array): void
  /** Put a copy of the static file `source` at `relative`, with its permissions. */
  copy(relative: string, source: string): void
  /** Make a folder, which a static folder may hold empty. */
  folder(relative: string): void
  /** Remove what the draft held before that was not placed again: once every file is placed, the draft is the new site. */
  finish(): void
}

/** What the draft holds at a path: a file with what lstat(2) said of it, a folder, or anything else (a link). */
type Held = { kind: 'file'; info: Stats } | { kind: 'folder' | 'other' }

/**
 * Place files into `draft`, keeping those it holds already (it may be a spare) and linking those that `previous` (the
 * current site's folder, when there is one) holds unchanged: at the same path, or at the one `alike` gives, where
 * the current site may hold the same file under another name (a search index shard's files, see write/search.ts).
 */
export function placeFiles(draft: string, previous: string | undefined, alike?: (relative: string) => string | undefined): Placer {
  const counts: PlaceCounts = { written: 0, linked: 0, kept: 0 }
  // What the draft holds and this build has not placed yet, by full path: anything on disk in the draft that is
  // not here was placed by this build.
  const held = holdings(draft)
  // How many names each file has in the draft, by device and inode: a file may be kept or linked only where it has
  // no names but those in the draft and in the current site, so that no other name (a backup made with hard links)
  // can ever change the site.
  const names = new Map<string, number>()
  const nameCount = (info: Stats) => names.get(`${info.dev}:${info.ino}`) ?? 0
  const named = (info: Stats, change: number) => names.set(`${info.dev}:${info.ino}`, nameCount(info) + change)
  for (const entry of held.values()) if (entry.kind === 'file') named(entry.info, 1)
  const made = new Set<string>([draft])
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

  /** Make `folder` and those above it, keeping the draft's own folders and removing anything else in their way. */
  const makeFolder = (folder: string) => {
    if (made.has(folder)) return
    makeFolder(path.dirname(folder))
    const entry = held.get(folder)
    if (entry?.kind === 'folder') {
      held.delete(folder)
      made.add(folder)
      return
    }
    if (entry) remove(folder)
    mkdirSync(folder)
    made.add(folder)
  }

  /** Remove what the draft holds at `full`, with all a folder there holds, which is no longer held. */
  const remove = (full: string) => {
    rmSync(full, { recursive: true, force: true })
    const inside = full + path.sep
    for (const [name, entry] of held) {
      if (name !== full && !name.startsWith(inside)) continue
      held.delete(name)
      if (entry.kind === 'file') named(entry.info, -1)
    }
  }

  /** Where the previous site holds the file for `relative`, or may hold it under another name, in a real folder of that site. */
  const previousPaths = (relative: string): string[] => {
    if (previous === undefined) return []
    const other = alike?.(relative)
    const paths: string[] = []
    for (const name of other === undefined || other === relative ? [relative] : [relative, other]) {
      try {
        const old = safeJoin(previous, name)
        if (realFolder(path.dirname(old))) paths.push(old)
      } catch {
        // Unreadable, or not a path inside the site: nothing of it is reused.
      }
    }
    return paths
  }

  /** Whether `info` is a regular file of `size` bytes with permissions `mode`, equal to `bytes` where read from `file`. */
  const same = (file: string, info: Stats, size: number, mode: number, bytes: () => Uint8Array) =>
    info.isFile() && info.size === size && (info.mode & 0o7777) === mode && readFileSync(file).equals(bytes())

  /**
   * Whether the draft's file at `target`, which lstat(2) described as `info`, is already the file to place, with no
   * names but the draft's and, where an earlier build linked it from there, the previous site's for `relative`.
   */
  const keepable = (relative: string, target: string, info: Stats, size: number, mode: number, bytes: () => Uint8Array): boolean => {
    try {
      let ours = nameCount(info)
      if (info.nlink > ours) {
        for (const old of previousPaths(relative)) {
          const other = lstatSync(old, { throwIfNoEntry: false })
          if (other?.ino === info.ino && other.dev === info.dev) ours++
        }
      }
      return info.nlink === ours && same(target, info, size, mode, bytes)
    } catch {
      // Unreadable, or gone meanwhile: placed afresh.
      return false
    }
  }

  /**
   * Link at `target` the previous site's file for `relative`, where it holds one with the same size, permissions and
   * bytes (compared in full), whose only other names are in the draft; false when there is none, or the file system
   * would not link, and it must be written.
   */
  const link = (relative: string, target: string, size: number, mode: number, bytes: () => Uint8Array): boolean => {
    if (!linking) return false
    for (const old of previousPaths(relative)) {
      let info: Stats | undefined
      try {
        info = lstatSync(old, { throwIfNoEntry: false })
        if (!info || info.nlink !== 1 + nameCount(info) || !same(old, info, size, mode, bytes)) continue
      } catch {
        // Unreadable, or gone meanwhile: not linked.
        continue
      }
      try {
        linkSync(old, target)
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === 'EEXIST') throw error
        // No hard links here (another device, a file system without them, a refusal): every file is written.
        linking = false
        return false
      }
      named(info, 1)
      counts.linked++
      return true
    }
    return false
  }

  /**
   * Put a file of `size` bytes, equal to `bytes`, with permissions `mode`, at `relative`: kept where the draft holds
   * it, else linked from the previous site, else made by `create`, refusing to replace one placed before.
   */
  const place = (relative: string, size: number, mode: number, bytes: () => Uint8Array, create: (target: string) => void) => {
    const target = safeJoin(draft, relative)
    makeFolder(path.dirname(target))
    const entry = held.get(target)
    if (entry) {
      if (entry.kind === 'file' && keepable(relative, target, entry.info, size, mode, bytes)) {
        held.delete(target)
        counts.kept++
        return
      }
      remove(target)
    }
    try {
      if (link(relative, target, size, mode, bytes)) return
      create(target)
      counts.written++
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
      place(relative, bytes.byteLength, fresh, () => bytes, (target) => writeFileSync(target, bytes, { flag: 'wx' }))
    },
    copy(relative, source) {
      const info = statSync(source)
      place(relative, info.size, info.mode & 0o7777, () => readFileSync(source), (target) => copyFileSync(source, target, constants.COPYFILE_EXCL))
    },
    folder(relative) {
      makeFolder(safeJoin(draft, relative))
    },
    finish() {
      // Nothing was placed under a folder still held (placing under it would have taken it): it goes whole, and
      // what it held, listed right after it, with it.
      let gone: string | undefined
      for (const [stale, entry] of held) {
        if (gone !== undefined && stale.startsWith(gone)) continue
        rmSync(stale, { recursive: true, force: true })
        if (entry.kind === 'folder') gone = stale + path.sep
      }
      held.clear()
    },
  }
}

/** Everything under `folder`, by full path, in the order of a walk that lists a folder before what it holds; links are never followed. */
function holdings(folder: string): Map<string, Held> {
  const held = new Map<string, Held>()
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const full = path.join(dir, entry.name)
      if (entry.isDirectory()) {
        held.set(full, { kind: 'folder' })
        walk(full)
      } else if (entry.isFile()) held.set(full, { kind: 'file', info: lstatSync(full) })
      else held.set(full, { kind: 'other' })
    }
  }
  walk(folder)
  return held
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
