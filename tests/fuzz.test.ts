// Property-based tests: fast-check writes random reports (markdown made of
// every construct we read, some of it broken, with front matter, report.yml
// and participants.yml) and the build must either succeed or report positioned
// messages: never throw, never report a failure of its own (`internal-error`),
// and never write anything when it reports an error.
//
// FUZZ_RUNS sets the number of reports for the pure pipeline (default 1,000),
// FUZZ_BUILD_RUNS the number through the real build and writer (default 25).

import { readdir, readFile } from 'node:fs/promises'
import path from 'node:path'
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { build } from '../src/build.js'
import { isFailing } from '../src/messages.js'
import { rules, type RuleId } from '../src/rules.js'
import { buildInMemory, tempDir, writeFiles } from './helpers.js'

// A fixed seed keeps CI repeatable; set FUZZ_SEED to explore other inputs.
const seed = Number(process.env['FUZZ_SEED'] ?? 20261126)

const runs = Number(process.env['FUZZ_RUNS'] ?? 1000)
const buildRuns = Number(process.env['FUZZ_BUILD_RUNS'] ?? 25)

const ids = ['slow-review', 'few-key-people', 'r-rota', 'Slow-Review', 'caf\u00e9', 'cafe\u0301', 'bad id', '"><x', 'x'.repeat(80)]
const labels = ['P01', 'P02', 'P03', 'P7', 'P99', 'a published interview', '<b>P01</b>']
const urls = [
  'https://example.org',
  'methods.md',
  'methods.md#sampling',
  '#slow-review',
  '#r-rota',
  '#missing',
  '../../etc/passwd',
  '/abs',
  'javascript:alert(1)',
  'data:image/png;base64,iVBORw0KGgo=',
  'data:image/svg+xml,<svg onload=alert(1)>',
  'mailto:a@example.org',
  'img/missing.png',
  '%2e%2e/x',
  '',
]
const rawHtml = ['<b onclick="x()">b</b>', '<script>alert(1)</script>', '<div>', '</div>', '<img src=x onerror=alert(1)>', '<!-- note -->', '<details><summary>s</summary>d</details>', '<iframe src="x">', '<span>']

const word = fc.oneof(
  fc.constantFrom('review', 'Maintainers', 'queue', 'café', 'naïve', '漢字', '—', '*', '_', '`', '\\', '[', ']', '<', '>', '&amp;', '{', '}', ':', '::', '#', '|', '~~', '$'),
  fc.string({ unit: 'grapheme', maxLength: 8 }),
)
const line = fc.array(word, { minLength: 1, maxLength: 8 }).map((w) => w.join(' '))
const inline = fc.oneof(
  line,
  fc.tuple(line, fc.constantFrom(...urls)).map(([t, u]) => `[${t}](${u})`),
  fc.constantFrom(...urls).map((u) => `[](${u})`),
  fc.tuple(line, fc.constantFrom(...urls)).map(([t, u]) => `![${t}](${u})`),
  fc.constantFrom(...rawHtml),
  line.map((t) => `\`${t}\``),
  line.map((t) => `**${t}**`),
)
const paragraph = fc.array(inline, { minLength: 1, maxLength: 4 }).map((parts) => parts.join(' '))

const block: fc.Arbitrary<string> = fc.letrec<{ block: string }>((tie) => ({
  block: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    paragraph,
    fc.tuple(fc.integer({ min: 1, max: 7 }), line).map(([depth, text]) => `${'#'.repeat(depth)} ${text}`),
    fc.tuple(paragraph, fc.constantFrom(...labels), fc.boolean()).map(([text, who, para]) => `> ${text}\n> — ${who}${para ? ' (paraphrased)' : ''}`),
    fc.tuple(fc.integer({ min: 1, max: 6 }), paragraph).map(([depth, text]) => `${'> '.repeat(depth)}${text}`),
    fc.array(fc.tuple(fc.integer({ min: 0, max: 4 }), paragraph), { minLength: 1, maxLength: 5 }).map((items) => items.map(([depth, t]) => `${'  '.repeat(depth)}- ${t}`).join('\n')),
    fc.tuple(fc.constantFrom(...ids), line, fc.array(tie('block'), { maxLength: 3 }), fc.boolean()).map(
      ([id, title, body, closed]) => `:::finding{#${id}}\n## ${title}\n\n${body.join('\n\n')}\n${closed ? ':::' : ''}`,
    ),
    fc.tuple(fc.constantFrom(...ids), fc.subarray(ids), line, fc.constantFrom('short', 'long ongoing', 'soon', ''), line).map(
      ([id, addresses, audience, horizon, title]) =>
        `:::recommendation{#${id} addresses="${addresses.join(' ')}" audience='${audience.replace(/'/g, '')}' horizon="${horizon}"}\n## ${title}\n\nDo it.\n:::`,
    ),
    fc.tuple(fc.constantFrom('note', 'tip', 'important', 'warning', 'unknown'), paragraph).map(([kind, text]) => `:::${kind}\n${text}\n:::`),
    fc.tuple(fc.constantFrom('', 'js', 'html'), line).map(([lang, code]) => `\`\`\`${lang}\n${code}\n\`\`\``),
    fc.tuple(line, line).map(([a, b]) => `| ${a} | ${b} |\n|---|---|\n| ${b} | ${a} |`),
    line.map((t) => `Claim.[^n]\n\n[^n]: ${t}`),
    fc.constantFrom(...rawHtml),
  ),
})).block

const frontMatter = fc.oneof(
  fc.constant(''),
  fc.tuple(line, line).map(([title, description]) => `---\ntitle: ${JSON.stringify(title)}\ndescription: ${JSON.stringify(description)}\n---\n`),
  fc.constantFrom('---\ntitle: a: b\n---\n', '---\ntitle: A\ntitle: B\n---\n', '---\ntitle: [1]\n---\n', '---\nunknown: 1\n---\n', '---\n\u0000\n---\n', '---\n'),
)

const chapter = fc
  .tuple(frontMatter, fc.option(line, { nil: undefined }), fc.array(block, { maxLength: 8 }), fc.constantFrom('\n', '\r\n', '\r'), fc.boolean())
  .map(([front, title, blocks, eol, bom]) => `${bom ? '\uFEFF' : ''}${front}${title === undefined ? '' : `# ${title}\n\n`}${blocks.join('\n\n')}\n`.replace(/\r?\n/g, eol))

const reportYml = fc.oneof(
  fc.constant(undefined),
  fc.constant('title: Fuzzed\ndate: 2025-02-03\n'),
  fc.constant('title: Fuzzed\ntoc:\n  - file: index.md\n  - file: missing.md\n'),
  fc.constantFrom('title: [broken', 'title: A\ntitle: B\n', 'date: 12\n', 'authors:\n  - name: ""\n', 'site_url: javascript:alert(1)\n', ''),
)
const participantsYml = fc.oneof(
  fc.constant(undefined),
  fc.constant('participants:\n  - id: P01\n    role: Maintainer\n    consent: anonymous\n  - id: P02\n    role: Lead\n    consent: no-quotes\n  - id: P03\n    role: Founder\n    consent: named\n    name: Ada\n'),
  fc.constantFrom('participants: 1\n', 'participants:\n  - id: P01\n    role: x\n    consent: maybe\n', ''),
)

const project = fc
  .tuple(chapter, fc.array(fc.tuple(fc.constantFrom('methods.md', 'themes/a.md', 'themes/b.md', 'notes.md'), chapter), { maxLength: 3 }), reportYml, participantsYml)
  .map(([index, others, report, participants]) => {
    const files: Record<string, string> = { 'index.md': index }
    for (const [name, text] of others) files[name] = text
    if (report !== undefined) files['report.yml'] = report
    if (participants !== undefined) files['participants.yml'] = participants
    return files
  })

const known = new Set(Object.keys(rules))

describe('random reports', () => {
  it(`never throw and report only well-formed messages, in the pure pipeline (${runs} reports)`, () => {
    let failing = 0
    fc.assert(
      fc.property(project, (files) => {
        const site = buildInMemory(files)
        for (const m of site.messages) {
          expect(known.has(m.ruleId), m.ruleId).toBe(true)
          expect(m.severity).toBe(rules[m.ruleId as RuleId])
          expect(m.file).toMatch(/^content\/.+|^dist\//)
          expect(m.line).toBeGreaterThanOrEqual(1)
          expect(m.column).toBeGreaterThanOrEqual(1)
          expect(m.reason.length).toBeGreaterThan(0)
        }
        expect(site.messages.filter((m) => m.ruleId === 'internal-error')).toEqual([])
        if (isFailing(site.messages, false)) failing++
        else expect(site.files.has('index.html')).toBe(true)
      }),
      { numRuns: runs, seed },
    )
    // The generator is useful only if it makes both kinds of report.
    expect(failing).toBeGreaterThan(runs / 20)
    expect(failing).toBeLessThan(runs)
  }, 600_000)

  it(`write a complete site or nothing at all through the real build (${buildRuns} reports)`, async () => {
    const dir = await tempDir()
    const out = path.join(dir, 'dist')
    let previous: Map<string, string> | undefined
    let written = 0
    await fc.assert(
      fc.asyncProperty(project, async (files) => {
        const content = await tempDir()
        await writeFiles(content, files)
        const result = await build({ contentDir: content, outDir: out })
        expect(result.messages.filter((m) => m.ruleId === 'internal-error')).toEqual([])
        expect(result.written).toBe(!isFailing(result.messages, false))
        const now = await manifest(out)
        if (result.written) {
          written++
          expect(now.has('index.html')).toBe(true)
          previous = now
        } else {
          // Nothing changed: the previous site, byte for byte, or still no site at all.
          expect(now).toEqual(previous ?? new Map())
        }
      }),
      { numRuns: buildRuns, seed },
    )
    expect(written).toBeGreaterThan(0)
  }, 600_000)
})

async function manifest(dir: string): Promise<Map<string, string>> {
  const files = new Map<string, string>()
  // No output folder is no site; any other failure to read it is a failure of the test.
  const entries = await readdir(dir, { recursive: true, withFileTypes: true }).catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'ENOENT') return []
    throw error
  })
  for (const entry of entries) {
    if (!entry.isFile()) continue
    const full = path.join(entry.parentPath, entry.name)
    files.set(path.relative(dir, full), (await readFile(full)).toString('base64'))
  }
  return files
}
