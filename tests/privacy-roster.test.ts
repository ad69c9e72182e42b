// The private roster and the guard on the content (src/privacy/roster.ts and
// scan.ts), called directly: which strings are found and which are not, where,
// whose they are, and that a message never spells one out. The same guard in
// real builds and on the command line is tests/privacy.test.ts.

import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { readParticipants } from '../src/config/participants.js'
import type { ProjectSources } from '../src/load/files.js'
import type { Message } from '../src/messages.js'
import { createMatcher, loadRoster, maskSecret, parseRoster, type RosterEntry } from '../src/privacy/roster.js'
import { scanContent } from '../src/privacy/scan.js'

const made: string[] = []
afterAll(async () => {
  await Promise.all(made.map((dir) => rm(dir, { recursive: true, force: true })))
})

/** Each match as the text it covers. */
const covered = (entries: RosterEntry[], text: string, mode?: 'text' | 'markdown' | 'path' | 'binary', labels: string[] = []) =>
  createMatcher(entries, labels)
    .find(text, mode)
    .map((m) => text.slice(m.start, m.end))

describe('the roster', () => {
  it('is read with a schema that names bad keys without echoing values', () => {
    const { roster: parsed, messages } = parseRoster('roster.yml', 'participants:\n  - id: P01\n    names: [Jane Doe]\n    nick: [Janey]\n')
    expect(parsed).toBeUndefined()
    expect(messages.map((m) => `${m.file}:${m.line}:${m.column} ${m.ruleId}`)).toEqual(['roster.yml:4:5 config-key-known'])
    expect(JSON.stringify(messages)).not.toMatch(/jane/i)
  })

  it('reads each participant\'s names and other strings, trimmed, with either list left out', () => {
    const text = 'participants:\n  - id: P01\n    names: ["  Jane Doe ", Janey]\n  - id: P02\n    other: [the Oslo hub]\n  - id: p_3-x\n'
    expect(parseRoster('roster.yml', text)).toEqual({
      roster: {
        file: 'roster.yml',
        participants: [
          { id: 'P01', names: ['Jane Doe', 'Janey'], other: [] },
          { id: 'P02', names: [], other: ['the Oslo hub'] },
          { id: 'p_3-x', names: [], other: [] },
        ],
      },
      messages: [],
    })
  })

  it('refuses strings shorter than two characters, ids that are not labels and unknown keys, saying where but not what', () => {
    const text = 'participants:\n  - id: P01\n    names: [J, " K ", Jane]\n  - id: 7P\n  - id: P-3!\nsecret: x\n'
    const { roster, messages } = parseRoster('roster.yml', text)
    expect(roster).toBeUndefined()
    const short = 'must have at least two characters'
    const label = 'must be a label such as P07'
    expect(messages.map((m) => `${m.file}:${m.line}:${m.column} ${m.ruleId} ${m.reason} | ${m.hint}`)).toEqual([
      `roster.yml:3:13 value-type-valid Wrong value for \`participants.0.names.0\` in the private roster: ${short} | See docs/authoring.md for what this key takes.`,
      `roster.yml:3:16 value-type-valid Wrong value for \`participants.0.names.1\` in the private roster: ${short} | See docs/authoring.md for what this key takes.`,
      `roster.yml:4:9 value-type-valid Wrong value for \`participants.1.id\` in the private roster: ${label} | Check the value against the format described in docs/authoring.md.`,
      `roster.yml:5:9 value-type-valid Wrong value for \`participants.2.id\` in the private roster: ${label} | Check the value against the format described in docs/authoring.md.`,
      'roster.yml:6:1 config-key-known Unknown key `secret` in the private roster | Remove it, or use one of: participants.',
    ])
  })

  it('takes as an id a letter followed by letters, digits, `_` and `-`, and nothing else', () => {
    const parses = (id: string) => parseRoster('roster.yml', `participants:\n  - id: ${JSON.stringify(id)}\n`).roster !== undefined
    const labels = ['A', 'Z', 'a', 'z', 'P07', 'A0', 'Z9', 'Pa', 'Pz', 'PA', 'PZ', 'p_3', 'p-3', 'Team_A-12']
    expect(labels.filter((id) => !parses(id))).toEqual([])
    const others = ['', '7P', '_P', '-P', 'P 7', 'P!', 'P07.', ' P07', 'É1', 'P07\n']
    expect(others.filter(parses)).toEqual([])
  })

  it('is read from its file as UTF-8', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'fieldnotes-roster-'))
    made.push(dir)
    const file = path.join(dir, 'roster.yml')
    await writeFile(file, 'participants:\n  - id: P02\n    names: [José Ñúñez]\n')
    expect(await loadRoster(file)).toEqual({ roster: { file, participants: [{ id: 'P02', names: ['José Ñúñez'], other: [] }] }, messages: [] })
  })

  it('fails closed when its file cannot be read, and says how the roster was given', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'fieldnotes-roster-'))
    made.push(dir)
    const file = path.join(dir, 'missing.yml')
    const { roster, messages } = await loadRoster(file)
    expect(roster).toBeUndefined()
    expect(messages).toEqual([
      {
        file,
        line: 1,
        column: 1,
        severity: 'error',
        ruleId: 'content-readable',
        reason: `Cannot read the private roster: ENOENT: no such file or directory, open '${file}'`,
        hint: 'Check the path given with --private-roster or FIELDNOTES_PRIVATE_ROSTER.',
      },
    ])
  })
})

describe('matching roster strings', () => {
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

  it('keeps matching whole words, and mapping each match back to where it was written', () => {
    const matcher = createMatcher([{ id: 'P01', names: ['Jane Doe', 'José Núñez'], other: ['Flat 12'] }])
    const found = (text: string, mode?: 'markdown' | 'path') => matcher.find(text, mode).map((m) => text.slice(m.start, m.end))
    expect(found('mailto:J%4Fs%C3%A9%20N%C3%BA%C3%B1ez%40example.org')).toEqual(['J%4Fs%C3%A9%20N%C3%BA%C3%B1ez'])
    expect(found('Jane Doe in 𝐉𝐚𝐧𝐞 𝐃𝐨𝐞, ꓙane Ꭰoe and Jαne Dοe')).toEqual(['Jane Doe', '𝐉𝐚𝐧𝐞 𝐃𝐨𝐞', 'ꓙane Ꭰoe', 'Jαne Dοe'])
    expect(found('Ｊａｎｅ Ｄｏｅ and Jａne Dｏe')).toEqual(['Ｊａｎｅ Ｄｏｅ', 'Jａne Dｏe'])
    expect(found('JANE\u2060DOE, Jane\u00a0Doe and Jane\u202e Doe')).toEqual(['JANE\u2060DOE', 'Jane\u00a0Doe', 'Jane\u202e Doe'])
    expect(found('As J_a_n_e Doe, __Jane__ Doe and Jane\\_Doe', 'markdown')).toEqual(['Jane__ Doe', 'Jane\\_Doe'])
    expect(found('Flat 12, Flat 123, Flat 12b and flat-12')).toEqual(['Flat 12', 'flat-12'])
    // A name may run on into digits, as in an e-mail address.
    expect(found('jane.doe2@example.org and jose.nunez1990')).toEqual(['jane.doe', 'jose.nunez'])
    expect(found('Janet Doe, Jane Doesburg, janedoes, 100%, %zz Jane %E2%82 Doe')).toEqual([])
  })

  it('says whose string each match is, which string, and where it is, in the order of the text', () => {
    const matcher = createMatcher([
      { id: 'P01', names: ['Jane', 'Jane Doe'], other: ['Doe family'] },
      { id: 'P02', names: ['Ahmed'], other: [] },
    ])
    expect(matcher.find('Ahmed met Jane Doe, then Jane, then the Doe family.')).toEqual([
      { id: 'P02', kind: 'name', secret: 'Ahmed', start: 0, end: 5 },
      { id: 'P01', kind: 'name', secret: 'Jane Doe', start: 10, end: 18 },
      { id: 'P01', kind: 'name', secret: 'Jane', start: 25, end: 29 },
      { id: 'P01', kind: 'other', secret: 'Doe family', start: 40, end: 50 },
    ])
    // The longest string wins a place; a shorter one is still found beside it.
    expect(matcher.find('Jane Doe family')).toEqual([
      { id: 'P01', kind: 'name', secret: 'Jane', start: 0, end: 4 },
      { id: 'P01', kind: 'other', secret: 'Doe family', start: 5, end: 15 },
    ])
  })

  it('finds a name of several words written as one, unless joining its words makes a short, ordinary word', () => {
    const entries = [{ id: 'P01', names: ['Jane Doe', 'Ann Lee', 'Ann Ex'], other: [] }]
    expect(covered(entries, 'JaneDoe, annlee@example.org, the annex, and Ann Ex.')).toEqual(['JaneDoe', 'annlee', 'Ann Ex'])
  })

  it('matches a label only as written, bounded by any letter or digit, and never joined', () => {
    const text = 'P05 p05 P050 XP05 P05a Ｐ０５ TeamA TeamA2 TeamAB teama TeamA. SiteB1 Site-B1 siteb1 Ops_ ops'
    // A label may end in `_` or `-`, which reads as a space like any separator at the end of a roster string.
    const matches = createMatcher([], ['P05', 'TeamA', 'Site_B1', 'Ops_']).find(text)
    expect(matches.map((m) => `${text.slice(m.start, m.end)} ${m.kind} ${m.id} ${m.secret}`)).toEqual([
      'P05 label P05 P05',
      'Ｐ０５ label P05 P05',
      'TeamA label TeamA TeamA',
      'TeamA label TeamA TeamA',
      'Site-B1 label Site_B1 Site_B1',
      'Ops label Ops_ Ops_',
    ])
  })

  it('finds nothing for a roster string that reads as nothing, and ignores separators around one', () => {
    expect(covered([{ id: 'P01', names: ['--', '\u200b\u200b'], other: ['..'] }], 'a -- b \u200b\u200b c .. d')).toEqual([])
    expect(covered([{ id: 'P01', names: ['Jane Doe.', '-Kim-'], other: [] }], 'Jane Doe said, and Kim agreed')).toEqual(['Jane Doe', 'Kim'])
  })

  it('in text read out of a binary file, finds a name of up to three letters only as written', () => {
    // The roster's `Zoë` is decomposed, as some systems write it.
    const entries = [{ id: 'P01', names: ['Kim', 'Zoe\u0308', 'Jane'], other: [] }]
    const text = 'Kím Kim K\u00adim Zoë Zoe Zöe Jáne'
    expect(covered(entries, text, 'binary')).toEqual(['Kim', 'K\u00adim', 'Zoë', 'Zoe', 'Jáne'])
    expect(covered(entries, text, 'text')).toEqual(['Kím', 'Kim', 'K\u00adim', 'Zoë', 'Zoe', 'Zöe', 'Jáne'])
  })

  it('masks a secret to its first letter and its length', () => {
    expect(maskSecret('Jane')).toBe('J*** (4 letters)')
    expect(maskSecret('Jane Doe')).toBe('J******* (8 characters)')
    expect(maskSecret('José')).toBe('J*** (4 letters)')
    expect(maskSecret(' Kim ')).toBe('K** (3 letters)')
    expect(maskSecret('𝐉ane')).toBe('𝐉*** (4 letters)')
    expect(maskSecret("O'Brien")).toBe('O****** (7 characters)')
  })

  it('looks for names in time linear in the length of the text, whatever the text', () => {
    const matcher = createMatcher([{ id: 'P01', names: ['Jane Doe'], other: [] }])
    // Timed against ordinary prose of the same length, so that a slow or busy machine (or a mutation run) does not
    // matter: at these lengths, a path that is not linear is hundreds of times slower, not a few.
    const cost = (text: string) => {
      let best = Infinity
      for (let run = 0; run < 3; run++) {
        const started = performance.now()
        matcher.find(text, 'markdown')
        best = Math.min(best, performance.now() - started)
      }
      return best
    }
    const prose = (length: number) => 'We talked about reviews. '.repeat(Math.ceil(length / 25)).slice(0, length)
    const hostile = ['%25'.repeat(20_000), '%2525252525'.repeat(5_000), '&#x'.repeat(20_000), '\u0301'.repeat(20_000), '<'.repeat(20_000), '%E2%82'.repeat(10_000)]
    for (const text of hostile) {
      expect(matcher.find(text, 'markdown')).toEqual([])
      expect(cost(text)).toBeLessThan(20 * cost(prose(text.length)) + 50)
    }
    const names = 'Jane Doe, '.repeat(20_000)
    expect(matcher.find(names)).toHaveLength(20_000)
    expect(cost(names)).toBeLessThan(20 * cost(prose(names.length)) + 50)
  })
})

const rosterEntries: RosterEntry[] = [
  { id: 'P01', names: ['Jane Doe', 'Janey'], other: ['Riverside Hub team'] },
  { id: 'P03', names: ['Grace Hopper'], other: [] },
  // Not in participants.yml: checked all the same.
  { id: 'P09', names: ['Ahmed Khan'], other: [] },
]
const participantsText = 'participants:\n  - id: P01\n    role: Maintainer\n    consent: anonymous\n  - id: P03\n    role: Advisor\n    consent: named\n    name: Grace Hopper\n'
const registry = readParticipants('content/participants.yml', participantsText).registry!
const file = (name: string, text: string) => ({ path: name, display: `content/${name}`, text })
const shown = (messages: Message[]) => messages.map((m) => `${m.file}:${m.line}:${m.column} ${m.severity} ${m.ruleId} ${m.reason} | ${m.hint}`)
const rename = "Rename the file (and the links to it), using the participant's label or a neutral word."
const reword = (id: string) => `Refer to the participant by their label (${id}) or role, and word the passage so that they cannot be recognised.`

describe('the guard on the content', () => {
  it('reports each roster string in chapters, report.yml and participants.yml at its place, saying whose it is but not what', () => {
    const sources: ProjectSources = {
      report: file('report.yml', 'title: Notes\nacknowledgements: the Riverside Hub team\n'),
      participants: file('participants.yml', `${participantsText}  - id: P04\n    role: Janey's manager\n    consent: anonymous\n`),
      markdown: [file('index.md', '# Notes\n\nAs **Jane** Doe said,\n> and Ahmed\n> Khan agreed.\n'), file('themes/hubs.md', 'Grace Hopper, named, helped.\n')],
      messages: [],
    }
    const messages = scanContent(sources, { file: 'roster.yml', participants: rosterEntries }, registry)
    expect(shown(messages)).toEqual([
      `content/index.md:3:6 error private-name-absent A real name of P01 from the private roster, J******* (8 characters), appears here | ${reword('P01')}`,
      `content/index.md:4:7 error private-name-absent A real name of P09 from the private roster, A********* (10 characters), appears here | ${reword('P09')}`,
      `content/report.yml:2:23 error private-name-absent An identifying detail of P01 from the private roster, R***************** (18 characters), appears here | ${reword('P01')}`,
      `content/participants.yml:10:11 error private-name-absent A real name of P01 from the private roster, J**** (5 letters), appears here | ${reword('P01')}`,
    ])
    expect(JSON.stringify(messages)).not.toMatch(/jane|doe|riverside|ahmed|khan/i)
  })

  it('reports a roster string in the name of any file in the content folder, published or not', () => {
    const sources: ProjectSources = {
      report: file('report.yml', 'title: Notes\n'),
      participants: undefined,
      markdown: [file('people/jane-doe.md', '# Notes\n')],
      assets: [
        { path: 'img/riverside_hub_team.png', display: 'content/img/riverside_hub_team.png' },
        { path: 'img/hub.png', display: 'content/img/hub.png' },
      ],
      messages: [],
    }
    expect(shown(scanContent(sources, { file: 'roster.yml', participants: rosterEntries }, registry))).toEqual([
      `content/people/jane-doe.md:1:1 error private-name-absent The file's name contains a real name of P01 from the private roster, J******* (8 characters) | ${rename}`,
      `content/img/riverside_hub_team.png:1:1 error private-name-absent The file's name contains an identifying detail of P01 from the private roster, R***************** (18 characters) | ${rename}`,
    ])
  })

  it('checks every participant of the roster when there is no participants.yml, and no one who agreed to be named when there is', () => {
    const sources: ProjectSources = { report: undefined, participants: undefined, markdown: [file('index.md', 'Thanks to Grace Hopper and Janey.\n')], messages: [] }
    const roster = { file: 'roster.yml', participants: rosterEntries }
    expect(scanContent(sources, roster, undefined).map((m) => `${m.line}:${m.column} ${m.reason.slice(0, 18)}`)).toEqual(['1:11 A real name of P03', '1:28 A real name of P01'])
    expect(scanContent(sources, roster, registry).map((m) => `${m.line}:${m.column} ${m.reason.slice(0, 18)}`)).toEqual(['1:28 A real name of P01'])
  })

  it('reads YAML files as text: a character reference there is shown as written, not as the letter it stands for', () => {
    const sources: ProjectSources = { report: file('report.yml', 'title: Notes by J&#97;ne Doe\n'), participants: undefined, markdown: [], messages: [] }
    expect(scanContent(sources, { file: 'roster.yml', participants: rosterEntries }, registry)).toEqual([])
  })

  it('finds a name in report.yml through the emphasis marks a title is published with', () => {
    const sources: ProjectSources = { report: file('report.yml', 'title: Notes by **Jane** Doe\n'), participants: undefined, markdown: [], messages: [] }
    expect(scanContent(sources, { file: 'roster.yml', participants: rosterEntries }, registry).map((m) => `${m.file}:${m.line}:${m.column} ${m.ruleId}`)).toEqual([
      'content/report.yml:1:19 private-name-absent',
    ])
  })

  it('reads chapters as markdown, so that emphasis and character references do not hide a name', () => {
    const sources: ProjectSources = { report: undefined, participants: undefined, markdown: [file('index.md', 'As **Jane** Doe and Ahmed K&#104;an said.\n')], messages: [] }
    expect(scanContent(sources, { file: 'roster.yml', participants: rosterEntries }, registry).map((m) => `${m.line}:${m.column}`)).toEqual(['1:6', '1:21'])
  })
})
