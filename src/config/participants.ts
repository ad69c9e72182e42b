// participants.yml: who may be quoted, under which label, and what their
// consent allows us to show.

import { z } from 'zod'
import { createMessage, type Message } from '../messages.js'
import { maxTextLength } from './report.js'
import { readYaml } from './yaml.js'

const participant = z
  .object({
    id: z.string().regex(/^[A-Za-z][A-Za-z0-9_-]*$/, 'must be a label such as P07'),
    role: z.string().trim().min(1, 'must not be empty').max(maxTextLength),
    consent: z.enum(['named', 'anonymous', 'no-quotes']),
    name: z.string().trim().min(1).max(maxTextLength).optional(),
  })
  .strict()

export const participantsSchema = z.object({ participants: z.array(participant) }).strict()

export type Participant = z.output<typeof participant>

export interface ParticipantRegistry {
  /** In file order. */
  list: Participant[]
  byId: Map<string, Participant>
}

export function readParticipants(file: string, text: string): { registry: ParticipantRegistry | undefined; messages: Message[] } {
  const parsed = readYaml({ file, text }, participantsSchema, {
    unknownKeyRule: 'config-key-known',
    what: 'participants.yml',
  })
  if (!parsed.value) return { registry: undefined, messages: parsed.messages }
  const messages: Message[] = []
  const byId = new Map<string, Participant>()
  const lines = idLines(text)
  const place = (id: string, occurrence: number) => lines.get(id)?.[occurrence - 1] ?? { line: 1, column: 1 }
  for (const p of parsed.value.participants) {
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
  return { registry: { list: parsed.value.participants, byId }, messages }
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
