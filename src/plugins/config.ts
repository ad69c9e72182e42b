// The `plugins:` block of report.yml: remark and rehype plugins, each a
// package name or a path, alone or with its options. Pure: this reads the
// entries and where each stands; resolve.ts finds them on disk.

import { z } from 'zod'
import type { Place } from '../messages.js'
import { parseYaml } from '../config/yaml.js'

export type PluginPhase = 'remark' | 'rehype'
export const pluginPhases: readonly PluginPhase[] = ['remark', 'rehype']

/** A plugin's options: a YAML mapping, plain data that can cross to worker threads and into a cache key. */
export type PluginOptions = Record<string, unknown>

const name = z.string().trim().min(1, 'must not be empty')
/** `- name`, or `- [name, {options}]` as Astro and Starlight take them. */
const entry = z.union([name, z.tuple([name, z.record(z.string(), z.unknown())])])

export const pluginsSchema = z
  .object({
    /** Run on each chapter's markdown tree, after fieldnotes' own transforms. Default: none. */
    remark: z.array(entry).optional(),
    /** Run on each chapter's HTML tree, before the sanitizer. Default: none. */
    rehype: z.array(entry).optional(),
  })
  .strict()

export interface PluginEntry {
  phase: PluginPhase
  /** As written: a package name, or a path starting with `./`, `../` or `/`. */
  name: string
  options: PluginOptions | undefined
  /** report.yml as messages name it, and where the entry stands in it. */
  file: string
  place: Place
}

/** The plugin entries of report.yml in order, remark first. A file with mistakes in the block gives none: readReportConfig reports those. */
export function readPluginEntries(file: string, text: string): PluginEntry[] {
  const { document, placeAt, errors } = parseYaml({ file, text }, 'report.yml')
  if (errors.length > 0) return []
  const data: unknown = document.toJS()
  const block = data !== null && typeof data === 'object' && 'plugins' in data ? data.plugins : undefined
  const parsed = pluginsSchema.safeParse(block)
  if (block === undefined || !parsed.success) return []
  return pluginPhases.flatMap((phase) =>
    (parsed.data[phase] ?? []).map((item, i) => {
      const node = document.getIn(['plugins', phase, i], true) as { range?: [number, number, number] } | undefined
      const [pluginName, options] = typeof item === 'string' ? [item, undefined] : item
      return { phase, name: pluginName, options, file, place: placeAt(node?.range?.[0] ?? 0) }
    }),
  )
}

/** A path to a file of the project's own, rather than a package name. */
export function isPath(name: string): boolean {
  return /^\.{1,2}[/\\]/.test(name) || name.startsWith('/') || /^[a-zA-Z]:[/\\]/.test(name)
}
