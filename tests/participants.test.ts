// participants.yml: what it accepts, what it refuses and where, and what of it
// is published.

import { describe, expect, it } from 'vitest'
import { toString } from 'hast-util-to-string'
import { readParticipants } from '../src/config/participants.js'
import path from 'node:path'
import { buildInMemory, buildProject, select, selectAll } from './helpers.js'

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

  it('reports a problem in an entry written as JSON, whose key is `"id":`, at the top of the file', () => {
    const { messages } = read('participants:\n  - {"id": "P01", "role": "Maintainer", "consent": "anonymous", "name": "Mary Somerville"}\n')
    expect(messages.map((m) => `${m.line}:${m.column} ${m.ruleId}`)).toEqual(['1:1 value-type-valid'])
  })

  it('finds an id that starts a line, in a list written in brackets over several lines', () => {
    const { messages } = read('[{role: Maintainer, consent: anonymous, name: Mary Somerville,\nid: P01}]\n')
    expect(messages.map((m) => `${m.line}:${m.column} ${m.ruleId}`)).toEqual(['2:1 value-type-valid'])
  })
})

describe('participants.yml written as a plain list', () => {
  const list = '- id: P01\n  role: Maintainer\n  consent: anonymous\n- id: P02\n  role: Teacher\n  consent: named\n  name: Mary Somerville\n'

  it('reads the same entries as the `participants:` map', () => {
    const plain = read(list)
    const mapped = read(`participants:\n${list.replace(/^/gm, '  ')}`)
    expect(plain.messages).toEqual([])
    expect(plain.registry!.list).toEqual(mapped.registry!.list)
    expect(plain.registry!.list.map((p) => p.id)).toEqual(['P01', 'P02'])
  })

  it('places a wrong value, an unknown key, a name without consent and a repeated id at their lines in the list', () => {
    const wrong = read('- id: P01\n  role: Maintainer\n  consent: sometimes\n- id: P02\n  role: Teacher\n  consent: anonymous\n  nmae: X\n')
    expect(wrong.registry).toBeUndefined()
    expect(wrong.messages.map((m) => `${m.file}:${m.line}:${m.column} ${m.ruleId} ${m.reason}`)).toEqual([
      'content/participants.yml:3:12 value-type-valid Wrong value for `0.consent` in participants.yml: Invalid option: expected one of "named"|"anonymous"|"no-quotes"',
      'content/participants.yml:7:3 config-key-known Unknown key `1.nmae` in participants.yml',
    ])
    expect(wrong.messages[1]!.hint).toContain('Did you mean `name`?')
    const repeated = read('- id: P01\n  role: Maintainer\n  consent: anonymous\n  name: Mary Somerville\n- id: P01\n  role: Lead\n  consent: anonymous\n')
    expect(repeated.messages.map((m) => `${m.line}:${m.column} ${m.ruleId}`)).toEqual(['1:3 value-type-valid', '5:3 participant-id-unique'])
  })

  it('builds a report whose quotes and participants page use it', () => {
    const site = buildInMemory({
      'participants.yml': list,
      'index.md': '# Home\n\n:::finding{#slow}\n## Reviews are slow\n\n> Weeks.\n> — P01\n\n> Months.\n> — P02\n:::\n\n:::recommendation{#r-triage addresses="slow"}\n## Triage\n:::\n',
    })
    expect(site.messages).toEqual([])
    expect(toString(select('figcaption', site.page('index.html'))!)).toBe('— P01, Maintainer')
    expect(selectAll('table.participants-table tbody th', site.page('participants/index.html')).map((th) => toString(th))).toEqual([
      'P01',
      'P02 (Mary Somerville)',
    ])
  })

  it('is read by the privacy guard for consent: a named participant may be named, anyone else may not', async () => {
    const project = await buildProject(
      {
        'participants.yml': list,
        'index.md': '# Home\n\nMary Somerville spoke of Jane Doe.\n\n:::finding{#slow}\n## Reviews are slow\n\n> Weeks.\n> — P01\n\n> Months.\n> — P02\n:::\n\n:::recommendation{#r-triage addresses="slow"}\n## Triage\n:::\n',
      },
      { roster: 'participants:\n  - id: P01\n    names: [Jane Doe]\n  - id: P02\n    names: [Mary Somerville]\n' },
    )
    expect(project.result.messages.map((m) => `${path.relative(project.dir, m.file)}:${m.line}:${m.column} ${m.ruleId}`)).toEqual([
      'content/index.md:3:26 private-name-absent',
    ])
    expect(project.result.messages[0]!.reason).toContain('A real name of P01')
    expect(project.result.written).toBe(false)
  })
})
