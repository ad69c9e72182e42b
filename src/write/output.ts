// The only stage that writes. The output folder (`dist`) is a symbolic link to
// a hidden sibling folder that holds one complete site. A build makes the new
// site in full in another sibling, then points `dist` at it by renaming a new
// link over the old one: rename(2) replaces the link in one step, so at every
// moment `dist` is the complete previous site or the complete new one, even if
// the build is killed. The site it replaced is kept as the spare: the next
// build begins its draft from it, keeping the files that are still right,
// linking those the current site holds unchanged and writing the rest
// (place.ts), so that its work follows what changed, not the size of the site.
// Whatever else a killed build leaves behind is removed by the next one. A lock
// keeps two builds from writing the same output folder at once. See
// docs/output.md.

import { lstat, mkdir, readdir, readlink, rename, rm, rmdir, stat, symlink } from 'node:fs/promises'
import path from 'node:path'
import { setImmediate } from 'node:timers/promises'
import { acquireLock } from './lock.js'
import { listStaticFiles, placeFiles, type PlaceCounts } from './place.js'

export { lockedMessage, OutputLockedError } from './lock.js'
export { safeJoin } from './place.js'

export interface WriteOptions {
  outDir: string
  files: Map<string, string | Uint8Array>
  /** Folders whose files are copied as they are, in order; later ones win. */
  assetDirs: string[]
  /**
   * Files still being made (the search index), written part by part as they come. The site is published only
   * if the parts end with `true`. Default: none.
   */
  later?: AsyncIterator<ReadonlyMap<string, string | Uint8Array>, boolean>
  /**
   * Where the site being replaced may hold, under another name, the file the new site has at a path (the search
   * index's shards, whose folders are named by their content: write/search.ts), for it to be linked from there.
   * Default: only the same path.
   */
  alike?: (relative: string) => string | undefined
  /** How long to wait for another build writing the same folder, in milliseconds. Default: 30 000. */
  lockWait?: number
  /** How long writing goes on before other work in the process gets a turn, in milliseconds. For tests; not a setting. Default: `turn`. */
  turnMs?: number
}

/** Names of the siblings a build makes next to the output folder `dist`. */
export function siblingNames(outDir: string): { lock: string; prefix: string } {
  const base = path.basename(path.resolve(outDir))
  return { lock: `.${base}.lock`, prefix: `.${base}-` }
}

/** Sites this process has begun: two builds in the same millisecond must not share a folder, or the second removes the site it just published. */
let begun = 0

/** How long, in milliseconds, writing goes on before other work in the process (handing Pagefind its pages) gets a turn. */
const turn = 5

/** A site written and published. */
export interface WrittenSite extends PlaceCounts {
  /** The name of its folder, beside the output folder. */
  name: string
}

/** Write the site into a new folder and point `outDir` at it; returns that folder's name and how its files were placed, or undefined when `later` ended with `false`. */
export async function writeSite(options: WriteOptions): Promise<WrittenSite | undefined> {
  const outDir = path.resolve(options.outDir)
  const parent = path.dirname(outDir)
  const { lock, prefix } = siblingNames(outDir)
  await mkdir(parent, { recursive: true })
  const release = await acquireLock(path.join(parent, lock), options.lockWait ?? 30_000)
  try {
    const previous = await currentSite(outDir, prefix)
    // Before placing: what else is there may hold links to the current site's files, which are linked or
    // kept only where the current site and the spare are their only names.
    const spare = await removeLeftovers(parent, prefix, previous)

    const stamp = `${process.pid}-${Date.now().toString(36)}-${(begun++).toString(36)}`
    const staging = path.join(parent, `${prefix}new-${stamp}`)
    const site = path.join(parent, `${prefix}site-${stamp}`)
    let counts: PlaceCounts
    try {
      await mkdir(staging)
      if (spare) await useSpare(spare, staging)
      // Placed synchronously: for a thousand small files this is several times faster than the thread pool.
      const place = placeFiles(staging, previous, options.alike)
      counts = place.counts
      const assets = listStaticFiles(options.assetDirs)
      for (const folder of assets.folders) place.folder(folder)
      for (const [relative, source] of assets.files) place.copy(relative, source)
      const write = async (files: ReadonlyMap<string, string | Uint8Array>) => {
        let since = performance.now()
        for (const [relative, content] of files) {
          place.write(relative, content)
          if (performance.now() - since >= (options.turnMs ?? turn)) {
            await setImmediate()
            since = performance.now()
          }
        }
      }
      await write(options.files)
      if (options.later) {
        let part = await options.later.next()
        for (; !part.done; part = await options.later.next()) await write(part.value)
        if (!part.value) {
          await rm(staging, { recursive: true, force: true })
          return undefined
        }
      }
      place.finish()
      // Complete: from here on it is a site, not a draft.
      await rename(staging, site)
    } catch (error) {
      await rm(staging, { recursive: true, force: true })
      throw error
    }
    // The site replaced stays as the spare for the next build.
    await pointAt(outDir, site, prefix, stamp)
    return { name: path.basename(site), ...counts }
  } finally {
    await release()
  }
}

/**
 * Remove what killed builds left next to `outDir` (drafts, sites, links that did not take its name, their lock), but
 * the current site and one spare, for a build that finds the site already current and writes nothing.
 */
export async function tidyOutput(outDir: string, lockWait = 30_000): Promise<void> {
  const resolved = path.resolve(outDir)
  const parent = path.dirname(resolved)
  const { lock, prefix } = siblingNames(resolved)
  const release = await acquireLock(path.join(parent, lock), lockWait)
  try {
    await removeLeftovers(parent, prefix, await currentSite(resolved, prefix))
  } finally {
    await release()
  }
}

/** The name of the site folder `outDir` links to, when it is one of ours and is there. */
export async function linkedSite(outDir: string): Promise<string | undefined> {
  const resolved = path.resolve(outDir)
  const site = await currentSite(resolved, siblingNames(resolved).prefix)
  return site && (await lstat(site).catch(() => undefined))?.isDirectory() ? path.basename(site) : undefined
}

/** The site folder `outDir` links to, when it is one of ours. */
async function currentSite(outDir: string, prefix: string): Promise<string | undefined> {
  const info = await lstat(outDir).catch(() => undefined)
  if (!info?.isSymbolicLink()) return undefined
  const target = path.resolve(path.dirname(outDir), await readlink(outDir))
  return path.dirname(target) === path.dirname(outDir) && path.basename(target).startsWith(`${prefix}site-`) ? target : undefined
}

/**
 * Remove what builds left next to the output folder but the current site, `keep`, and one spare, which is returned:
 * a site other than the current one (the one it replaced), or else a draft a killed build left. Drafts, sites, old
 * folders and links past those go. Only called under the lock.
 */
async function removeLeftovers(parent: string, prefix: string, keep: string | undefined): Promise<string | undefined> {
  let spare: string | undefined
  // Sites before drafts: `site` sorts after `new`, so the names are walked in reverse.
  for (const name of (await readdir(parent)).sort().reverse()) {
    if (!name.startsWith(prefix)) continue
    const kind = name.slice(prefix.length).split('-')[0]
    if (kind !== 'new' && kind !== 'site' && kind !== 'old' && kind !== 'link') continue
    const full = path.join(parent, name)
    if (full === keep) continue
    if (spare === undefined && mayBeSpare(name, prefix) && (await lstat(full).catch(() => undefined))?.isDirectory()) {
      spare = full
      continue
    }
    await rm(full, { recursive: true, force: true })
  }
  return spare
}

/** Whether `name`, a folder beside the output folder, may be kept as the spare: a site, or a draft a killed build left. */
export function mayBeSpare(name: string, prefix: string): boolean {
  return name.startsWith(`${prefix}site-`) || name.startsWith(`${prefix}new-`)
}

/**
 * Make `spare` the draft `staging` (an empty folder just made), where its own folder has the permissions a new one
 * gets, as the site's folders must; otherwise it is removed, and the draft begins empty.
 */
async function useSpare(spare: string, staging: string): Promise<void> {
  const [made, held] = await Promise.all([stat(staging), lstat(spare)])
  if ((made.mode & 0o7777) !== (held.mode & 0o7777)) {
    await rm(spare, { recursive: true, force: true })
    return
  }
  await rmdir(staging)
  await rename(spare, staging)
}

/** Make `outDir` a link to `site` in one rename. */
async function pointAt(outDir: string, site: string, prefix: string, stamp: string): Promise<void> {
  const parent = path.dirname(outDir)
  const link = path.join(parent, `${prefix}link-${stamp}`)
  // Windows makes directory links as junctions, which need an absolute target.
  if (process.platform === 'win32') await symlink(site, link, 'junction')
  else await symlink(path.basename(site), link)
  try {
    await rename(link, outDir)
    return
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code
    if (code !== 'EISDIR' && code !== 'ENOTEMPTY' && code !== 'EEXIST' && code !== 'EPERM' && code !== 'ENOTDIR') throw error
  }
  // `outDir` is a real folder (made by an older version, or by hand): it steps
  // aside and the link takes its name. Only in this one-time step is there a
  // moment, between two renames, when `outDir` does not exist.
  const retired = path.join(parent, `${prefix}old-${stamp}`)
  await rename(outDir, retired)
  try {
    await rename(link, outDir)
  } catch (error) {
    await rename(retired, outDir)
    throw error
  }
  await rm(retired, { recursive: true, force: true })
}
