// myst.yml and the files it `extends:`, as layers of configuration, the file
// that names them first. MyST merges them key by key, the naming file winning
// (see mergeLayers); here each layer keeps its own file and positions, so a
// message about a key points at the file that wrote it. Extended files are
// read from the project's own YAML files: a URL is never fetched, and a path
// that leaves the project, is missing, or comes back round is reported.

import { posix } from 'node:path'
import { isMap, isScalar, isSeq, type Document } from 'yaml'
import type { SourceFile } from '../load/files.js'
import { createMessage, type Message, type Place } from '../messages.js'
import { didYouMean, suggestionsFrom } from '../suggest.js'
import { parseYaml } from './yaml.js'

export type KeyPath = (string | number)[]

export interface ConfigLayer {
  file: SourceFile
  /** The file's content as plain data. */
  data: Record<string, unknown>
  /** Where a key or list item is written in the file, or its nearest parent that is. */
  at(path: KeyPath): Place
}

/** A layer from a YAML file, or its syntax errors. */
export function yamlLayer(file: SourceFile, what: string): { layer?: ConfigLayer; messages: Message[] } {
  const { document, placeAt, errors } = parseYaml({ file: file.display, text: file.text }, what)
  if (errors.length > 0) return { messages: errors }
  return { layer: { file, data: asRecord(document.toJS()), at: (path) => placeAt(nodeRange(document, path)) }, messages: [] }
}

/**
 * The layers of a myst.yml, highest first: the file itself, then what it extends, later entries
 * before earlier ones (a later one wins, as in MyST), each followed by what it extends in turn.
 * `files` are the project's other YAML files, by content path.
 */
export function readLayers(main: SourceFile, files: ReadonlyMap<string, SourceFile>): { layers: ConfigLayer[]; messages: Message[] } {
  const messages: Message[] = []
  const seen = new Set<string>()
  const visit = (file: SourceFile, chain: string[]): ConfigLayer[] => {
    seen.add(file.path)
    const read = yamlLayer(file, file.path)
    messages.push(...read.messages)
    if (!read.layer) return []
    const layer = read.layer
    const key = 'extends' in layer.data ? 'extends' : 'extend'
    const raw = layer.data[key]
    const entries = typeof raw === 'string' ? [raw] : Array.isArray(raw) ? raw : []
    let below: ConfigLayer[] = []
    entries.forEach((entry: unknown, i) => {
      const place = layer.at(typeof raw === 'string' ? [key] : [key, i])
      const problem = (reason: string, hint: string) => messages.push(createMessage('myst-extends-resolves', file.display, place, reason, hint))
      if (typeof entry !== 'string' || entry.trim() === '') {
        problem(`An entry of \`${key}\` is not a file name, so it is not read`, 'Write each entry as a path to a YAML file, relative to this file.')
        return
      }
      const name = entry.trim()
      if (/^[a-z][a-z0-9+.-]*:/i.test(name)) {
        messages.push(
          createMessage(
            'myst-extends-local',
            file.display,
            place,
            `\`${name}\` is not read: fieldnotes builds without the network, so configuration from a URL is left out`,
            'Save the file in the project and name its path instead; MyST reads a local file the same way.',
          ),
        )
        return
      }
      const target = posix.normalize(posix.join(posix.dirname(file.path), name))
      if (posix.isAbsolute(name) || target === '..' || target.startsWith('../')) {
        problem(`\`${name}\` is outside the project, so it is not read`, 'Keep the files that myst.yml extends inside the project folder.')
        return
      }
      const chainHere = [...chain, file.path]
      if (chainHere.includes(target)) {
        problem(`\`${name}\` extends itself in a circle (${[...chainHere, target].join(' > ')}), so it is not read again`, 'Remove one of the `extends` entries that lead back.')
        return
      }
      const extended = files.get(target)
      if (!extended) {
        const suggestion = didYouMean(target, suggestionsFrom([...files.keys()]))
        problem(`\`${name}\` is not in the project, so it is not read`, suggestion ? `Fix the path: ${suggestion}` : 'Fix the path, relative to this file, or remove the entry.')
        return
      }
      // A file two others extend is read once.
      if (seen.has(target)) return
      below = [...visit(extended, chainHere), ...below]
    })
    return [layer, ...below]
  }
  return { layers: visit(main, []), messages }
}

/** Keys of a project whose values MyST combines across layers (the higher layer winning within them), rather than replaces. */
const mergedMaps = new Set(['math', 'abbreviations', 'settings', 'identifiers', 'numbering'])
const unitedLists = new Set(['keywords', 'tags', 'bibliography', 'requirements', 'resources'])
const joinedLists = new Set(['funding', 'exports', 'downloads'])

export interface MergedConfig {
  project: Record<string, unknown>
  site: Record<string, unknown>
  options: Record<string, unknown>
  /** The layer that wrote each key (`project.toc`, `site.options.logo`), for messages and relative paths. */
  origin: Map<string, ConfigLayer>
}

/** Merge the layers as MyST does: a key of a higher layer wins; maps are merged and lists joined. */
export function mergeLayers(layers: readonly ConfigLayer[]): MergedConfig {
  const merged: MergedConfig = { project: {}, site: {}, options: {}, origin: new Map() }
  for (const layer of [...layers].reverse()) {
    const project = asRecord(layer.data['project'])
    for (const [key, value] of Object.entries(project)) {
      const before = merged.project[key]
      if (mergedMaps.has(key) && isRecord(before) && isRecord(value)) merged.project[key] = { ...before, ...value }
      else if (unitedLists.has(key) && before !== undefined) merged.project[key] = [...new Set([...asList(before), ...asList(value)])]
      else if (joinedLists.has(key) && before !== undefined) merged.project[key] = [...asList(before), ...asList(value)]
      else merged.project[key] = value
      merged.origin.set(`project.${key}`, layer)
    }
    const site = asRecord(layer.data['site'])
    for (const [key, value] of Object.entries(site)) {
      if (key === 'options') {
        for (const [option, set] of Object.entries(asRecord(value))) {
          merged.options[option] = set
          merged.origin.set(`site.options.${option}`, layer)
        }
      } else merged.site[key] = value
      merged.origin.set(`site.${key}`, layer)
    }
  }
  return merged
}

function asList(value: unknown): unknown[] {
  return Array.isArray(value) ? value : value === undefined ? [] : [value]
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value)
}

export function asRecord(value: unknown): Record<string, unknown> {
  return isRecord(value) ? value : {}
}

/** Start of the node at a path, or of its nearest parent that exists. */
function nodeRange(document: Document, path: KeyPath): number {
  for (let depth = path.length; depth > 0; depth--) {
    const parent = depth === 1 ? document.contents : document.getIn(path.slice(0, depth - 1), true)
    const step = path[depth - 1]
    if (isMap(parent)) {
      const pair = parent.items.find((p) => isScalar(p.key) && String(p.key.value) === String(step))
      if (pair && isScalar(pair.key)) return pair.key.range?.[0] ?? 0
    } else if (isSeq(parent) && typeof step === 'number') {
      const item = parent.items[step] as { range?: [number, number, number] } | undefined
      if (item?.range) return item.range[0]
    }
  }
  return 0
}
