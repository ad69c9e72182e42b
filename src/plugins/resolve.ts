// Find each plugin named in report.yml, from the project (the folder of the
// nearest package.json above the content folder), never from inside the
// content folder: content arrives in pull requests, and a plugin is a program
// that runs on the machine that builds. I/O at the edge of the pipeline: what
// comes out is plain data (a URL to import, the options, and a version for the
// cache keys) that can cross to worker threads.

import { createHash } from 'node:crypto'
import { existsSync } from 'node:fs'
import { readFile, realpath, stat } from 'node:fs/promises'
import path from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'
import { resolve as resolveModule } from 'import-meta-resolve'
import { createMessage, type Message } from '../messages.js'
import { isPath, readPluginEntries, type PluginEntry } from './config.js'

export interface PluginSpec extends PluginEntry {
  /** The `file:` URL of the module to import. */
  url: string
  /** What the cache keys hold for it: the installed package's name and version, or a hash of the file. */
  version: string
}

export interface ResolvedPlugins {
  specs: PluginSpec[]
  messages: Message[]
}

/** The project a content folder belongs to: the nearest folder at or above its parent with a package.json, else its parent. */
export function findProject(contentDir: string): string {
  const start = path.dirname(path.resolve(contentDir))
  for (let dir = start; ; dir = path.dirname(dir)) {
    if (existsSync(path.join(dir, 'package.json'))) return dir
    if (path.dirname(dir) === dir) return start
  }
}

export async function resolvePlugins(entries: readonly PluginEntry[], options: { contentDir: string; projectDir: string }): Promise<ResolvedPlugins> {
  const specs: PluginSpec[] = []
  const messages: Message[] = []
  const content = await realpath(options.contentDir).catch(() => path.resolve(options.contentDir))
  for (const entry of entries) {
    const found = await locate(entry, options.projectDir)
    if (typeof found !== 'string') {
      messages.push(found)
      continue
    }
    const real = await realpath(found).catch(() => found)
    if (real === content || real.startsWith(content + path.sep)) {
      messages.push(
        createMessage(
          'plugin-outside-content',
          entry.file,
          entry.place,
          `The ${entry.phase} plugin \`${entry.name}\` is the file ${path.relative(options.projectDir, real) || real}, inside the content folder; fieldnotes never runs code from the content folder, which pull requests can change`,
          'Move the file out of the content folder (for example to plugins/ beside package.json) and name it from there, such as `./plugins/my-plugin.js`; or install the plugin as a package.',
        ),
      )
      continue
    }
    specs.push({ ...entry, url: pathToFileURL(real).href, version: await versionOf(entry, real) })
  }
  return { specs, messages }
}

/** The plugin's file, or a message saying why there is none. */
async function locate(entry: PluginEntry, projectDir: string): Promise<string | Message> {
  const notFound = (reason: string, hint: string) => createMessage('plugin-found', entry.file, entry.place, reason, hint)
  if (isPath(entry.name)) {
    const file = path.resolve(projectDir, entry.name)
    const isFile = await stat(file).then((s) => s.isFile(), () => false)
    return isFile
      ? file
      : notFound(
          `The ${entry.phase} plugin \`${entry.name}\` is not a file: paths are read from the project folder, ${projectDir}`,
          'Correct the path, relative to the folder with package.json (for example `./plugins/my-plugin.js`).',
        )
  }
  // Only the project's own dependencies: otherwise a change to report.yml alone could run any
  // module installed underneath them, such as a tool's command-line entry.
  const packageName = packageOf(entry.name)
  if (!(await projectDependencies(projectDir)).has(packageName)) {
    return notFound(
      `The ${entry.phase} plugin \`${entry.name}\` is not one of the project's dependencies in ${path.join(projectDir, 'package.json')}`,
      `Install it with \`npm install --save-dev ${packageName}\`, which lists it in package.json; only packages listed there are run as plugins. A file of your own is named by a path starting with ./`,
    )
  }
  try {
    const url = resolveModule(entry.name, pathToFileURL(path.join(projectDir, 'package.json')).href)
    if (url.startsWith('file:')) return fileURLToPath(url)
  } catch {
    // Reported below, as a package that is not installed.
  }
  return notFound(
    `The ${entry.phase} plugin \`${entry.name}\` is not installed in the project at ${projectDir}`,
    `Install it with \`npm install --save-dev ${entry.name}\`, or check its spelling against npm. A file of your own is named by a path starting with ./`,
  )
}

/** The package a module specifier names: `@scope/name` or `name`, without a subpath. */
function packageOf(specifier: string): string {
  return specifier.startsWith('@') ? specifier.split('/').slice(0, 2).join('/') : specifier.split('/')[0]!
}

/** The packages the project's package.json lists, in any of its dependency fields; none when it has none. */
async function projectDependencies(projectDir: string): Promise<Set<string>> {
  type Manifest = Partial<Record<'dependencies' | 'devDependencies' | 'optionalDependencies' | 'peerDependencies', Record<string, string>>>
  const manifest = await readFile(path.join(projectDir, 'package.json'), 'utf8').then((text) => JSON.parse(text) as Manifest, () => undefined)
  const fields = [manifest?.dependencies, manifest?.devDependencies, manifest?.optionalDependencies, manifest?.peerDependencies]
  return new Set(fields.flatMap((field) => (field && typeof field === 'object' ? Object.keys(field) : [])))
}

/** A package's name and version from its package.json; a file of the project's own by a hash of its text. */
async function versionOf(entry: PluginEntry, file: string): Promise<string> {
  if (!isPath(entry.name)) {
    const packageName = packageOf(entry.name)
    for (let dir = path.dirname(file); path.dirname(dir) !== dir; dir = path.dirname(dir)) {
      const manifest = await readFile(path.join(dir, 'package.json'), 'utf8').then((text) => JSON.parse(text) as { name?: string; version?: string }, () => undefined)
      if (manifest?.name === packageName) return `${packageName}@${manifest.version ?? ''}`
    }
  }
  return `sha256:${createHash('sha256').update(await readFile(file)).digest('hex')}`
}

/** The plugins report.yml names, found. */
export async function findPlugins(report: { display: string; text: string }, contentDir: string): Promise<ResolvedPlugins> {
  const entries = readPluginEntries(report.display, report.text)
  if (entries.length === 0) return { specs: [], messages: [] }
  return resolvePlugins(entries, { contentDir, projectDir: findProject(contentDir) })
}
