// participants.yml: who may be quoted, under which label, and what their
// consent allows us to show.

import { z } from 'zod'
import { createMessage, type Message } from '../messages.js'
import { maxTextLength } from './report.js'
import { isSeq } from 'yaml'
import { parseYaml, readYaml, type Parsed } from './yaml.js'

const participant = z
  .object({
    id: z.string().regex(/^[A-Za-z][A-Za-z0-9_-]*$/, 'must be a label such as P07'),
    role: z.string().trim().min(1, 'must not be empty').max(maxTextLength),
    consent: z.enum(['named', 'anonymous', 'no-quotes']),
    name: z.string().trim().min(1).max(maxTextLength).optional(),
  })
  .strict()

export const participantsSchema = z.object({ participants: z.array(participant) }).strict()

/** participants.yml may also be the list alone, without the `participants:` key. */
export const participantListSchema = z.array(participant)

export type Participant = z.output<typeof participant>

export interface ParticipantRegistry {
  /** In file order. */
  list: Participant[]
  byId: Map<string, Participant>
}

/** Read participants.yml, written as a `participants:` map or as a plain list; problems are placed in the file either way. */
export function readParticipants(file: string, text: string): { registry: ParticipantRegistry | undefined; messages: Message[] } {
  const options = { unknownKeyRule: 'config-key-known', what: 'participants.yml' } as const
  // Each shape is checked by its own schema, so a message's path (`3.consent`) leads to its place in the file.
  const parsed = isList(text)
    ? readYaml({ file, text }, participantListSchema, options)
    : mapValue(readYaml({ file, text }, participantsSchema, options))
  if (!parsed.value) return { registry: undefined, messages: parsed.messages }
  const messages: Message[] = []
  const byId = new Map<string, Participant>()
  const lines = idLines(text)
  const place = (id: string, occurrence: number) => lines.get(id)?.[occurrence - 1] ?? { line: 1, column: 1 }
  for (const p of parsed.value) {
    if (p.name !== undefined && p.consent !== 'named') {
      messages.push(
        createMessage(
          'value-type-valid',
          file,
          place(p.id, 1),
          `Participant ${p.id} has a name but consent \`${p.consent}\`, so the name must not be stored here`,
          'Remove `name`, or set `consent: named` if they agreed to be named.',
        ),
      )
    }
    if (byId.has(p.id)) {
      messages.push(
        createMessage(
          'participant-id-unique',
          file,
          place(p.id, 2),
          `Participant id ${p.id} is listed twice`,
          'Give each participant one entry with its own label.',
        ),
      )
    }
    byId.set(p.id, p)
  }
  return { registry: { list: parsed.value, byId }, messages }
}

/** Where each `id: X` is written, in one pass: a file listing many participants twice is not searched again for each. */
export function idLines(text: string): Map<string, { line: number; column: number }[]> {
  const places = new Map<string, { line: number; column: number }[]>()
  text.split('\n').forEach((line, i) => {
    const match = /(?:^|[\s{,-])(id:\s*)([^\s,}]+)/.exec(line)
    if (!match) return
    const id = match[2]!.replace(/^(["'])(.*)\1$/, '$2')
    const list = places.get(id) ?? []
    if (list.length < 2) list.push({ line: i + 1, column: match.index + match[0].length - match[2]!.length - match[1]!.length + 1 })
    places.set(id, list)
  })
  return places
}

/** Whether the file's document is a YAML list (`- id: P01`) rather than a map. */
function isList(text: string): boolean {
  const { document, errors } = parseYaml({ file: 'participants.yml', text }, 'participants.yml')
  return errors.length === 0 && isSeq(document.contents)
}

function mapValue(parsed: Parsed<z.output<typeof participantsSchema>>): Parsed<Participant[]> {
  return { value: parsed.value?.participants, messages: parsed.messages }
}
