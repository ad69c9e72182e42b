// Every rule the check can report is explained to authors: in docs/rules.md
// with an example and its fix, and in the table of docs/authoring.md, each
// with the severity it really has.

import { readFile } from 'node:fs/promises'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { rules } from '../src/rules.js'
import { repoRoot } from './helpers.js'

describe('the rule documentation', () => {
  it('has a section with a fix in docs/rules.md for every rule, at its severity', async () => {
    const text = await readFile(path.join(repoRoot, 'docs', 'rules.md'), 'utf8')
    const sections = new Map<string, string>()
    for (const part of text.split(/^### /m).slice(1)) {
      const heading = /^`([a-z-]+)` \((error|warning|info)\)/.exec(part)
      if (heading) sections.set(heading[1]!, `${heading[2]}\n${part}`)
    }
    const missing = Object.keys(rules).filter((id) => !sections.has(id))
    expect(missing).toEqual([])
    for (const [id, severity] of Object.entries(rules)) {
      const section = sections.get(id)!
      expect(`${id}: ${section.split('\n')[0]}`).toBe(`${id}: ${severity}`)
      expect(section.length).toBeGreaterThan(100)
    }
    expect([...sections.keys()].filter((id) => !(id in rules))).toEqual([])
  })

  it('lists every rule in the table of docs/authoring.md, at its severity', async () => {
    const text = await readFile(path.join(repoRoot, 'docs', 'authoring.md'), 'utf8')
    const rows = new Map([...text.matchAll(/^\| `([a-z-]+)` \| (error|warning|info) \|/gm)].map((m) => [m[1]!, m[2]!]))
    expect(Object.fromEntries(Object.keys(rules).map((id) => [id, rows.get(id)]))).toEqual(rules)
  })
})
