// What a build depends on, reduced to one hash: the generator's own code, every
// input the loader read, the options, and the files copied as they are. Two
// builds with the same key write the same site, so a build whose key matches
// the last one has nothing to do. Pure: the caller reads the files.

import { createHash } from 'node:crypto'
import type { ProjectSources } from '../load/files.js'
import type { TemplateFiles } from '../render/templates.js'

export interface KeyInput {
  /** Hash of the generator's code and dependency versions (see store.ts). */
  generator: string
  sources: ProjectSources
  templates: TemplateFiles
  /** Files read only when written (images, static files): path with size and modification time. */
  files: readonly { path: string; size: number; modified: number }[]
  /** Build options that change the output or the messages, and anything else the result depends on. */
  settings: Record<string, unknown>
}

export function buildKey(input: KeyInput): string {
  const hash = createHash('sha256')
  const add = (...parts: (string | undefined)[]) => {
    for (const part of parts) hash.update(part ?? '\u0001').update('\0')
  }
  add('fieldnotes build key 1', input.generator, JSON.stringify(input.settings))
  const { sources } = input
  for (const file of [sources.report, sources.participants, sources.myst, ...sources.markdown, ...(sources.notebooks ?? []), ...(sources.resources ?? []), ...(sources.yaml ?? []), ...(sources.included ?? [])]) {
    if (file) add(file.path, file.display, file.updated, file.text)
    else add(undefined)
  }
  add(JSON.stringify(sources.assets ?? []), JSON.stringify(sources.outsideLinks ?? []), sources.repositoryPath, JSON.stringify(sources.messages))
  for (const [name, text] of [...input.templates].sort(([a], [b]) => (a < b ? -1 : 1))) add(name, text)
  for (const file of input.files) add(file.path, String(file.size), String(file.modified))
  return hash.digest('hex')
}

/** The key of one chapter's parse: the same text, read by the same code, parses to the same tree. */
export function parseKey(generator: string, file: { path: string; display: string; text: string }): string {
  return createHash('sha256').update(`fieldnotes parse 1\0${generator}\0${file.path}\0${file.display}\0`).update(file.text).digest('hex')
}

/**
 * The generator as the cache keys see it once the report's plugins run too: each plugin's place,
 * name, version (or file hash) and options. Without plugins it is the generator itself.
 */
export function withPlugins(generator: string, plugins: readonly { phase: string; name: string; version: string; options: unknown }[]): string {
  if (plugins.length === 0) return generator
  const list = plugins.map((p) => [p.phase, p.name, p.version, p.options ?? null])
  return createHash('sha256').update(`fieldnotes plugins 1\0${generator}\0`).update(JSON.stringify(list)).digest('hex')
}
