// The private roster: participants' real names and other identifying strings,
// kept outside the repository and used only to check that none of them is
// published. This module owns its schema, its loader, and the matching that
// every privacy check shares (content before the build, output after it);
// how text is read before it is matched is fold.ts.

import { readFile } from 'node:fs/promises'
import { z } from 'zod'
import { readYaml } from '../config/yaml.js'
import { createMessage, type Message } from '../messages.js'
import { fold, type FoldMode } from './fold.js'
import { rosterEnvVar } from './setting.js'

export { fold, rosterEnvVar, type FoldMode }

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
  /** A roster name, another roster string, or the label of a participant who must not appear at all. */
  kind: 'name' | 'other' | 'label'
  /** The roster string (or label) that matched, for masking only: never print it. */
  secret: string
  /** Offsets in the searched text, in UTF-16 code units. */
  start: number
  end: number
}

export interface RosterMatcher {
  find(text: string, mode?: FoldMode): RosterMatch[]
}

interface Needle {
  id: string
  kind: RosterMatch['kind']
  secret: string
  folded: string
  /** For a label, how it reads with its case kept. */
  cased?: string
}

const letter = /\p{L}/u
const letterOrDigit = /[\p{L}\p{N}]/u

/**
 * Match every roster string of the given participants, as whole words, in
 * every spelling that fold.ts reads alike. A name of several words is also
 * found written as one (`JaneDoe`, `janedoe@`). `labels` are matched too, but
 * in their own case only (`P05`, not `p05`).
 */
export function createMatcher(entries: readonly RosterEntry[], labels: readonly string[] = []): RosterMatcher {
  const needles: Needle[] = []
  const add = (id: string, kind: RosterMatch['kind'], secret: string) => {
    const folded = fold(secret).text.trim()
    if (folded === '') return
    needles.push({ id, kind, secret, folded, ...(kind === 'label' ? { cased: fold(secret, 'text', { keepCase: true }).text.trim() } : {}) })
    // Long enough that joining the words does not make an ordinary word.
    const joined = folded.replaceAll(' ', '')
    if (kind !== 'label' && joined !== folded && joined.length >= 6) needles.push({ id, kind, secret, folded: joined })
  }
  for (const p of entries) {
    for (const name of p.names) add(p.id, 'name', name)
    for (const other of p.other) add(p.id, 'other', other)
  }
  for (const label of labels) add(label, 'label', label)
  // Longest first, so that "Jane Doe" is reported rather than also "Jane" inside it.
  needles.sort((a, b) => b.folded.length - a.folded.length)
  return {
    find(text, mode = 'text') {
      const haystack = fold(text, mode)
      // Which folded code units a match already covers: checking a span costs its length, not the number of matches.
      const taken = new Uint8Array(haystack.text.length)
      const matches: RosterMatch[] = []
      for (const needle of needles) {
        let at = haystack.text.indexOf(needle.folded)
        while (at >= 0) {
          const end = at + needle.folded.length
          const start = haystack.from[at]!
          const stop = haystack.to[end - 1]!
          const whole = edge(needle, needle.folded[0]!, haystack.text[at - 1]) && edge(needle, needle.folded.at(-1)!, haystack.text[end])
          // A label is found in its own case only: the folded text has lost it, the original has not.
          const cased = () => needle.cased === undefined || fold(text.slice(start, stop), mode, { keepCase: true }).text.trim() === needle.cased
          const plain = () => mode !== 'binary' || needle.folded.length > 3 || writtenPlainly(text.slice(start, stop), needle.secret)
          if (whole && !taken.subarray(at, end).includes(1) && cased() && plain()) {
            taken.fill(1, at, end)
            matches.push({ id: needle.id, kind: needle.kind, secret: needle.secret, start, end: stop })
          }
          at = haystack.text.indexOf(needle.folded, at + 1)
        }
      }
      return matches.sort((a, b) => a.start - b.start)
    },
  }
}

/**
 * Whether a match may end (or start) at `inside` next to `outside`. A letter
 * must not run on into another letter (`Jane` is not in `Janet`), a digit not
 * into a letter or digit (`Flat 12` is not in `Flat 123`); a name may run on
 * into digits (`jane.doe2@`). Labels are bounded by any letter or digit.
 */
function edge(needle: Needle, inside: string, outside: string | undefined): boolean {
  if (outside === undefined) return true
  if (needle.kind !== 'label' && letter.test(inside)) return !letter.test(outside)
  return !letterOrDigit.test(outside)
}

/**
 * Whether every letter of a short match is plain ASCII or written as in the
 * roster. Bytes read as text (binary.ts) spell many short words out of
 * accented and look-alike letters by chance (`ÀŁ` for `Al`), so in binary files
 * strings of up to three letters are matched only as written.
 */
function writtenPlainly(written: string, secret: string): boolean {
  const own = secret.normalize('NFC')
  for (const char of written.normalize('NFC')) if (char > '\x7f' && letter.test(char) && !own.includes(char)) return false
  return true
}

/** Say which secret matched without printing it: `J*** (4 letters)`. */
export function maskSecret(secret: string): string {
  const chars = [...secret.trim()]
  const first = chars[0] ?? ''
  const letters = chars.every((c) => /\p{L}/u.test(c))
  return `${first}${'*'.repeat(Math.max(chars.length - 1, 0))} (${chars.length} ${letters ? 'letters' : 'characters'})`
}
