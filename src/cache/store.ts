// The build cache on disk: where it lives, what it remembers of a project's
// last build, and the stamps of the files a build copies without reading.
// It keys on content hashes (see key.ts), so it is never stale, and it is safe
// to delete at any time: the next build is then a cold one.

import { createHash } from 'node:crypto'
import { existsSync } from 'node:fs'
import { mkdir, readdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises'
import path from 'node:path'
import type { Message } from '../messages.js'
import { packageRoot } from '../root.js'
import { forgetEntries } from './packs.js'

export { hasEntry, readEntry, settleEntries, writeEntry } from './packs.js'

/** What a project's last build left behind. */
export interface BuildRecord {
  key: string
  /** Messages before --strict is applied. */
  messages: Message[]
  pages: string[]
  /** The folder the output folder linked to when the build wrote it; none for `check`. */
  site?: string | undefined
}

/** Chapters' parses, and each chapter's facts and finished page with what it read (and generated pages). */
export type EntryKind = 'parses' | 'pages'

/** Set by esbuild in a bundle (scripts/bundle.mjs); undefined when the sources run. */
declare const FIELDNOTES_BUNDLE_HASH: string | undefined

/** Projects whose records are kept; the least recently built beyond this are forgotten. */
const keptProjects = 50

/** `node_modules/.cache/fieldnotes` in the working folder, or `.cache/fieldnotes` where there is no node_modules. */
export function defaultCacheDir(cwd = process.cwd()): string {
  return existsSync(path.join(cwd, 'node_modules')) ? path.join(cwd, 'node_modules', '.cache', 'fieldnotes') : path.join(cwd, '.cache', 'fieldnotes')
}

export class BuildCache {
  private readonly dir: string

  /** One record per project: the same content built into the same output folder. */
  constructor(
    readonly root: string,
    project: { contentDir: string; outDir: string },
  ) {
    const id = createHash('sha256').update(`${project.contentDir}\0${project.outDir}`).digest('hex').slice(0, 16)
    this.dir = path.join(root, 'builds', id)
  }

  async last(): Promise<BuildRecord | undefined> {
    try {
      return JSON.parse(await readFile(path.join(this.dir, 'build.json'), 'utf8')) as BuildRecord
    } catch {
      // Missing or unreadable (a cache from another version, a half-deleted folder): build afresh.
      return undefined
    }
  }

  /** Keep the record of this build. A cache that cannot be written only makes the next build slower, so no error escapes. */
  async remember(record: BuildRecord): Promise<void> {
    try {
      await mkdir(this.dir, { recursive: true })
      const temporary = path.join(this.dir, `build.json.${process.pid}.tmp`)
      await writeFile(temporary, JSON.stringify(record))
      await rename(temporary, path.join(this.dir, 'build.json'))
      await this.prune()
    } catch {
      // Read-only or full disk: build without the cache.
    }
  }

  /** The folder that holds entries of one kind, for worker threads that read and write them themselves. */
  folder(kind: EntryKind): string {
    return path.join(this.dir, kind)
  }

  /** A file of the project's own beside its record, such as the stamps of its inputs (stamps.ts). */
  file(name: string): string {
    return path.join(this.dir, name)
  }

  /**
   * Forget the entries of one kind this build did not use (worker threads write entries themselves, with
   * writeEntry: packs.ts). Like `remember`, it never fails the build.
   */
  forgetEntries(kind: EntryKind, keep: ReadonlySet<string>): void {
    forgetEntries(path.join(this.dir, kind), keep)
  }

  private async prune(): Promise<void> {
    const builds = path.join(this.root, 'builds')
    const projects = await Promise.all(
      (await readdir(builds)).map(async (name) => ({ name, used: (await stat(path.join(builds, name)).catch(() => undefined))?.mtimeMs ?? 0 })),
    )
    for (const old of projects.sort((a, b) => b.used - a.used).slice(keptProjects)) await rm(path.join(builds, old.name), { recursive: true, force: true })
  }
}

let generator: Promise<string> | undefined

/** A hash of the generator's code and of the dependency versions it was installed with. */
export function generatorVersion(): Promise<string> {
  // A bundle (bin/fieldnotes.js's, or the one the npm package ships) is stamped with the hash of its sources.
  if (typeof FIELDNOTES_BUNDLE_HASH === 'string') return Promise.resolve(`${FIELDNOTES_BUNDLE_HASH}-${process.version}`)
  generator ??= (async () => {
    const hash = createHash('sha256')
    const src = path.join(packageRoot, 'src')
    for (const name of (await readdir(src, { recursive: true })).map(String).sort()) {
      if (/\.[cm]?[jt]s$/.test(name)) hash.update(`${name}\0`).update(await readFile(path.join(src, name)))
    }
    for (const name of ['package.json', 'package-lock.json']) hash.update(await readFile(path.join(packageRoot, name)).catch(() => ''))
    hash.update(process.version)
    return hash.digest('hex')
  })()
  return generator
}

/** Size and modification time of each file in `dir` (or of the named files in it), for files a build copies without reading. */
export async function fileStamps(dir: string, names?: readonly string[]): Promise<{ path: string; size: number; modified: number }[]> {
  const listed = names ?? (await readdir(dir, { recursive: true }).catch(() => [])).map(String).sort()
  const stamps = await Promise.all(
    listed.map(async (name) => {
      const info = await stat(path.join(dir, name)).catch(() => undefined)
      return info?.isFile() ? { path: path.join(dir, name), size: info.size, modified: info.mtimeMs } : undefined
    }),
  )
  return stamps.filter((s) => s !== undefined)
}
