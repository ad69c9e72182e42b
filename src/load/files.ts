// The only stage that reads: find the content folder's files and read them as
// text. Everything after works on the values returned here.

import { readdir, readFile } from 'node:fs/promises'
import path from 'node:path'
import { createMessage, type Message } from '../messages.js'

export interface SourceFile {
  /** Path inside the content folder, with forward slashes (`themes/learners.md`). */
  path: string
  /** Path shown to authors in messages (`content/themes/learners.md`). */
  display: string
  text: string
}

export interface ProjectSources {
  report: SourceFile | undefined
  participants: SourceFile | undefined
  /** Every markdown file, sorted by path. */
  markdown: SourceFile[]
  messages: Message[]
}

export interface LoadOptions {
  /** Folder holding report.yml, participants.yml and the chapters. */
  contentDir: string
  /** How the content folder is named in messages. Default: its path relative to the working directory. */
  displayDir?: string
}

const ignoredDirectories = new Set(['node_modules', '_build', 'dist'])

export async function loadSources(options: LoadOptions): Promise<ProjectSources> {
  const root = path.resolve(options.contentDir)
  const displayDir = options.displayDir ?? (path.relative(process.cwd(), root) || '.')
  const display = (relative: string) => toPosix(path.join(displayDir, relative))
  const messages: Message[] = []

  const read = async (relative: string): Promise<SourceFile | undefined> => {
    try {
      const text = await readFile(path.join(root, relative), 'utf8')
      return { path: relative, display: display(relative), text: normalize(text) }
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined
      messages.push(
        createMessage('content-readable', display(relative), undefined, `Cannot read this file: ${(error as Error).message}`),
      )
      return undefined
    }
  }

  let entries: string[]
  try {
    entries = await listFiles(root)
  } catch (error) {
    messages.push(
      createMessage(
        'content-readable',
        displayDir,
        undefined,
        `Cannot read the content folder: ${(error as Error).message}`,
        'Pass the folder that holds your chapters with --content DIR.',
      ),
    )
    return { report: undefined, participants: undefined, markdown: [], messages }
  }

  const markdownPaths = entries.filter((entry) => entry.endsWith('.md')).sort(byPath)
  const markdown: SourceFile[] = []
  for (const relative of markdownPaths) {
    const file = await read(relative)
    if (file) markdown.push(file)
  }
  return {
    report: await read('report.yml'),
    participants: await read('participants.yml'),
    markdown,
    messages,
  }
}

async function listFiles(root: string): Promise<string[]> {
  const entries = await readdir(root, { recursive: true, withFileTypes: true })
  const files: string[] = []
  for (const entry of entries) {
    if (!entry.isFile()) continue
    const relative = toPosix(path.relative(root, path.join(entry.parentPath, entry.name)))
    const parts = relative.split('/')
    if (parts.some((part) => part.startsWith('.') || ignoredDirectories.has(part))) continue
    files.push(relative)
  }
  return files
}

/** Path order, with `index.md` first in its folder. */
export function byPath(a: string, b: string): number {
  const key = (p: string) => p.replace(/(^|\/)index\.md$/, '$1\u0000')
  return key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0
}

function normalize(text: string): string {
  return text.replace(/^\uFEFF/, '')
}

function toPosix(p: string): string {
  return p.split(path.sep).join('/')
}
