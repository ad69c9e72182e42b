// Property test: content written to stall the build. fast-check makes
// projects of up to a megabyte from the shapes that made the build slow or
// unbounded (deep nesting of every container, long runs of the characters the
// parsers look back for, includes that double, BibTeX macros that double, huge
// YAML values, many footnotes and references, wide tables), and `check` on each
// must stay within a fixed budget of work and of output, whatever the input:
// counted, never timed. Work is the array elements the parser and renderer's
// lookups and splices go through (tests/work.ts): quadratic paths spent their
// time there, so a quadratic path that comes back shows up as a count far past
// the budget, on any machine.
//
// HOSTILE_RUNS sets the number of projects (default 30); HOSTILE_SEED another seed.

import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { rules, type RuleId } from '../src/rules.js'
import { buildInMemory } from './helpers.js'
import { arrayWork } from './work.js'

const seed = Number(process.env['HOSTILE_SEED'] ?? 20261130)
const runs = Number(process.env['HOSTILE_RUNS'] ?? 30)

/** The largest project made, in characters. */
const maxInput = 1024 * 1024

// The budgets, fixed for every input up to a megabyte. Linear paths stay one or two orders of magnitude below
// them; the quadratic ones this test was written against went past them from a few hundred kilobytes.
const workBudget = 1_000_000_000
const outputBudget = 400 * 1024 * 1024
const messageBudget = 200_000
const messageTextBudget = 64 * 1024 * 1024

const myst = 'version: 1\nproject:\n  title: Hostile\n'

/** `unit` repeated to fill about `size` characters. */
const fill = (unit: string, size: number) => unit.repeat(Math.max(1, Math.floor(size / unit.length)))

// Most projects are small, so that many shapes are tried; about one in five is up to a megabyte.
const size = fc.oneof({ weight: 4, arbitrary: fc.integer({ min: 16, max: 64 * 1024 }) }, { weight: 1, arbitrary: fc.integer({ min: 64 * 1024, max: maxInput - 4096 }) })
const depth = fc.integer({ min: 1, max: 30_000 })
const dialect = fc.constantFrom('report', 'myst')

/** One chapter, in our dialect or MyST's. */
const chapter = (body: string, kind: string): Record<string, string> => (kind === 'myst' ? { 'myst.yml': myst, 'index.md': `# Home\n\n${body}\n` } : { 'index.md': `# Home\n\n${body}\n` })

const nesting = fc.tuple(
  fc.constantFrom('> ', '>', '- ', '1. ', '* > ', ':::note\n', ':::{note}\n', '```{note}\n', '````{tip}\n> ', '<div>', '<span>', '*', '**', '_', '[', '![', '(', '{'),
  depth,
  size,
  dialect,
).map(([open, levels, total, kind]) => chapter(fill(`${open.repeat(Math.max(1, Math.min(levels, Math.floor(total / open.length))))}x\n\n`, total), kind))

const indented = fc.tuple(depth, size, dialect).map(([levels, total, kind]) => {
  const lines: string[] = []
  for (let i = 0, used = 0; i < levels && used < total; i++, used += 2 * i + 7) lines.push(`${'  '.repeat(i)}- item`)
  return chapter(lines.join('\n'), kind)
})

const runsOf = fc.tuple(
  fc.constantFrom('[', ']', '@', '*', '_', '`', '$', '$$', '{', '}', ':', '<', '\\', '&', '|', '!', '(', '#', '~', '^', '%', '+', '=', '-', '>', '\n'),
  fc.constantFrom('', 'a', ' ', 'a ', '\n'),
  size,
  dialect,
).map(([char, between, total, kind]) => chapter(fill(char + between, total), kind))

const patterns = fc.tuple(
  fc.constantFrom(
    '[@a ', '@a ', '[@a] ', '[see @a; @b, p. 3] ', '@a [p. 1] ', '[a]', '[a](', '[^a]', '![', '![^a]', '$a$ ', '$$a$$ ', '{sub}`x` ', '{ref}`x` ',
    '(l)=\n', '(l)=\nP.\n\n', '+++\n', '% c\n', ':::{note}\n', ':::{note}\nx\n:::\n\n', '```{note}\n', '$$\n', '> a\n\n', '> a\n> — P01\n\n', '|a', 'a:b ', ':x ',
    'www.a.b ', 'a@b.c ', 'http://a.b/ ', '<a ', '<b>x</b> ', '&amp;', '`a` ', '**a** ', '[](#x) ', '[a](b.md) ', '[a](b.md#c) ', '![a](x.png) ', 'a]\n', '[^x]: y\n',
    '[d]: /x\n', '[x][d] ', '## h\n\n', ':::finding{#f}\n## F\n:::\n\n', '{math}`\\frac{a}{b}` ', '$\\frac{', '{#x} ',
  ),
  size,
  dialect,
).map(([unit, total, kind]) => chapter(fill(unit, total), kind))

const includes = fc.tuple(fc.integer({ min: 1, max: 40 }), fc.integer({ min: 1, max: 4 }), fc.integer({ min: 0, max: 2000 })).map(([levels, fanout, length]) => {
  const files: Record<string, string> = { 'myst.yml': myst, 'index.md': '# Home\n\n```{include} l0.md\n```\n' }
  for (let i = 0; i < levels; i++) files[`l${i}.md`] = `Level ${i}. ${'x'.repeat(length)}\n\n${`\`\`\`{include} l${i + 1}.md\n\`\`\`\n\n`.repeat(fanout)}`
  files[`l${levels}.md`] = `${'> '.repeat(Math.min(length, 150))}Leaf.\n`
  return files
})

const macros = fc.tuple(fc.integer({ min: 1, max: 40 }), fc.integer({ min: 1, max: 3 })).map(([steps, fanout]) => {
  let bib = '@string{m0 = "ab"}\n'
  for (let i = 1; i <= steps; i++) bib += `@string{m${i} = ${Array.from({ length: fanout + 1 }, () => `m${i - 1}`).join(' # ')}}\n`
  bib += `@article{k, title = m${steps}, author = {A}, year = 2020}\n`
  return { 'index.md': '# Home\n\n[@k] and @k\n', 'references.bib': bib }
})

const yamlValues = fc.tuple(fc.constantFrom('report.yml', 'participants.yml', 'myst.yml', 'front'), size).map(([where, total]) => {
  const value = 'x'.repeat(total)
  if (where === 'report.yml') return { 'report.yml': `title: "${value}"\n`, 'index.md': '# Home\n' }
  if (where === 'participants.yml') return { 'participants.yml': `participants:\n  - id: P01\n    role: ${value}\n    consent: anonymous\n`, 'index.md': '# Home\n\n> Q\n> — P01\n' }
  if (where === 'myst.yml') return { 'myst.yml': `version: 1\nproject:\n  title: ${value}\n`, 'index.md': '# Home\n' }
  return { 'index.md': `---\ntitle: ${value}\n---\n# Home\n` }
})

const many = fc.tuple(fc.constantFrom('footnotes', 'definitions', 'findings', 'titles', 'headings', 'chapters', 'participants', 'entries'), size).map(([what, total]) => {
  const list = (cost: number, f: (i: number) => string) => Array.from({ length: Math.max(1, Math.floor(total / cost)) }, (_, i) => f(i)).join('')
  const n = (cost: number) => Math.max(1, Math.floor(total / cost))
  if (what === 'footnotes') return { 'index.md': `# Home\n\n${list(30, (i) => `a[^n${i}]\n\n`)}${list(30, (i) => `[^n${i}]: n\n\n`)}` }
  if (what === 'definitions') return { 'index.md': `# Home\n\n${list(40, (i) => `[d${i}]: /x\n`)}\n${list(40, (i) => `[z${i}] [d${i}] `)}` }
  if (what === 'findings') return { 'index.md': `# Home\n\n${list(80, (i) => `:::finding{#f${i}}\n## F\n\nSee [](#f${(i + 1) % n(80)}) and [](#g${i}).\n:::\n\n`)}` }
  // One long title, referred to from everywhere.
  if (what === 'titles') return { 'index.md': `# Home\n\n:::finding{#f}\n## ${'t'.repeat(total / 2)}\n:::\n\n${fill('[](#f) ', total / 2)}\n` }
  if (what === 'headings') return { 'index.md': `# Home\n\n${list(24, (i) => `## H${i % 100}\n\n[](#h${i})\n\n`)}` }
  if (what === 'chapters') {
    const files: Record<string, string> = { 'index.md': '# Home\n' }
    for (let i = 0; i < Math.min(n(60), 500); i++) files[`c${i}.md`] = `# C${i}\n\n## Intro\n\n[](#intro) [](#c${i + 1})\n`
    return files
  }
  if (what === 'participants') return { 'participants.yml': `participants:\n${fill('  - id: P01\n    role: r\n    consent: anonymous\n    name: N\n', total)}`, 'index.md': '# Home\n' }
  return { 'index.md': `# Home\n\n${list(100, (i) => `[@k${i}] [@x${i}] `)}\n`, 'references.bib': list(100, (i) => `@article{k${i}, title = {T}, author = {A${i % 10}}, year = 2020}\n`) }
})

const tables = fc.tuple(fc.integer({ min: 1, max: 100_000 }), size).map(([columns, total]) => ({
  'index.md': `# Home\n\n${'|a'.repeat(Math.min(columns, Math.floor(total / 8)))}|\n${'|-'.repeat(Math.min(columns, Math.floor(total / 8)))}|\n${fill('x\n', total / 2)}`,
}))

const project = fc.oneof(nesting, indented, runsOf, patterns, includes, macros, yamlValues, many, tables)

const known = new Set(Object.keys(rules))

describe('hostile content', () => {
  it('reads 200 KB of `$$` lines inside one paragraph within the budget of work', () => {
    // Each `$$` line asks whether the paragraph above leaves a `$$` open: answered from a running count,
    // never by reading the paragraph again, which made 240 KB of these take minutes. Kept at 200 KB, as
    // every `$$\na$$` is a formula to render; reading the paragraph again costs over 2e9 here.
    const files = chapter(fill('$$\na$$\n', 200 * 1024), 'myst')
    let site: ReturnType<typeof buildInMemory> | undefined
    const work = arrayWork(() => {
      site = buildInMemory(files)
    })
    expect(work).toBeLessThan(workBudget)
    expect(site!.messages.filter((m) => m.ruleId === 'internal-error')).toEqual([])
  })

  it('reads a megabyte of `\\begin{align}` lines with no end within the budget of work', () => {
    // Once an environment's `\\end` is known to be missing to the end of the file, a later `\\begin` does not look again.
    const files = chapter(fill('\\begin{align}\n', maxInput - 4096), 'myst')
    let site: ReturnType<typeof buildInMemory> | undefined
    const work = arrayWork(() => {
      site = buildInMemory(files)
    })
    expect(work).toBeLessThan(workBudget)
    expect(site!.messages.filter((m) => m.ruleId === 'internal-error')).toEqual([])
  })

  it(`is checked within a fixed budget of work and output (${runs} projects of up to 1 MB)`, () => {
    let largest = 0
    fc.assert(
      fc.property(project, (files) => {
        const input = Object.values(files).reduce((sum, text) => sum + text.length, 0)
        largest = Math.max(largest, input)
        expect(input).toBeLessThanOrEqual(maxInput)
        let site: ReturnType<typeof buildInMemory> | undefined
        const work = arrayWork(() => {
          site = buildInMemory(files)
        })
        const output = [...site!.files.values()].reduce((sum, text) => sum + text.length, 0)
        const messageText = site!.messages.reduce((sum, m) => sum + m.reason.length + (m.hint?.length ?? 0), 0)
        expect(work).toBeLessThan(workBudget)
        expect(output).toBeLessThan(outputBudget)
        expect(site!.messages.length).toBeLessThan(messageBudget)
        expect(messageText).toBeLessThan(messageTextBudget)
        // Ends with a site or with messages of its own: never a failure of the generator, every message placed.
        expect(site!.messages.filter((m) => m.ruleId === 'internal-error')).toEqual([])
        for (const m of site!.messages) {
          expect(known.has(m.ruleId), m.ruleId).toBe(true)
          expect(m.line).toBeGreaterThanOrEqual(1)
          expect(m.column).toBeGreaterThanOrEqual(1)
          if (m.ruleId === 'content-size-within-limit' || m.ruleId === 'nesting-depth-within-limit') expect(m.hint).toMatch(/\w/)
        }
        if (!site!.messages.some((m) => rules[m.ruleId as RuleId] === 'error')) expect(site!.files.has('index.html')).toBe(true)
      }),
      { numRuns: runs, seed },
    )
    // The generator is useful only if it reaches the sizes the budgets are for.
    expect(largest).toBeGreaterThan(maxInput / 4)
  }, 600_000)
})
