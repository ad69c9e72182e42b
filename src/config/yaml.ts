// Read YAML and check it against a schema, reporting every problem at the line
// and column of the key or value at fault (inside a chapter, offset to where the
// front matter sits in the file).

import { isMap, isScalar, LineCounter, parseDocument, type Document, type Node as YamlNode } from 'yaml'
import type { z } from 'zod'
import { createMessage, type Message, type Place } from '../messages.js'
import type { RuleId } from '../rules.js'
import { didYouMean } from '../suggest.js'

export interface YamlSource {
  /** The file name shown in messages. */
  file: string
  text: string
  /** Line of the file where `text` begins (1 for a whole file). */
  firstLine?: number
}

export interface SchemaOptions {
  /** Rule for keys the schema does not know: an error in our own files, a warning in front matter. */
  unknownKeyRule: RuleId
  /** Words that tell the author what the file is, for messages: "report.yml", "front matter". */
  what: string
  /** Keep the value when unknown keys are the only problem (front matter shared with other tools). */
  tolerateUnknownKeys?: boolean
}

export interface Parsed<T> {
  value: T | undefined
  messages: Message[]
}

/** A YAML document with positions: its syntax errors as messages, and where in the file an offset lies. */
export interface YamlDocument {
  document: Document.Parsed
  placeAt(index: number): Place
  /** One `yaml-valid` error per syntax error; when there are any, the document's content is not to be used. */
  errors: Message[]
}

/** Characters a YAML file or a chapter's front matter may have: configuration, never data. */
export const maxYamlLength = 1024 * 1024

/** Parse YAML keeping positions; `what` names the file in messages ("report.yml", "front matter"). */
export function parseYaml(source: YamlSource, what: string): YamlDocument {
  const lineCounter = new LineCounter()
  const offset = (source.firstLine ?? 1) - 1
  if (source.text.length > maxYamlLength) {
    let line = 1
    for (let i = source.text.indexOf('\n'); i >= 0 && i < maxYamlLength; i = source.text.indexOf('\n', i + 1)) line++
    const message = createMessage(
      'content-size-within-limit',
      source.file,
      { line: line + offset, column: 1 },
      `${what} has ${(source.text.length / 1_000_000).toFixed(1)} million characters; fieldnotes reads at most ${(maxYamlLength / 1_000_000).toFixed(1)} million of YAML, and this line is past the limit`,
      'Configuration is short: keep data, transcripts and long texts in the chapters, or in files the report links to.',
    )
    return { document: parseDocument('', { lineCounter }), placeAt: () => ({ line: 1 + offset, column: 1 }), errors: [message] }
  }
  const document = parseDocument(source.text, { lineCounter, prettyErrors: false, uniqueKeys: true })
  const placeAt = (index: number): Place => {
    const { line, col } = lineCounter.linePos(index)
    return { line: line + offset, column: col }
  }
  const errors = document.errors.map((error) =>
    createMessage('yaml-valid', source.file, placeAt(error.pos[0]), `${what} is not valid YAML: ${firstLine(error.message)}`, yamlHint(error.code)),
  )
  return { document, placeAt, errors }
}

export function readYaml<T>(source: YamlSource, schema: z.ZodType<T>, options: SchemaOptions): Parsed<T> {
  const { document, placeAt, errors } = parseYaml(source, options.what)
  if (errors.length > 0) return { value: undefined, messages: errors }

  const data: unknown = document.toJS() ?? {}
  const result = schema.safeParse(data)
  if (result.success) return { value: result.data, messages: [] }

  const messages: Message[] = []
  for (const issue of result.error.issues) {
    const path = issue.path.filter((p): p is string | number => typeof p !== 'symbol')
    if (issue.code === 'unrecognized_keys') {
      for (const key of issue.keys) {
        const keyNode = findKey(document, path, key)
        const known = knownKeys(schema, path)
        const suggestion = didYouMean(key, known)
        messages.push(
          createMessage(
            options.unknownKeyRule,
            source.file,
            keyNode ? placeAt(keyNode.range?.[0] ?? 0) : placeAt(0),
            `Unknown key \`${[...path, key].join('.')}\` in ${options.what}`,
            suggestion
              ? `${capitalize(suggestion)} Known keys here: ${known.join(', ')}.`
              : `Remove it, or use one of: ${known.join(', ')}.`,
          ),
        )
      }
      continue
    }
    const node = findNode(document, path)
    const where = path.length > 0 ? `\`${path.join('.')}\`` : 'the file'
    messages.push(
      createMessage(
        'value-type-valid',
        source.file,
        placeAt(node?.range?.[0] ?? 0),
        `Wrong value for ${where} in ${options.what}: ${issue.message}`,
        path[0] === 'theme' ? describeExpected(issue).replace('docs/authoring.md', 'docs/theming.md') : describeExpected(issue),
      ),
    )
  }
  if (options.tolerateUnknownKeys && result.error.issues.every((i) => i.code === 'unrecognized_keys')) {
    const reparsed = schema.safeParse(withoutKeys(data, result.error.issues))
    if (reparsed.success) return { value: reparsed.data, messages }
  }
  return { value: undefined, messages }
}

function withoutKeys(data: unknown, issues: z.core.$ZodIssue[]): unknown {
  const copy: unknown = structuredClone(data)
  for (const issue of issues) {
    if (issue.code !== 'unrecognized_keys') continue
    let target: unknown = copy
    for (const step of issue.path) target = (target as Record<PropertyKey, unknown>)[step]
    for (const key of issue.keys) delete (target as Record<string, unknown>)[key]
  }
  return copy
}

function findNode(document: Document, path: (string | number)[]): YamlNode | undefined {
  for (let depth = path.length; depth >= 0; depth--) {
    const node = document.getIn(path.slice(0, depth), true)
    if (node && typeof node === 'object' && 'range' in node) return node as YamlNode
  }
  return undefined
}

function findKey(document: Document, path: (string | number)[], key: string): YamlNode | undefined {
  const parent = path.length === 0 ? document.contents : document.getIn(path, true)
  if (!isMap(parent)) return undefined
  for (const pair of parent.items) {
    if (isScalar(pair.key) && String(pair.key.value) === key) return pair.key
  }
  return undefined
}

/** Keys an object schema allows at a path, for suggestions. */
function knownKeys(schema: z.ZodType, path: (string | number)[]): string[] {
  let current: unknown = schema
  for (const step of path) {
    current = unwrap(current)
    const def = (current as { def?: { type?: string; shape?: Record<string, unknown>; element?: unknown } }).def
    if (def?.type === 'object' && typeof step === 'string') current = def.shape?.[step]
    else if (def?.type === 'array') current = def.element
    else return []
  }
  const def = (unwrap(current) as { def?: { type?: string; shape?: Record<string, unknown> } }).def
  return def?.type === 'object' && def.shape ? Object.keys(def.shape) : []
}

function unwrap(schema: unknown): unknown {
  let current = schema
  for (;;) {
    const def = (current as { def?: { type?: string; innerType?: unknown } } | undefined)?.def
    if (def && (def.type === 'optional' || def.type === 'nullable' || def.type === 'default') && def.innerType) {
      current = def.innerType
    } else if (def?.type === 'union') {
      // A value written either way (a colour, or one per scheme): the keys are the object's.
      const object = (def as { options?: unknown[] }).options?.find((option) => (option as { def?: { type?: string } }).def?.type === 'object')
      if (object === undefined) return current
      current = object
    } else return current
  }
}

function describeExpected(issue: z.core.$ZodIssue): string {
  if (issue.code === 'invalid_type') return `Write a ${issue.expected} here.`
  if (issue.code === 'too_big' && issue.origin === 'string') return `Shorten it to at most ${issue.maximum.toLocaleString('en')} characters: it is shown on many pages.`
  if (issue.code === 'invalid_value') return `Use one of: ${issue.values.map(String).join(', ')}.`
  if (issue.code === 'invalid_format') return 'Check the value against the format described in docs/authoring.md.'
  return 'See docs/authoring.md for what this key takes.'
}

function yamlHint(code: string): string {
  if (code === 'DUPLICATE_KEY') return 'Each key may appear once; remove or rename the repeated one.'
  if (code === 'BAD_INDENT' || code === 'MISSING_CHAR') return 'Check the indentation and that every `key: value` pair has its colon.'
  return 'Quote values that contain a colon followed by a space, or start with a special character.'
}

function firstLine(text: string): string {
  return text.split('\n')[0] ?? text
}

function capitalize(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1)
}

/**
 * Where each value of a YAML file is written (`key: value`, `- key: value`, quotes left out), the first
 * time: for messages about many entries of a long file, found in one pass rather than a search per entry.
 */
export function valuePlaces(text: string): Map<string, Place> {
  const places = new Map<string, Place>()
  text.split('\n').forEach((line, i) => {
    const colon = line.indexOf(': ')
    if (colon < 0) return
    const written = line.slice(colon + 2)
    const value = written.trim().replace(/^(["'])(.*)\1$/, '$2')
    if (value === '' || places.has(value)) return
    places.set(value, { line: i + 1, column: line.indexOf(value, colon + 2) + 1 })
  })
  return places
}

/**
 * `locateSnippet` for what an index of values lacks (a value inside a flow list): each search reads the whole
 * file, so after the first twenty a message is placed at the top of the file instead.
 */
export function boundedSearch(text: string, limit = 20): (snippet: string, occurrence?: number) => Place {
  let searches = 0
  return (snippet, occurrence = 1) => (++searches <= limit ? locateSnippet(text, snippet, occurrence) : { line: 1, column: 1 })
}

/** Where the nth line containing a snippet sits: for messages about entries of a list. */
export function locateSnippet(text: string, snippet: string, occurrence = 1): Place {
  const lines = text.split('\n')
  let seen = 0
  for (let i = 0; i < lines.length; i++) {
    const column = (lines[i] ?? '').indexOf(snippet)
    if (column >= 0 && ++seen === occurrence) return { line: i + 1, column: column + 1 }
  }
  return { line: 1, column: 1 }
}
