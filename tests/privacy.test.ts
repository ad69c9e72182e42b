// The privacy guard: real names from a private roster, planted in the content,
// are found wherever they hide and reported without being printed, in real
// builds and on the command line. The reading and matching, called directly,
// are tests/privacy-fold.test.ts and tests/privacy-roster.test.ts.

import { execFile } from 'node:child_process'
import { access } from 'node:fs/promises'
import path from 'node:path'
import { promisify } from 'node:util'
import { describe, expect, it } from 'vitest'
import { build } from '../src/build.js'
import { attr, buildInMemory, buildProject, repoRoot, tempDir, text, where, writeFiles } from './helpers.js'

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

describe('recognisable spellings in the content', () => {
  // Each line spells P01's name (Jane Doe) the way a reader would still recognise it.
  const lines = [
    '# Sources',
    '',
    'Her [profile](https://linkedin.com/in/jane-doe) is public.',
    'Write to <jane.doe@example.org> or <jane.doe2@example.org>.',
    'The [recording](https://example.org/files/Jane%20Doe.mp3) is long.',
    'Double-encoded, as [J%2561ne%2520Doe](https://example.org/) is, too.',
    'As Ja\u00adne Doe said, with a soft hyphen.',
    'As Ja&shy;ne D&#111;e said, with character references.',
    'Filed under Jane_Doe in the notes.',
    'Thanks to J\u0430ne Doe, with a Cyrillic letter.',
    'The slug Ｊａne－Ｄｏe is full-width in part.',
    '![A photo](photo.png "Jane+Doe at work")',
    'Tagged @JaneDoe and J\u200bane\u200bDoe on the forum.',
    '',
    'Janet, Mary Janeway and Doe-eyed are other words.',
  ]
  const files = { 'report.yml': 'title: A study\n', 'participants.yml': participants, 'index.md': `${lines.join('\n')}\n`, 'photo.png': 'not really a picture' }
  /** `index.md:line:column` of the first `written` at or after `from` on line `line`. */
  const at = (line: number, written: string, from = 0) => `index.md:${line}:${lines[line - 1]!.indexOf(written, from) + 1} private-name-absent P01`
  const expected = [
    at(3, 'jane-doe'),
    at(4, 'jane.doe@'),
    at(4, 'jane.doe2'),
    at(5, 'Jane%20Doe'),
    at(6, 'J%2561ne'),
    at(7, 'Ja\u00adne'),
    at(8, 'Ja&shy;ne'),
    at(9, 'Jane_Doe'),
    at(10, 'J\u0430ne'),
    at(11, 'Ｊａne'),
    at(12, 'Jane+Doe'),
    at(13, 'JaneDoe'),
    at(13, 'J\u200bane'),
  ]
  const shown = (messages: readonly { file: string; line: number; column: number; ruleId: string; reason: string }[]) =>
    messages
      .filter((m) => m.ruleId === 'private-name-absent' && m.file.split('/').includes('content'))
      .map((m) => `${path.basename(m.file)}:${m.line}:${m.column} ${m.ruleId} ${m.reason.match(/of (P\d+)/)?.[1]}`)

  it('finds the name in link targets, e-mail addresses, URL encodings, invisible characters, look-alike letters and attributes', async () => {
    const dir = await tempDir()
    await writeFiles(path.join(dir, 'content'), files)
    await writeFiles(dir, { 'roster.yml': roster })
    const result = await build({ contentDir: path.join(dir, 'content'), outDir: path.join(dir, 'dist'), privateRoster: path.join(dir, 'roster.yml') })
    expect(shown(result.messages)).toEqual(expected)
    expect(result.written).toBe(false)
    for (const m of result.messages) expect(`${m.reason} ${m.hint}`).not.toMatch(/jane|doe|janey|riverside/i)
  })

  it('finds them in a project built with a roster, and in the names of its files', async () => {
    const project = await buildProject({ ...files, 'people/Jane%20Doe.txt': 'kept out of the site', 'people/J\u0430ne.Doe.txt': 'and so is this' }, { roster })
    expect(shown(project.result.messages)).toEqual([
      ...expected,
      'Jane%20Doe.txt:1:1 private-name-absent P01',
      'J\u0430ne.Doe.txt:1:1 private-name-absent P01',
    ])
    expect(project.result.written).toBe(false)
    for (const m of project.result.messages) expect(`${m.reason} ${m.hint}`).not.toMatch(/jane|doe/i)
  })
})

describe('participant labels written in other forms', () => {
  const registry = 'participants:\n  - id: P01\n    role: Maintainer\n    consent: anonymous\n  - id: P02\n    role: Deployer\n    consent: no-quotes\n'
  const chapter = (attribution: string) => `# Theme\n\n:::finding{#slow-review}\n## Reviews wait\n\n> They sit for weeks.\n> — ${attribution}\n:::\n`

  it('reads a full-width or look-alike label as the label it shows, so consent still applies', () => {
    for (const label of ['Ｐ０２', 'P\u200b02', '\u042002']) {
      const { messages } = buildInMemory({ 'participants.yml': registry, 'index.md': chapter(label) })
      expect(where(messages)).toEqual(['content/index.md:7:3 quote-consent-allows', 'content/participants.yml:2:5 participant-quoted'])
    }
  })

  it('attributes a quote written to Ｐ０１ to P01', () => {
    const site = buildInMemory({ 'participants.yml': registry, 'index.md': chapter('Ｐ０１， on reviews') })
    expect(where(site.messages)).toEqual([])
    expect(attr(site.page('index.html'), '#slow-review figure.quote figcaption a', 'href')).toBe('./participants/#P01')
    expect(text(site.page('index.html'), '#slow-review figure.quote figcaption')).toMatch(/^— P01, Maintainer.*on reviews/)
  })
})
