// participants.yml: what it accepts, what it refuses and where, and what of it
// is published.

import { describe, expect, it } from 'vitest'
import { toString } from 'hast-util-to-string'
import { readParticipants } from '../src/config/participants.js'
import { buildInMemory, select } from './helpers.js'

const file = 'content/participants.yml'
const read = (yaml: string) => readParticipants(file, yaml)

describe('participants.yml', () => {
  it('refuses an id that does not start with a letter or that ends in a sign, at the id', () => {
    const { registry, messages } = read(
      'participants:\n  - id: 7P\n    role: Maintainer\n    consent: anonymous\n  - id: P07!\n    role: Deployer\n    consent: anonymous\n',
    )
    expect(registry).toBeUndefined()
    expect(messages).toEqual([
      {
        file,
        line: 2,
        column: 9,
        severity: 'error',
        ruleId: 'value-type-valid',
        reason: 'Wrong value for `participants.0.id` in participants.yml: must be a label such as P07',
        hint: 'Check the value against the format described in docs/authoring.md.',
      },
      {
        file,
        line: 5,
        column: 9,
        severity: 'error',
        ruleId: 'value-type-valid',
        reason: 'Wrong value for `participants.1.id` in participants.yml: must be a label such as P07',
        hint: 'Check the value against the format described in docs/authoring.md.',
      },
    ])
  })

  it('refuses a role of only spaces as empty, at the role', () => {
    const { registry, messages } = read('participants:\n  - id: P01\n    role: "   "\n    consent: anonymous\n')
    expect(registry).toBeUndefined()
    expect(messages).toEqual([
      {
        file,
        line: 3,
        column: 11,
        severity: 'error',
        ruleId: 'value-type-valid',
        reason: 'Wrong value for `participants.0.role` in participants.yml: must not be empty',
        hint: 'See docs/authoring.md for what this key takes.',
      },
    ])
  })

  it('reports an unknown key as config-key-known, naming participants.yml and the keys it takes', () => {
    const { registry, messages } = read('participants:\n  - id: P01\n    role: Maintainer\n    consent: anonymous\n    email: p01@example.org\n')
    expect(registry).toBeUndefined()
    expect(messages).toEqual([
      {
        file,
        line: 5,
        column: 5,
        severity: 'error',
        ruleId: 'config-key-known',
        reason: 'Unknown key `participants.0.email` in participants.yml',
        hint: 'Remove it, or use one of: id, role, consent, name.',
      },
    ])
  })

  it('publishes a name and a role without the spaces written around them', () => {
    const participants = 'participants:\n  - id: P03\n    role: "  Founder "\n    consent: named\n    name: " Ada Lovelace  "\n'
    expect(read(participants).registry?.byId.get('P03')).toEqual({ id: 'P03', role: 'Founder', consent: 'named', name: 'Ada Lovelace' })
    const { messages, page } = buildInMemory({
      'participants.yml': participants,
      'index.md': '# A\n\n:::finding{#f}\n## Reviews wait\n\n> We wait.\n> — P03\n:::\n',
    })
    expect(messages).toEqual([])
    // Compared as it is, not with spaces collapsed: a space kept before a comma would show.
    expect(toString(select('figure.quote figcaption', page('index.html'))!)).toBe('— P03, Ada Lovelace, Founder')
  })

  it('finds an id written in quotes, to report a name stored without consent and a repeated id at their entries', () => {
    const { messages } = read(
      'participants:\n  - id: "P01"\n    role: Maintainer\n    consent: anonymous\n    name: Mary Somerville\n  - id: \'P01\'\n    role: Lead\n    consent: anonymous\n',
    )
    expect(messages.map((m) => `${m.line}:${m.column} ${m.ruleId} ${m.reason}`)).toEqual([
      '2:5 value-type-valid Participant P01 has a name but consent `anonymous`, so the name must not be stored here',
      '6:5 participant-id-unique Participant id P01 is listed twice',
    ])
  })

  it('finds an id whose value is aligned with the others by several spaces', () => {
    const { messages } = read(
      'participants:\n  - id:      P01\n    role:    Maintainer\n    consent: anonymous\n    name:    Mary Somerville\n  - id:      P01\n    role:    Lead\n    consent: anonymous\n',
    )
    expect(messages.map((m) => `${m.line}:${m.column} ${m.ruleId}`)).toEqual(['2:5 value-type-valid', '6:5 participant-id-unique'])
  })

  it('reports a name stored without consent and a repeated id in entries written on one line', () => {
    const { messages } = read(
      'participants:\n  - { id: P01, role: Maintainer, consent: anonymous, name: Mary Somerville }\n  - { id: P01, role: Lead, consent: anonymous }\n',
    )
    // Their places are left unchecked: an id in a one-line entry is not located yet, so both are reported at 1:1.
    expect(messages.map((m) => `${m.ruleId} ${m.reason}`)).toEqual([
      'value-type-valid Participant P01 has a name but consent `anonymous`, so the name must not be stored here',
      'participant-id-unique Participant id P01 is listed twice',
    ])
  })
})
