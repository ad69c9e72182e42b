// When each content file last changed, and where the content folder sits in
// its repository: from git when the folder is in a checkout (one `git log` for
// all files, so the date is the same for the same commit on every machine),
// else from the files' modification times.

import { execFile } from 'node:child_process'
import { statSync } from 'node:fs'
import path from 'node:path'
import { promisify } from 'node:util'

const run = promisify(execFile)

export interface ContentHistory {
  /** Content path → ISO 8601 date of the file's last change. */
  updated: Map<string, string>
  /** The files whose date came from git; the others' is their modification time. */
  committed: Set<string>
  /** The content folder's path from the repository's root (`content`, or `` at the root); undefined outside git. */
  repositoryPath: string | undefined
}

/** Dates for `files` (default: every file git knows, and no modification times). */
export async function readHistory(root: string, files?: readonly string[]): Promise<ContentHistory> {
  const updated = new Map<string, string>()
  // Both questions go to git at once; outside a checkout the log is simply empty.
  const [repositoryPath, dates] = await Promise.all([gitPrefix(root), gitDates(root)])
  if (repositoryPath !== undefined) {
    const wanted = files && new Set(files)
    for (const [file, date] of dates) if (!wanted || wanted.has(file)) updated.set(file, date)
  }
  const committed = new Set(updated.keys())
  for (const [file, date] of await modificationTimes(root, (files ?? []).filter((f) => !committed.has(f)))) updated.set(file, date)
  return { updated, committed, repositoryPath }
}

/** Each file's modification time, for files git does not know. */
export async function modificationTimes(root: string, files: readonly string[]): Promise<Map<string, string>> {
  const times = new Map<string, string>()
  for (const file of files) {
    const info = statSync(path.join(root, file), { throwIfNoEntry: false })
    if (info) times.set(file, info.mtime.toISOString())
  }
  return times
}

async function gitPrefix(root: string): Promise<string | undefined> {
  try {
    const { stdout } = await run('git', ['-C', root, 'rev-parse', '--show-prefix'], { encoding: 'utf8' })
    return stdout.trim().replace(/\/$/, '')
  } catch {
    // Not a checkout, or no git: modification times will do.
    return undefined
  }
}

/** Every file's newest commit date, from one walk of the history (newest first). */
async function gitDates(root: string): Promise<Map<string, string>> {
  const dates = new Map<string, string>()
  let stdout: string
  try {
    ;({ stdout } = await run('git', ['-C', root, '-c', 'core.quotePath=false', 'log', '--format=%x1e%cI', '--name-only', '--relative', '--', '.'], {
      encoding: 'utf8',
      maxBuffer: 256 * 1024 * 1024,
    }))
  } catch {
    return dates
  }
  for (const commit of stdout.split('\x1e')) {
    const [date, ...names] = commit.split('\n').map((line) => line.trim())
    if (!date) continue
    for (const name of names) if (name && !dates.has(name)) dates.set(name, date)
  }
  return dates
}
