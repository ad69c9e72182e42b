// One writer at a time per output folder. A build takes an exclusive lock file
// next to the output folder before it touches anything there; a second build
// waits for it, and gives up with a clear message if it waits too long. A lock
// left behind by a build that was killed is noticed (its process is gone) and
// taken over.

import { link, open, readdir, readFile, rename, rm, stat } from 'node:fs/promises'
import { hostname } from 'node:os'
import path from 'node:path'
import { createMessage, type Message } from '../messages.js'

export interface LockHolder {
  pid: number
  host: string
  /** When the lock was taken, as an ISO date: for messages only. */
  since: string
}

/** Another build holds the lock and did not let go in time. */
export class OutputLockedError extends Error {
  constructor(
    readonly lockFile: string,
    readonly holder: LockHolder | undefined,
  ) {
    super(
      holder
        ? `Another build (process ${holder.pid} on ${holder.host}, since ${holder.since}) is writing this output folder`
        : 'Another build is writing this output folder',
    )
    this.name = 'OutputLockedError'
  }
}

/** A lock whose file is still empty this long after it was made belongs to a process that died while taking it. */
const emptyLockGrace = 5_000

/** Take the lock at `file`, waiting up to `waitMs`. Returns the function that releases it. */
export async function acquireLock(file: string, waitMs: number): Promise<() => Promise<void>> {
  const deadline = Date.now() + waitMs
  const mine: LockHolder = { pid: process.pid, host: hostname(), since: new Date().toISOString() }
  const text = `${JSON.stringify(mine)}\n`
  for (let delay = 25; ; delay = Math.min(delay * 2, 250)) {
    try {
      const handle = await open(file, 'wx')
      try {
        await handle.writeFile(text)
      } finally {
        await handle.close()
      }
      await removeAbandonedAsides(file)
      return async () => {
        // Only our own lock is removed, even if something went wrong and another build took it over.
        const now = await readFile(file, 'utf8').catch(() => undefined)
        if (now === text) await rm(file, { force: true })
      }
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error
    }
    const seen = await readFile(file, 'utf8').catch(() => undefined)
    if (seen === undefined) continue
    const holder = parseHolder(seen)
    if (await isStale(file, holder)) {
      await breakLock(file, seen)
      continue
    }
    if (Date.now() >= deadline) throw new OutputLockedError(file, holder)
    await new Promise((resolve) => setTimeout(resolve, delay))
  }
}

/**
 * Remove a stale lock. Two builds may judge the same lock stale at once, and
 * the first may already have taken a fresh one by the time the second acts, so
 * the lock is moved aside by rename (which only one of them can do) and looked
 * at there: a fresh lock moved by mistake is put back.
 */
async function breakLock(file: string, stale: string): Promise<void> {
  const aside = `${file}.stale-${process.pid}-${Math.random().toString(36).slice(2)}`
  try {
    await rename(file, aside)
  } catch {
    return
  }
  const moved = await readFile(aside, 'utf8').catch(() => undefined)
  if (moved !== stale) await link(aside, file).catch(() => undefined)
  await rm(aside, { force: true })
}

/** How old a stale lock moved aside must be before it is removed whatever its process: breaking a lock takes milliseconds. */
const asideGrace = 60_000

/**
 * Remove the stale locks that builds moved aside (breakLock) and were killed
 * before removing: each name holds the pid of the build that moved it. Called
 * by the lock's holder; an aside whose build is still alive, and younger than
 * a minute, is that build's to put back or remove.
 */
async function removeAbandonedAsides(file: string): Promise<void> {
  const dir = path.dirname(file)
  const start = `${path.basename(file)}.stale-`
  for (const name of await readdir(dir).catch(() => [])) {
    if (!name.startsWith(start)) continue
    const pid = Number(name.slice(start.length).split('-')[0])
    const full = path.join(dir, name)
    const info = await stat(full).catch(() => undefined)
    if (!info) continue
    if (!Number.isInteger(pid) || !isAlive(pid) || Date.now() - info.ctimeMs > asideGrace) await rm(full, { force: true })
  }
}

function parseHolder(text: string): LockHolder | undefined {
  try {
    const value = JSON.parse(text) as Partial<LockHolder>
    if (typeof value.pid === 'number' && typeof value.host === 'string' && typeof value.since === 'string') {
      return { pid: value.pid, host: value.host, since: value.since }
    }
  } catch {
    // An empty or cut-off lock file: judged by its age below.
  }
  return undefined
}

async function isStale(file: string, holder: LockHolder | undefined): Promise<boolean> {
  if (!holder) {
    const info = await stat(file).catch(() => undefined)
    return info !== undefined && Date.now() - info.mtimeMs > emptyLockGrace
  }
  // A process on another machine (a shared folder) cannot be checked: its lock is respected.
  if (holder.host !== hostname()) return false
  return !isAlive(holder.pid)
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0)
    return true
  } catch (error) {
    // EPERM: the process exists but belongs to someone else.
    return (error as NodeJS.ErrnoException).code === 'EPERM'
  }
}

/** The message a build gives when it could not take the lock in time. */
export function lockedMessage(error: OutputLockedError, outDir: string): Message {
  return createMessage(
    'output-unlocked',
    outDir,
    undefined,
    `${error.message}, and it did not finish in time; nothing was written`,
    `Wait for the other build to finish and run this one again. If no other build is running, delete ${error.lockFile}.`,
  )
}
