// `fieldnotes init`: write a new report project into a folder. It never
// changes a file that is there: when any file it would write exists, it
// writes nothing and names every one. The one file it may add to is an
// existing package.json (as `npm install -D fieldnotes` leaves it), and only
// with what is missing: the scripts and the devDependency.

import { lstat, mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises'
import path from 'node:path'
import { createMessage, type Message } from '../messages.js'
import { packageRoot } from '../root.js'
import { skeleton, type InitAnswers, type Skeleton } from './skeleton.js'

export interface InitOptions extends InitAnswers {
  /** Folder to start the report in; made when missing. Default: the working folder. */
  dir?: string
  /** The report's date, YYYY-MM-DD. Default: today (UTC). */
  date?: string
}

export interface InitResult {
  /** Why nothing was written (`init-file-new`), or nothing. */
  messages: Message[]
  /** Files written or added to, relative to `dir`, in the order written. Empty when there were messages. */
  written: string[]
  /** The folder, resolved. */
  dir: string
  /** Whether package.json already named fieldnotes as a dependency, so that `npm install` may have run. */
  hadFieldnotes: boolean
}

type PackageJson = Record<string, unknown> & { scripts?: Record<string, string>; dependencies?: Record<string, string>; devDependencies?: Record<string, string> }

export async function init(options: InitOptions = {}): Promise<InitResult> {
  const dir = path.resolve(options.dir ?? '.')
  const shown = (file: string) => path.relative(process.cwd(), path.join(dir, file)) || file
  const own = JSON.parse(await readFile(path.join(packageRoot, 'package.json'), 'utf8')) as { version: string }
  const made = skeleton(options, {
    name: path.basename(dir),
    version: `^${own.version}`,
    today: options.date ?? new Date().toISOString().slice(0, 10),
  })

  const messages: Message[] = []
  for (const file of made.files.keys()) {
    if (await exists(path.join(dir, file))) {
      messages.push(createMessage('init-file-new', shown(file), undefined, `\`${file}\` is already there, and init never replaces a file`, 'Start the report in an empty folder (`fieldnotes init my-report`), or move this file away first.'))
    }
  }
  const packageFile = path.join(dir, 'package.json')
  const existing = await readPackage(packageFile)
  if (existing === 'unreadable') {
    messages.push(createMessage('init-file-new', shown('package.json'), undefined, '`package.json` is already there and is not valid JSON, so init cannot add its scripts to it', 'Fix package.json, or start the report in an empty folder.'))
  } else if (existing) {
    for (const [name, command] of Object.entries(made.packageJson.scripts)) {
      const theirs = existing.scripts?.[name]
      if (theirs !== undefined && theirs !== command) {
        messages.push(createMessage('init-file-new', shown('package.json'), undefined, `\`package.json\` already has a \`${name}\` script (\`${theirs}\`), and init never replaces one`, `Rename or remove that script, or start the report in an empty folder; init adds \`"${name}": "${command}"\`.`))
      }
    }
  }
  const hadFieldnotes = typeof existing === 'object' && (existing.dependencies?.['fieldnotes'] ?? existing.devDependencies?.['fieldnotes']) !== undefined
  if (messages.length > 0) return { messages, written: [], dir, hadFieldnotes }

  const written: string[] = []
  const madeDirs: string[] = []
  try {
    for (const [file, text] of made.files) {
      const first = await mkdir(path.dirname(path.join(dir, file)), { recursive: true })
      if (first !== undefined) madeDirs.push(first)
      // `wx`: should a file appear since the check above, it is still not replaced.
      await writeFile(path.join(dir, file), text, { flag: 'wx' })
      written.push(file)
    }
    await writePackage(packageFile, withScripts(typeof existing === 'object' ? existing : { name: packageName(path.basename(dir)), private: true }, made.packageJson))
  } catch (error) {
    // Half a project is worse than none: what this run wrote goes again.
    await Promise.all(written.map((file) => rm(path.join(dir, file), { force: true })))
    // Folders this run made held only what it wrote.
    await Promise.all(madeDirs.reverse().map((folder) => rm(folder, { recursive: true, force: true })))
    const file = (error as NodeJS.ErrnoException).path ?? dir
    return { messages: [createMessage('init-file-new', path.relative(process.cwd(), file) || file, undefined, `Could not write \`${path.relative(dir, file) || file}\`: ${(error as Error).message}`, 'Check that the folder can be written, then run init again; nothing was left behind.')], written: [], dir, hadFieldnotes }
  }
  written.push('package.json')
  return { messages: [], written, dir, hadFieldnotes }
}

/** `existing` with the scripts and devDependency it lacks; nothing it has is changed. */
function withScripts(existing: PackageJson, wanted: Skeleton['packageJson']): PackageJson {
  const depends = existing.dependencies?.['fieldnotes'] !== undefined || existing.devDependencies?.['fieldnotes'] !== undefined
  return {
    ...existing,
    scripts: { ...wanted.scripts, ...existing.scripts },
    devDependencies: depends ? { ...existing.devDependencies } : { ...existing.devDependencies, ...wanted.devDependencies },
  }
}

/** npm's rules for a package name: lower case, and only URL-safe characters. */
function packageName(folder: string): string {
  return folder.toLowerCase().replace(/[^a-z0-9._-]+/g, '-').replace(/^[._-]+|-+$/g, '') || 'report'
}

async function exists(file: string): Promise<boolean> {
  return lstat(file).then(
    () => true,
    () => false,
  )
}

async function readPackage(file: string): Promise<PackageJson | 'unreadable' | undefined> {
  let text: string
  try {
    text = await readFile(file, 'utf8')
  } catch {
    return undefined
  }
  try {
    const value = JSON.parse(text) as unknown
    return value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as PackageJson) : 'unreadable'
  } catch {
    return 'unreadable'
  }
}

async function writePackage(file: string, value: PackageJson): Promise<void> {
  const temporary = `${file}.${process.pid}.tmp`
  await writeFile(temporary, `${JSON.stringify(value, null, 2)}\n`)
  await rename(temporary, file)
}
