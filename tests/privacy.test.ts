// The privacy guard: real names from a private roster, planted in the content,
// are found wherever they hide and reported without being printed.

import { execFile } from 'node:child_process'
import { access } from 'node:fs/promises'
import path from 'node:path'
import { promisify } from 'node:util'
import { describe, expect, it } from 'vitest'
import { build } from '../src/build.js'
import { createMatcher, maskSecret, parseRoster } from '../src/privacy/roster.js'
import { repoRoot, tempDir, writeFiles } from './helpers.js'

const run = promisify(execFile)

const roster = `participants:
  - id: P01
    names: [Jane Doe, Janey]
    other: [Riverside Hub team]
  - id: P02
    names: [José Ñúñez]
  - id: P03
    names: [Grace Hopper]
`

const participants = `participants:
  - id: P01
    role: Maintainer
    consent: anonymous
  - id: P02
    role: Deployer
    consent: anonymous
  - id: P03
    role: Advisor
    consent: named
    name: Grace Hopper
`

// Each planted name, where it is, and how it is written there.
const content = {
  'report.yml': 'title: A study\n',
  'participants.yml': participants,
  'index.md': `---
description: Conversations with JANE DOE and others
---
# A study

:::finding{#f}
## Hubs are hard

> We kept the Riverside
> Hub Team going for years.
> — P01

> Grace Hopper helped us, and she agreed to be named.
> — P03

![Photo of Jose Nunez at the whiteboard](board.png)

Janet and Janeyville are other words entirely.[^1]
:::

[^1]: As **Jane** Doe told us.
`,
  'board.png': 'not really a picture',
  'notes/jane-doe-transcript.txt': 'kept out of the site',
}

const secrets = ['jane doe', 'janey', 'riverside hub team', 'josé ñúñez', 'jose nunez']

describe('the roster', () => {
  it('is read with a schema that names bad keys without echoing values', () => {
    const { roster: parsed, messages } = parseRoster('roster.yml', 'participants:\n  - id: P01\n    names: [Jane Doe]\n    nick: [Janey]\n')
    expect(parsed).toBeUndefined()
    expect(messages.map((m) => `${m.file}:${m.line}:${m.column} ${m.ruleId}`)).toEqual(['roster.yml:4:5 config-key-known'])
    expect(JSON.stringify(messages)).not.toMatch(/jane/i)
  })

  it('matches whole words, ignoring case, accents, line breaks, blockquote marks and emphasis', () => {
    const matcher = createMatcher([{ id: 'P01', names: ['Jane Doe', 'José'], other: [] }])
    const found = (text: string, mode?: 'markdown' | 'path') => matcher.find(text, mode).map((m) => text.slice(m.start, m.end))
    expect(found('Said JANE  DOE today')).toEqual(['JANE  DOE'])
    expect(found('> said Jane\n> Doe, later', 'markdown')).toEqual(['Jane\n> Doe'])
    expect(found('As **Jane** Doe put it', 'markdown')).toEqual(['Jane** Doe'])
    expect(found('jose and JOSE\u0301 and Jose\u0301')).toEqual(['jose', 'JOSE\u0301', 'Jose\u0301'])
    expect(found('Ｊａｎｅ Ｄｏｅ')).toEqual(['Ｊａｎｅ Ｄｏｅ'])
    expect(found('Janet Doe, Jane Doesburg, Josélito')).toEqual([])
    expect(found('notes/jane_doe-2024.txt', 'path')).toEqual(['jane_doe'])
  })

  it('masks a secret to its first letter and length', () => {
    expect(maskSecret('Jane')).toBe('J*** (4 letters)')
    expect(maskSecret('Jane Doe')).toBe('J******* (8 characters)')
  })
})

describe('the guard on the content', () => {
  it('finds every planted name in text, quotes, alt text, footnotes, front matter and file names, but not a named participant', async () => {
    const dir = await tempDir()
    await writeFiles(path.join(dir, 'content'), content)
    await writeFiles(dir, { 'roster.yml': roster })
    const result = await build({ contentDir: path.join(dir, 'content'), outDir: path.join(dir, 'dist'), privateRoster: path.join(dir, 'roster.yml') })
    const found = result.messages
      // The output is checked too (privacy/output.ts); here, the content.
      .filter((m) => m.ruleId === 'private-name-absent' && m.file.split('/').includes('content'))
      .map((m) => `${path.basename(m.file)}:${m.line}:${m.column} ${m.reason.match(/of (P\d+)/)?.[1]}`)
    expect(found).toEqual([
      'index.md:2:33 P01', // front matter, in capitals
      'index.md:9:15 P01', // other identifying string, across a line break in a quote
      'index.md:16:12 P02', // alt text, without its accents
      'index.md:21:12 P01', // footnote, through emphasis
      'jane-doe-transcript.txt:1:1 P01', // a file name, even of a file that is never published
    ])
    expect(result.messages.every((m) => m.severity === 'error' || m.ruleId !== 'private-name-absent')).toBe(true)
    expect(result.written).toBe(false)
    await expect(access(path.join(dir, 'dist'))).rejects.toThrow()
    for (const m of result.messages) for (const secret of secrets) expect(`${m.reason} ${m.hint}`.toLowerCase()).not.toContain(secret)
  })

  it('takes the roster from --private-roster or the environment, and never prints a name in full', async () => {
    const dir = await tempDir()
    await writeFiles(path.join(dir, 'content'), content)
    await writeFiles(dir, { 'roster.yml': roster })
    const cli = async (args: string[], env: Record<string, string>) => {
      try {
        await run(process.execPath, [path.join(repoRoot, 'bin', 'fieldnotes.js'), ...args], { cwd: dir, env: { ...process.env, ...env } })
        return { code: 0, stdout: '', stderr: '' }
      } catch (error) {
        return error as { code: number; stdout: string; stderr: string }
      }
    }
    const byFlag = await cli(['check', '--private-roster', 'roster.yml'], { GITHUB_ACTIONS: 'true', FIELDNOTES_PRIVATE_ROSTER: '' })
    const byEnv = await cli(['check'], { GITHUB_ACTIONS: '', FIELDNOTES_PRIVATE_ROSTER: path.join(dir, 'roster.yml') })
    for (const output of [byFlag, byEnv]) {
      expect(output.code).toBe(1)
      expect(output.stderr).toContain(
        'content/index.md:2:33  error  A real name of P01 from the private roster, J******* (8 characters), appears here  private-name-absent',
      )
      expect(output.stderr).toContain('content/notes/jane-doe-transcript.txt:1:1  error  The file\'s name contains a real name of P01')
      const printed = `${output.stdout}\n${output.stderr}`.toLowerCase()
      for (const secret of secrets) expect(printed).not.toContain(secret)
    }
    expect(byFlag.stdout).toContain('::error file=content/index.md,line=16,col=12,title=private-name-absent::A real name of P02')

    const without = await cli(['check'], { GITHUB_ACTIONS: '', FIELDNOTES_PRIVATE_ROSTER: '' })
    expect(without.stderr ?? '').not.toContain('private-name-absent')
  })

  it('fails closed when the roster cannot be read', async () => {
    const dir = await tempDir()
    await writeFiles(path.join(dir, 'content'), { 'index.md': '# A\n' })
    const result = await build({ contentDir: path.join(dir, 'content'), outDir: path.join(dir, 'dist'), privateRoster: path.join(dir, 'missing.yml') })
    expect(result.messages.map((m) => m.ruleId)).toEqual(['content-readable'])
    expect(result.written).toBe(false)
  })
})
