// The preview's file watcher: one `fs.watch` for each folder, which the
// system tells of every change to the entries in it by name (inotify on Linux,
// FSEvents on macOS, ReadDirectoryChangesW on Windows). A change is passed on
// as the path that changed, and nothing is read to find it: at 10,000
// chapters a watcher that read the folder again after each change (chokidar
// does, with a stat of every file) took about 100 ms of each save. Folders
// made or moved in are watched from then on, and those removed no longer.
// Symbolic links to folders are not followed, as the loader does not follow
// them (load/files.ts).

import type { Dirent } from 'node:fs'
import { watch, type FSWatcher } from 'node:fs'
import { lstat, readdir } from 'node:fs/promises'
import path from 'node:path'

export interface FolderWatcher {
  close(): void
}

export interface WatchOptions {
  /** Paths to leave alone, with everything under them. */
  ignored: (file: string) => boolean
  /** Called with each path that changed: a file written, made, moved or removed, or a folder made or removed. */
  onChange: (file: string) => void
  /** Called when a folder's watch fails (the system out of watches), so that changes in it may go untold. Default: none. */
  onLost?: () => void
}

/** Watch `roots` and every folder under them, once each is watched; a root that is not there is left out. */
export async function watchFolders(roots: readonly string[], options: WatchOptions): Promise<FolderWatcher> {
  const watchers = new Map<string, FSWatcher>()
  let closed = false

  const stop = (folder: string) => {
    for (const [dir, watcher] of watchers) {
      if (dir !== folder && !dir.startsWith(folder + path.sep)) continue
      watcher.close()
      watchers.delete(dir)
    }
  }
  const changed = (folder: string, name: string | null) => {
    if (closed) return
    const file = name === null ? folder : path.join(folder, name)
    if (options.ignored(file)) return
    options.onChange(file)
    if (name === null || watchers.has(file)) {
      // A watched folder removed or moved away: its watch ends (a folder moved in again is a new change above it).
      void lstat(file).then((stats) => (stats.isDirectory() ? undefined : stop(file)), () => stop(file))
      return
    }
    // A folder made or moved in: watched from now on. What was written in it before its watch began is told as a
    // change of the folder once the watch is on, so that a build after that sees it.
    void lstat(file).then(
      async (stats) => {
        if (!stats.isDirectory()) return
        await add(file)
        if (!closed) options.onChange(file)
      },
      () => undefined,
    )
  }
  const add = async (folder: string): Promise<void> => {
    if (closed || watchers.has(folder) || options.ignored(folder)) return
    let watcher: FSWatcher
    try {
      watcher = watch(folder, { persistent: true }, (_event, name) => changed(folder, name))
    } catch (error) {
      // Not there, or not a folder: nothing to watch. Out of watches: changes in it would go untold.
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT' && (error as NodeJS.ErrnoException).code !== 'ENOTDIR') options.onLost?.()
      return
    }
    // The folder itself gone, or the system out of watches: this folder is no longer watched.
    watcher.on('error', () => {
      stop(folder)
      options.onLost?.()
    })
    watchers.set(folder, watcher)
    let entries: Dirent[] = []
    try {
      entries = await readdir(folder, { withFileTypes: true })
    } catch {
      // Removed meanwhile: its watcher reports it.
    }
    await Promise.all(entries.filter((entry) => entry.isDirectory()).map((entry) => add(path.join(folder, entry.name))))
  }

  for (const root of roots) await add(path.resolve(root))
  return {
    close() {
      closed = true
      for (const watcher of watchers.values()) watcher.close()
      watchers.clear()
    },
  }
}
