// When each content file last changed, and where the content folder sits in
// its repository: from git when the folder is in a checkout (one `git log` for
// all files, so the date is the same for the same commit on every machine),
// else from the files' modification times.
//
// The content folder is untrusted (it arrives in pull requests), and git obeys
// the configuration of whatever repository it discovers, which can name
// programs to run. So git never discovers anything here: we find the
// checkout's own `.git` ourselves, from the content folder upwards, and name
// it explicitly. A folder inside the content shaped like a repository is
// never used, and is reported by the loader (repositories.ts).

import { execFile } from 'node:child_process'
import { statSync } from 'node:fs'
import path from 'node:path'
import { promisify } from 'node:util'
import { findCheckout, type Checkout } from './folders.js'

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
  const checkout = findCheckout(root)
  // Both questions go to git at once; outside a checkout there is nothing to ask.
  const [repositoryPath, dates] = checkout ? await Promise.all([gitPrefix(root, checkout), gitDates(root, checkout)]) : [undefined, new Map<string, string>()]
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

/**
 * Git's arguments for one command on the checkout: its git directory and work
 * tree named, so that git looks for no other; bare repositories refused unless
 * named; and the settings that make `log` start other programs switched off.
 */
function gitArgs(root: string, checkout: Checkout, command: string[]): string[] {
  return [
    `--git-dir=${checkout.gitDir}`,
    `--work-tree=${checkout.workTree}`,
    '-C',
    root,
    '-c',
    'safe.bareRepository=explicit',
    '-c',
    'core.fsmonitor=false',
    '-c',
    'log.showSignature=false',
    '-c',
    'core.quotePath=false',
    '--no-pager',
    ...command,
  ]
}

async function gitPrefix(root: string, checkout: Checkout): Promise<string | undefined> {
  try {
    const { stdout } = await run('git', gitArgs(root, checkout, ['rev-parse', '--show-prefix']), { encoding: 'utf8' })
    return stdout.trim().replace(/\/$/, '')
  } catch {
    // Not a checkout, or no git: modification times will do.
    return undefined
  }
}

/** Every file's newest commit date, from one walk of the history (newest first). */
async function gitDates(root: string, checkout: Checkout): Promise<Map<string, string>> {
  const dates = new Map<string, string>()
  let stdout: string
  try {
    ;({ stdout } = await run('git', gitArgs(root, checkout, ['log', '--no-show-signature', '--format=%x1e%cI', '--name-only', '--relative', '--', '.']), {
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
