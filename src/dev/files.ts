// Files the dev server reads from disk at request time: the content files the
// pages use, and the static files of the public folder. Either folder can
// change under a running preview (a `git checkout` of a pull request can put a
// symbolic link, a pipe or another file where an image was), so every read
// checks again, at the moment of reading, that the file may be served.

import { constants } from 'node:fs'
import { lstat, open, realpath } from 'node:fs/promises'
import path from 'node:path'

/** Which file a path named when a build saw it, and how it was then. */
export interface FileStamp {
  dev: number
  ino: number
  size: number
  mtimeMs: number
  ctimeMs: number
}

/** Stamp `file` as it is now; undefined unless it is a regular file itself (the loader lists no links). */
export async function stampFile(file: string): Promise<FileStamp | undefined> {
  const stats = await lstat(file).catch(() => undefined)
  if (!stats?.isFile()) return undefined
  return { dev: stats.dev, ino: stats.ino, size: stats.size, mtimeMs: stats.mtimeMs, ctimeMs: stats.ctimeMs }
}

// O_NONBLOCK: opening a pipe for reading would otherwise wait for a writer, forever.
// O_NOFOLLOW: the path opened is already the real one, so a link found there now was put there since.
const openFlags = constants.O_RDONLY | (constants.O_NONBLOCK ?? 0) | (constants.O_NOFOLLOW ?? 0)

/**
 * The bytes of `file`, or undefined unless its real path lies inside `root`'s real path and it is
 * a regular file. Given a `stamp`, also undefined unless it is still the very file stamped,
 * unchanged: the same device, inode, size, modification and change times.
 */
export async function readInside(root: string, file: string, stamp?: FileStamp): Promise<Uint8Array | undefined> {
  const [realRoot, real] = await Promise.all([realpath(root), realpath(file)]).catch(() => [undefined, undefined])
  if (realRoot === undefined || real === undefined || !real.startsWith(realRoot + path.sep)) return undefined
  const handle = await open(real, openFlags).catch(() => undefined)
  if (!handle) return undefined
  try {
    // Checked on the open file, so what is read is what was checked, whatever the path names by now.
    const stats = await handle.stat()
    if (!stats.isFile()) return undefined
    if (stamp && (stats.dev !== stamp.dev || stats.ino !== stamp.ino || stats.size !== stamp.size || stats.mtimeMs !== stamp.mtimeMs || stats.ctimeMs !== stamp.ctimeMs)) {
      return undefined
    }
    return await handle.readFile()
  } finally {
    await handle.close()
  }
}
