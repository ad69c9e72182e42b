// The private roster: participants' real names and other identifying strings,
// kept outside the repository and used only to check that none of them is
// published. This module owns its schema, its loader, and the matching that
// every privacy check shares (content before the build, output after it).

import { readFile } from 'node:fs/promises'
import { z } from 'zod'
import { readYaml } from '../config/yaml.js'
import { createMessage, type Message } from '../messages.js'

import { rosterEnvVar } from './setting.js'

export { rosterEnvVar }

const secret = z.string().trim().min(2, 'must have at least two characters')

const entry = z
  .object({
    id: z.string().regex(/^[A-Za-z][A-Za-z0-9_-]*$/, 'must be a label such as P07'),
    names: z.array(secret).default([]),
    other: z.array(secret).default([]),
  })
  .strict()

export const rosterSchema = z.object({ participants: z.array(entry) }).strict()

export type RosterEntry = z.output<typeof entry>

export interface Roster {
  /** Where the roster was read from, for messages. */
  file: string
  participants: RosterEntry[]
}

/** Read the roster from text. Messages name keys and lines, never the secret values. */
export function parseRoster(file: string, text: string): { roster: Roster | undefined; messages: Message[] } {
  const parsed = readYaml({ file, text }, rosterSchema, { unknownKeyRule: 'config-key-known', what: 'the private roster' })
  return { roster: parsed.value && { file, participants: parsed.value.participants }, messages: parsed.messages }
}

/** Read the roster file. A roster that was asked for but cannot be read is an error: the guard must not fail open. */
export async function loadRoster(file: string): Promise<{ roster: Roster | undefined; messages: Message[] }> {
  let text: string
  try {
    text = await readFile(file, 'utf8')
  } catch (error) {
    return {
      roster: undefined,
      messages: [
        createMessage(
          'content-readable',
          file,
          undefined,
          `Cannot read the private roster: ${(error as Error).message}`,
          `Check the path given with --private-roster or ${rosterEnvVar}.`,
        ),
      ],
    }
  }
  return parseRoster(file, text)
}

export interface RosterMatch {
  id: string
  kind: 'name' | 'other'
  /** The roster string that matched, for masking only: never print it. */
  secret: string
  /** Offsets in the searched text, in UTF-16 code units. */
  start: number
  end: number
}

/**
 * How text is folded before matching. `text` folds case, accents, compatibility
 * forms and runs of white space. `markdown` also ignores emphasis marks and the
 * `>` that continues a blockquote on the next line. `path` also reads `-`, `_`,
 * `.` and `/` as spaces, so `jane-doe.png` is caught.
 */
export type FoldMode = 'text' | 'markdown' | 'path'

interface Folded {
  text: string
  /** For each code unit of `text`, where its character starts in the original. */
  from: number[]
  /** For each code unit of `text`, where its character ends in the original. */
  to: number[]
}

const combiningMark = /\p{M}/u
const wordChar = /[\p{L}\p{N}]/u

export function fold(original: string, mode: FoldMode = 'text'): Folded {
  const out: string[] = []
  const from: number[] = []
  const to: number[] = []
  let lineStart = true
  const emit = (value: string, start: number, end: number) => {
    for (const unit of value) {
      for (let k = 0; k < unit.length; k++) {
        out.push(unit[k]!)
        from.push(start)
        to.push(end)
      }
    }
  }
  let offset = 0
  for (const char of original) {
    const start = offset
    offset += char.length
    if (char === '\n' || char === '\r') lineStart = true
    const space = /\s/u.test(char) || (mode === 'path' && /[-_./\\]/.test(char))
    if (space) {
      if (out.at(-1) !== ' ' && out.length > 0) emit(' ', start, offset)
      continue
    }
    if (mode === 'markdown') {
      if (lineStart && char === '>') continue
      if ('*_~`'.includes(char)) continue
    }
    lineStart = false
    if (combiningMark.test(char)) {
      // A mark belongs to the letter before it: widen that letter's span, add nothing.
      if (to.length > 0) to[to.length - 1] = offset
      continue
    }
    const folded = char
      .normalize('NFKD')
      .split('')
      .filter((c) => !combiningMark.test(c))
      .join('')
      .toLowerCase()
    emit(folded, start, offset)
  }
  return { text: out.join(''), from, to }
}

export interface RosterMatcher {
  find(text: string, mode?: FoldMode): RosterMatch[]
}

/** Match every roster string of the given participants, as whole words. */
export function createMatcher(entries: readonly RosterEntry[]): RosterMatcher {
  const needles: { id: string; kind: 'name' | 'other'; secret: string; folded: string }[] = []
  for (const p of entries) {
    for (const name of p.names) needles.push({ id: p.id, kind: 'name', secret: name, folded: fold(name).text.trim() })
    for (const other of p.other) needles.push({ id: p.id, kind: 'other', secret: other, folded: fold(other).text.trim() })
  }
  // Longest first, so that "Jane Doe" is reported rather than also "Jane" inside it.
  needles.sort((a, b) => b.folded.length - a.folded.length)
  return {
    find(text, mode = 'text') {
      const haystack = fold(text, mode)
      const taken: [number, number][] = []
      const matches: RosterMatch[] = []
      for (const needle of needles) {
        if (needle.folded === '') continue
        let at = haystack.text.indexOf(needle.folded)
        while (at >= 0) {
          const end = at + needle.folded.length
          const before = haystack.text[at - 1]
          const after = haystack.text[end]
          const whole = !(before && wordChar.test(before)) && !(after && wordChar.test(after))
          const overlaps = taken.some(([s, e]) => at < e && end > s)
          if (whole && !overlaps) {
            taken.push([at, end])
            matches.push({ id: needle.id, kind: needle.kind, secret: needle.secret, start: haystack.from[at]!, end: haystack.to[end - 1]! })
          }
          at = haystack.text.indexOf(needle.folded, at + 1)
        }
      }
      return matches.sort((a, b) => a.start - b.start)
    },
  }
}

/** Say which secret matched without printing it: `J*** (4 letters)`. */
export function maskSecret(secret: string): string {
  const chars = [...secret.trim()]
  const first = chars[0] ?? ''
  const letters = chars.every((c) => /\p{L}/u.test(c))
  return `${first}${'*'.repeat(Math.max(chars.length - 1, 0))} (${chars.length} ${letters ? 'letters' : 'characters'})`
}
