// The build cache's entries, kept in packs: a thread appends each entry it
// writes to a draft file of its own, and when its round of work ends the draft
// gets an index of what it holds and its final name, in one rename. A pack is
// therefore there whole or not at all, and a build writes a few files where it
// would write thousands (making a file costs more than writing its bytes).
//
// A reader sees the packs that were whole when it first looked; where two hold
// the same key, the later one's entry is taken. When a build ends, packs whose
// entries it did not use go, and packs that are mostly unused, or too many
// small ones, are merged into one (forgetEntries).
//
// A pack: a first line naming the format, the entries one after another, the
// index as JSON (each key with its entry's offset and length in bytes), and a
// last line giving the index's offset.

import { closeSync, fstatSync, mkdirSync, openSync, readdirSync, readSync, renameSync, rmSync, statSync, writeSync } from 'node:fs'
import path from 'node:path'
import { threadId } from 'node:worker_threads'

const header = 'fieldnotes cache pack 1\n'
/** The last line: the index's offset, in decimal, padded to a fixed width. */
const footerBytes = 16
const packSuffix = '.pack'
const draftSuffix = '.draft'
/** Packs kept in a folder before the smallest are merged. */
const maxPacks = 8
/** A draft nobody has written to for this long was left by a build that was killed. */
const staleDraftMs = 60 * 60 * 1000

type Index = [key: string, offset: number, length: number][]

interface Pack {
  file: string
  index: Index
}

interface Located {
  file: string
  offset: number
  length: number
}

/** The packs of a folder as one reader sees them: each key where its latest entry is. */
interface Snapshot {
  entries: Map<string, Located>
  /** Open files, by pack path, closed when the thread's round ends. */
  open: Map<string, number>
}

/** A pack being written by this thread. */
interface Draft {
  file: string
  fd: number
  size: number
  index: Index
}

/** What this thread has open in each folder it reads or writes. */
const folders = new Map<string, { snapshot?: Snapshot | undefined; draft?: Draft | undefined }>()

let made = 0

/** A name that sorts after the names of packs made before it. */
function packName(): string {
  return `${Date.now().toString(36).padStart(9, '0')}-${(made++).toString(36).padStart(4, '0')}-${process.pid}-${threadId}`
}

function stateOf(folder: string) {
  let state = folders.get(folder)
  if (!state) folders.set(folder, (state = {}))
  return state
}

/** Whether a whole pack holds an entry under `key`, as this thread's round sees the packs. */
export function hasEntry(folder: string, key: string): boolean {
  return snapshotFor(folder).entries.has(key)
}

/** One entry, or undefined when no whole pack holds it, or it cannot be read. */
export function readEntry(folder: string, key: string): string | undefined {
  return readIn(snapshotFor(folder), key)
}

/**
 * Add an entry to this thread's draft, and say whether it was added. It can be read once the draft is sealed, when
 * the round ends (settleEntries). A cache that cannot be written is left as it is.
 */
export function writeEntry(folder: string, key: string, json: string): boolean {
  const state = stateOf(folder)
  try {
    state.draft ??= openDraft(folder)
    append(state.draft, key, Buffer.from(json))
    return true
  } catch {
    // Read-only or full disk: the next build does this work again.
    if (state.draft) discard(state.draft)
    state.draft = undefined
    return false
  }
}

/** End this thread's round: seal its drafts into packs, and let go of what it has read, so that the next round sees the packs as they are then. */
export function settleEntries(): void {
  for (const state of folders.values()) {
    if (state.draft) seal(state.draft)
    state.draft = undefined
    if (state.snapshot) closeAll(state.snapshot)
    state.snapshot = undefined
  }
}

/** Every entry of a folder, by key, as a reader sees them (for tests, and to look inside a cache). */
export function allEntries(folder: string): Map<string, string> {
  const snapshot = snapshotOf(folder)
  try {
    return new Map([...snapshot.entries.keys()].flatMap((key) => {
      const json = readIn(snapshot, key)
      return json === undefined ? [] : [[key, json] as const]
    }))
  } finally {
    closeAll(snapshot)
  }
}

/**
 * Keep only the entries named in `keep`: packs that hold none of them are removed, and packs that are more unused
 * than used, or beyond the few kept, are merged into one. Drafts killed builds left are removed, and entries of the
 * layout before packs (one file each). Never fails: a cache that cannot be tidied only takes more room.
 */
export function forgetEntries(folder: string, keep: ReadonlySet<string>): void {
  settleEntries()
  try {
    mkdirSync(folder, { recursive: true })
    const names = readdirSync(folder)
    for (const name of names) {
      const file = path.join(folder, name)
      const stale = name.endsWith('.json') || name.endsWith('.tmp') || (name.endsWith(draftSuffix) && Date.now() - (statSync(file, { throwIfNoEntry: false })?.mtimeMs ?? 0) > staleDraftMs)
      if (stale) rmSync(file, { force: true })
    }
    const packs = packsIn(folder, names)
    const winners = latest(packs)
    // How many bytes of each pack are entries still used, and how many it holds in all.
    const used = new Map(packs.map((pack) => [pack.file, 0]))
    for (const [key, at] of winners) if (keep.has(key)) used.set(at.file, used.get(at.file)! + at.length)
    const bytes = (pack: Pack) => pack.index.reduce((sum, [, , length]) => sum + length, 0)
    const fragmented = (pack: Pack) => used.get(pack.file)! * 2 < bytes(pack)
    const live = packs.filter((pack) => used.get(pack.file)! > 0)
    for (const pack of packs) if (!live.includes(pack)) rmSync(pack.file, { force: true })
    const merged = live.filter(fragmented)
    const rest = live.filter((pack) => !fragmented(pack)).sort((a, b) => used.get(a.file)! - used.get(b.file)!)
    while (rest.length + (merged.length > 0 ? 1 : 0) > maxPacks) merged.push(rest.shift()!)
    if (merged.length === 0) return
    const draft = openDraft(folder)
    const open = new Map(merged.map((pack) => [pack.file, openSync(pack.file, 'r')]))
    try {
      for (const [key, at] of winners) {
        const fd = open.get(at.file)
        if (fd === undefined || !keep.has(key)) continue
        append(draft, key, readAt(fd, at.offset, at.length))
      }
    } finally {
      for (const fd of open.values()) closeSync(fd)
    }
    seal(draft)
    for (const pack of merged) rmSync(pack.file, { force: true })
  } catch {
    // Read-only or full disk: the cache keeps what it has.
  }
}

function openDraft(folder: string): Draft {
  mkdirSync(folder, { recursive: true })
  const file = path.join(folder, `${packName()}${draftSuffix}`)
  const fd = openSync(file, 'wx')
  const first = Buffer.from(header)
  writeAll(fd, first)
  return { file, fd, size: first.byteLength, index: [] }
}

function append(draft: Draft, key: string, entry: Uint8Array): void {
  writeAll(draft.fd, entry)
  draft.index.push([key, draft.size, entry.byteLength])
  draft.size += entry.byteLength
}

/** Write the draft's index and its offset, and give it its name as a pack. */
function seal(draft: Draft): void {
  try {
    const index = Buffer.from(JSON.stringify(draft.index))
    writeAll(draft.fd, index)
    writeAll(draft.fd, Buffer.from(`${String(draft.size).padStart(footerBytes - 1, '0')}\n`))
    closeSync(draft.fd)
    renameSync(draft.file, draft.file.slice(0, -draftSuffix.length) + packSuffix)
  } catch {
    discard(draft)
  }
}

function discard(draft: Draft): void {
  try {
    closeSync(draft.fd)
  } catch {
    // Already closed.
  }
  rmSync(draft.file, { force: true })
}

/** The whole packs of a folder, oldest first, each with its index; a pack that cannot be read is left out. */
function packsIn(folder: string, names = listFolder(folder)): Pack[] {
  const packs: Pack[] = []
  for (const name of names.filter((n) => n.endsWith(packSuffix)).sort()) {
    const file = path.join(folder, name)
    const index = indexOf(file)
    if (index) packs.push({ file, index })
  }
  return packs
}

function listFolder(folder: string): string[] {
  try {
    return readdirSync(folder)
  } catch {
    return []
  }
}

/** Where each key's latest entry is. */
function latest(packs: readonly Pack[]): Map<string, Located> {
  const entries = new Map<string, Located>()
  for (const { file, index } of packs) for (const [key, offset, length] of index) entries.set(key, { file, offset, length })
  return entries
}

/** The packs as this thread's round sees them: as they were when it first looked. */
function snapshotFor(folder: string): Snapshot {
  const state = stateOf(folder)
  state.snapshot ??= snapshotOf(folder)
  return state.snapshot
}

function snapshotOf(folder: string): Snapshot {
  return { entries: latest(packsIn(folder)), open: new Map() }
}

/** An entry of the packs a snapshot saw, read through the one open file it keeps for each pack. */
function readIn(snapshot: Snapshot, key: string): string | undefined {
  const found = snapshot.entries.get(key)
  if (!found) return undefined
  try {
    let fd = snapshot.open.get(found.file)
    if (fd === undefined) snapshot.open.set(found.file, (fd = openSync(found.file, 'r')))
    return readAt(fd, found.offset, found.length).toString('utf8')
  } catch {
    return undefined
  }
}

function closeAll(snapshot: Snapshot): void {
  for (const fd of snapshot.open.values()) closeSync(fd)
  snapshot.open.clear()
}

/** A pack's index, or undefined when the file is not a whole pack of this format. */
function indexOf(file: string): Index | undefined {
  let fd: number | undefined
  try {
    fd = openSync(file, 'r')
    const size = fstatSync(fd).size
    if (readAt(fd, 0, header.length).toString('utf8') !== header) return undefined
    const start = Number(readAt(fd, size - footerBytes, footerBytes).toString('utf8'))
    if (!Number.isInteger(start) || start < header.length || start > size - footerBytes) return undefined
    const index = JSON.parse(readAt(fd, start, size - footerBytes - start).toString('utf8')) as unknown
    // Each entry between the first line and the index.
    const valid = (e: unknown) =>
      Array.isArray(e) && e.length === 3 && typeof e[0] === 'string' && Number.isInteger(e[1]) && Number.isInteger(e[2]) && e[1] >= header.length && e[2] >= 0 && e[1] + e[2] <= start
    return Array.isArray(index) && index.every(valid) ? (index as Index) : undefined
  } catch {
    return undefined
  } finally {
    if (fd !== undefined) closeSync(fd)
  }
}

function readAt(fd: number, offset: number, length: number): Buffer {
  const bytes = Buffer.allocUnsafe(length)
  let read = 0
  while (read < length) {
    const got = readSync(fd, bytes, read, length - read, offset + read)
    if (got === 0) throw new Error('The pack ended early')
    read += got
  }
  return bytes
}

function writeAll(fd: number, bytes: Uint8Array): void {
  for (let written = 0; written < bytes.byteLength; ) written += writeSync(fd, bytes, written)
}
