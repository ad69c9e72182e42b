// The evidence checks, message by message: what each says, where, and how to
// fix it, since these are the messages an author reads most.

import { describe, expect, it } from 'vitest'
import { readParticipants } from '../src/config/participants.js'
import { checkEvidence } from '../src/site/evidence.js'
import { buildInMemory } from './helpers.js'

const registry = `participants:
  - id: P01
    role: Maintainer
    consent: anonymous
  - id: P02
    role: Deployer
    consent: anonymous
  - id: P03
    role: Former maintainer
    consent: no-quotes
`

const finding = `:::finding{#slow-review}
## Pull requests wait too long

> They sit for weeks.
> — P01
:::
`

describe('evidence', () => {
  it('says which finding has no quote and how to add one', () => {
    const { messages } = buildInMemory({ 'index.md': `# A\n\n${finding}\n:::finding{#lonely}\n## Stands alone\n\nNo evidence here.\n:::\n` })
    expect(messages).toEqual([
      {
        file: 'content/index.md',
        line: 10,
        column: 1,
        severity: 'warning',
        ruleId: 'finding-has-quote',
        reason: 'The finding `lonely` has no quote to support it',
        hint: "Add a quote inside the finding: a blockquote whose last line is `— P07` (the participant's label).",
      },
    ])
  })

  it('says whose quote is outside any finding and where to move it', () => {
    const { messages } = buildInMemory({ 'index.md': `# A\n\n${finding}\nAs one person put it:\n\n> It is fine.\n> — P01\n` })
    expect(messages).toEqual([
      {
        file: 'content/index.md',
        line: 13,
        column: 3,
        severity: 'info',
        ruleId: 'quote-in-finding',
        reason: 'This quote (P01) is outside any finding, so it is not counted as evidence',
        hint: 'If it supports a finding, move it inside that `:::finding` block.',
      },
    ])
  })

  it('names a participant never quoted at their entry in participants.yml, with the attribution to check', () => {
    const { messages } = buildInMemory({ 'participants.yml': registry, 'index.md': `# A\n\n${finding}` })
    expect(messages).toEqual([
      {
        file: 'content/participants.yml',
        line: 5,
        column: 5,
        severity: 'info',
        ruleId: 'participant-quoted',
        reason: 'P02 is in participants.yml, but no quote is attributed to them',
        hint: 'If that is on purpose there is nothing to do; otherwise check the attributions of their quotes (`— P02`).',
      },
    ])
  })

  it('names participants.yml at its start when given a registry without the file it was read from', () => {
    const { registry: read } = readParticipants('content/participants.yml', registry)
    const messages = checkEvidence([], read, undefined)
    expect(messages.map((m) => `${m.file}:${m.line}:${m.column} ${m.ruleId} ${m.reason}`)).toEqual([
      'participants.yml:1:1 participant-quoted P01 is in participants.yml, but no quote is attributed to them',
      'participants.yml:1:1 participant-quoted P02 is in participants.yml, but no quote is attributed to them',
    ])
  })

  it('places a participant never quoted at their id however the entry is written, and at the file\'s start where no id is written as `id: P02`', () => {
    const where = (text: string) => {
      const { registry: read } = readParticipants('content/participants.yml', text)
      return checkEvidence([], read, { path: 'participants.yml', display: 'content/participants.yml', text }).map((m) => `${m.file}:${m.line}:${m.column} ${m.ruleId}`)
    }
    // A quoted id, and an entry written as JSON, whose key is `"id":`.
    expect(where('participants:\n  - id: "P01"\n    role: Maintainer\n    consent: anonymous\n  - {"id": "P02", "role": "Deployer", "consent": "anonymous"}\n')).toEqual([
      'content/participants.yml:2:5 participant-quoted',
      'content/participants.yml:1:1 participant-quoted',
    ])
    // Two entries on one line: the second is found by its text.
    expect(where('participants: [{id: P01, role: Maintainer, consent: anonymous}, {id: P02, role: Deployer, consent: anonymous}]\n')).toEqual([
      'content/participants.yml:1:17 participant-quoted',
      'content/participants.yml:1:66 participant-quoted',
    ])
  })
})
