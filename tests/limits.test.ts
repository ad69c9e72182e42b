// Content built to stall the build: each case here ran for minutes, or until
// it was killed, from a few kilobytes. Each must now end with a site or with an
// error at its place that says how to fix it, and the work must stay bounded:
// by a limit that is reached (and reported), or by a count of the work done at
// n and at 2n that grows with n, not n². Nothing here is timed.

import { mkdir, writeFile } from 'node:fs/promises'
import path from 'node:path'
import { describe, expect, it, vi } from 'vitest'
import { build } from '../src/build.js'
import { macroAllowance } from '../src/cite/bibtex.js'
import { maxTextLength } from '../src/config/report.js'
import { maxYamlLength } from '../src/config/yaml.js'
import { maxFileBytes } from '../src/load/files.js'
import { maxChapterLength, maxNestingDepth } from '../src/markdown/limits.js'
import type { Message } from '../src/messages.js'
import { maxIncludeDepth, maxIncludes } from '../src/myst/include.js'
import { fragmentReadings } from '../src/myst/parse.js'
import { linkTextLength } from '../src/site/resolve.js'
import { buildInMemory, selectAll, tempDir, text, where } from './helpers.js'
import { arrayWork } from './work.js'

const myst = 'version: 1\nproject:\n  title: Stalls\n'

// Every "did you mean" comparison, counted.
const comparisons = vi.hoisted(() => ({ count: 0 }))
vi.mock('fastest-levenshtein', async (original) => {
  const module = await original<typeof import('fastest-levenshtein')>()
  return { ...module, distance: (a: string, b: string) => (comparisons.count++, module.distance(a, b)) }
})

/** Total characters of every page and file the site would have. */
const siteSize = (site: { files: Map<string, string> }) => [...site.files.values()].reduce((sum, html) => sum + html.length, 0)

/** The messages of one rule, each with its place, and each with a hint. */
function reported(messages: readonly Message[], rule: string): string[] {
  const found = messages.filter((m) => m.ruleId === rule)
  for (const m of found) expect(m.hint, `${m.file}:${m.line}:${m.column}`).toMatch(/\w/)
  return where(found)
}

describe('content built to stall the build', () => {
  it('stops MyST includes that include the same file twice at each of 20 levels', () => {
    // 2^20 includes of a file a few bytes long, from a project of about 2 KB.
    const files: Record<string, string> = { 'myst.yml': myst, 'index.md': '# Home\n\n```{include} l0.md\n```\n' }
    for (let i = 0; i < 20; i++) files[`l${i}.md`] = `Level ${i}.\n\n\`\`\`{include} l${i + 1}.md\n\`\`\`\n\n\`\`\`{include} l${i + 1}.md\n\`\`\`\n`
    files['l20.md'] = 'Leaf.\n'
    expect(Object.values(files).join('').length).toBeLessThan(2500)
    const site = buildInMemory({ ...files, 'myst.yml': `${myst}  toc:\n    - file: index.md\n` })
    // Ten files deep, and at most 200 includes in the page: each said once, at the include that crossed it.
    expect(reported(site.messages, 'nesting-depth-within-limit')).toEqual(['content/l8.md:3:14 nesting-depth-within-limit', 'content/l8.md:6:14 nesting-depth-within-limit'])
    expect(reported(site.messages, 'content-size-within-limit')).toHaveLength(1)
    expect(site.messages.find((m) => m.ruleId === 'content-size-within-limit')?.reason).toContain(`at most ${maxIncludes}`)
    // Bounded work: the page holds at most one text per include made.
    const page = text(site.page('index.html'), 'main')
    expect(page.split('Level ').length - 1).toBeLessThanOrEqual(maxIncludes)
    expect(maxIncludeDepth).toBe(10)
  })

  it('reads `[` followed by 100,000 `@a ` in time that grows with the text', () => {
    const chapter = (n: number) => `# Home\n\n[${'@a '.repeat(n)}\n`
    const big = buildInMemory({ 'index.md': chapter(100_000) })
    expect(big.messages).toEqual([])
    expect(text(big.page('index.html'), '.prose p').length).toBeGreaterThan(290_000)
    // Counted work at n and 2n: about twice, not four times.
    const work = [10_000, 20_000].map((n) => arrayWork(() => buildInMemory({ 'index.md': chapter(n) })))
    expect(work[1]!).toBeLessThan(2.5 * work[0]!)
  }, 120_000)

  it('refuses BibTeX `@string` macros that double at each of 25 steps', () => {
    let bib = '@string{m0 = "ab"}\n'
    for (let i = 1; i <= 25; i++) bib += `@string{m${i} = m${i - 1} # m${i - 1}}\n`
    bib += '@article{k, title = m25, author = {A}, year = 2020}\n'
    expect(bib.length).toBeLessThan(1024)
    const site = buildInMemory({ 'index.md': '# Home\n\n[@k]\n', 'references.bib': bib })
    expect(reported(site.messages, 'content-size-within-limit')).toEqual(['content/references.bib:27:1 content-size-within-limit'])
    expect(site.messages.find((m) => m.ruleId === 'content-size-within-limit')?.reason).toContain('67,108,865 characters')
    // The 67-million-character title is never formatted or shown.
    expect(siteSize(site)).toBeLessThan(1_000_000)
  })

  it('reads macros that expand within twice the file, and refuses a .bib past its size limit', () => {
    const used = `@string{jor = "Journal of Open Research"}\n${Array.from({ length: 50 }, (_, i) => `@article{a${i}, title = {T${i}}, author = {A}, journal = jor, year = 2020}\n`).join('')}`
    const fine = buildInMemory({ 'index.md': '# Home\n\n[@a1]\n', 'references.bib': used })
    expect(fine.messages.filter((m) => m.severity !== 'info')).toEqual([])
    const long = buildInMemory({ 'index.md': '# Home\n', 'references.bib': `@string{a = "${'x'.repeat(macroAllowance)}"}\n@misc{k, title = a # a # a # a}\n` })
    expect(reported(long.messages, 'content-size-within-limit')).toEqual(['content/references.bib:2:1 content-size-within-limit'])
    const huge = buildInMemory({ 'index.md': '# Home\n', 'references.bib': `@misc{k, note = {${'x'.repeat(9 * 1024 * 1024)}}}\n` })
    expect(reported(huge.messages, 'content-size-within-limit')).toEqual(['content/references.bib:1:1 content-size-within-limit'])
  })

  it('counts the quotes nested 20,000 deep inside a MyST directive fence, which holds markdown', () => {
    const site = buildInMemory({ 'myst.yml': myst, 'index.md': `# Home\n\n\`\`\`{note}\n${'>'.repeat(20_000)} deep\n\`\`\`\n` })
    // One level for the fence, so the limit is crossed at the 100th `>`.
    expect(reported(site.messages, 'nesting-depth-within-limit')).toEqual(['content/index.md:4:100 nesting-depth-within-limit'])
    expect(site.messages.filter((m) => m.ruleId === 'internal-error')).toEqual([])
    // Colon fences, and fences inside fences, count the same way; code fences still do not.
    const colons = buildInMemory({ 'myst.yml': myst, 'index.md': `# Home\n\n:::{note}\n\`\`\`\`{tip}\n${'> '.repeat(maxNestingDepth - 1)}x\n\`\`\`\`\n:::\n` })
    expect(reported(colons.messages, 'nesting-depth-within-limit')).toEqual(['content/index.md:5:197 nesting-depth-within-limit'])
    const code = buildInMemory({ 'myst.yml': myst, 'index.md': `# Home\n\n\`\`\`text\n${'> '.repeat(500)}x\n\`\`\`\n` })
    expect(code.messages).toEqual([])
  })

  it('refuses a 20 MB file reached through an include, at the include', () => {
    const big = 'Contributors described how review queues grew.\n'.repeat(Math.ceil((20 * 1024 * 1024) / 48))
    const site = buildInMemory({
      'myst.yml': `${myst}  toc:\n    - file: index.md\n`,
      'index.md': '# Home\n\n```{include} big.md\n```\n',
      'big.md': big,
    })
    expect(reported(site.messages, 'content-size-within-limit')).toEqual(['content/index.md:3:14 content-size-within-limit'])
    expect(siteSize(site)).toBeLessThan(1_000_000)
  })

  it('holds a page and what it includes to the chapter size, counting a file included twice twice', () => {
    const half = `${'Words of a long appendix.\n'.repeat(Math.ceil(maxChapterLength / 2 / 26))}`
    const site = buildInMemory({
      'myst.yml': `${myst}  toc:\n    - file: index.md\n`,
      'index.md': '# Home\n\n```{include} half.md\n```\n\n```{include} half.md\n```\n',
      'half.md': half,
    })
    expect(reported(site.messages, 'content-size-within-limit')).toEqual(['content/index.md:6:14 content-size-within-limit'])
  })

  it('reads the bodies of nested directives a few times over, not once per level', () => {
    // Each level of nesting reads the body again: 80 levels around 100 KB would be 8 MB of parsing.
    const levels = 80
    const open = Array.from({ length: levels }, (_, i) => `${'`'.repeat(3 + levels - i)}{note}\n`).join('')
    const close = Array.from({ length: levels }, (_, i) => `${'`'.repeat(4 + i)}\n`).join('')
    const site = buildInMemory({ 'myst.yml': myst, 'index.md': `# Home\n\n${open}${'Words of the innermost note.\n\n'.repeat(3500)}${close}` })
    expect(reported(site.messages, 'nesting-depth-within-limit')).toEqual(['content/index.md:10:1 nesting-depth-within-limit'])
    expect(site.messages[0]!.reason).toContain(`more than ${fragmentReadings} times the text`)
    // Three levels around the same text are read whole.
    const three = buildInMemory({ 'myst.yml': myst, 'index.md': `# Home\n\n\`\`\`\`\`{note}\n\`\`\`\`{tip}\n\`\`\`{important}\n${'Words.\n\n'.repeat(3500)}\`\`\`\n\`\`\`\`\n\`\`\`\`\`\n` })
    expect(three.messages).toEqual([])
  })

  it('adds what an included file nests to where it is included', () => {
    const deep = (levels: number) => `${'> '.repeat(levels)}x\n`
    const site = buildInMemory({
      'myst.yml': `${myst}  toc:\n    - file: index.md\n`,
      'index.md': `# Home\n\n${deep(60)}\n\`\`\`{include} inner.md\n\`\`\`\n`,
      'inner.md': `Intro.\n\n${deep(50)}`,
    })
    expect(reported(site.messages, 'nesting-depth-within-limit')).toEqual(['content/inner.md:3:81 nesting-depth-within-limit'])
    expect(site.messages[0]!.reason).toContain('counting the 60 of the files that include it')
  })

  it('refuses 30 MB of YAML at the line past the limit, and text values too long to repeat on every page', () => {
    const site = buildInMemory({ 'report.yml': `title: "${'x'.repeat(30 * 1024 * 1024)}"\n`, 'index.md': '# Home\n' })
    expect(reported(site.messages, 'content-size-within-limit')).toEqual(['content/report.yml:1:1 content-size-within-limit'])
    expect(site.messages[0]!.reason).toContain(`at most ${(maxYamlLength / 1_000_000).toFixed(1)} million`)
    expect(siteSize(site)).toBeLessThan(1_000_000)
    // The rest of the 30 MB never reaches a page; a long title is refused at its value.
    const long = buildInMemory({ 'report.yml': `date: 2025-01-01\ntitle: ${'x'.repeat(maxTextLength + 1)}\n`, 'index.md': '# Home\n' })
    expect(where(long.messages)).toEqual(['content/report.yml:2:8 value-type-valid'])
    expect(long.messages[0]!.hint).toBe(`Shorten it to at most ${maxTextLength.toLocaleString('en')} characters: it is shown on many pages.`)
    const participants = buildInMemory({ 'participants.yml': `participants:\n  - id: P01\n    role: ${'r'.repeat(maxTextLength + 1)}\n    consent: anonymous\n`, 'index.md': '# Home\n' })
    expect(where(participants.messages)).toEqual(['content/participants.yml:3:11 value-type-valid'])
  })

  it('renders 20,000 footnotes, with work that grows with their number', () => {
    const chapter = (n: number) => {
      let body = '# Home\n\n'
      for (let i = 0; i < n; i++) body += `Claim ${i}.[^n${i}]\n\n`
      for (let i = 0; i < n; i++) body += `[^n${i}]: Note ${i}.\n\n`
      return body
    }
    const site = buildInMemory({ 'index.md': chapter(20_000) })
    expect(site.messages).toEqual([])
    const notes = selectAll('section[data-footnotes] li', site.page('index.html'))
    expect(notes).toHaveLength(20_000)
    expect(text(site.page('index.html'), 'p:nth-of-type(20000) sup')).toBe('20000')
    const work = [1000, 2000].map((n) => arrayWork(() => buildInMemory({ 'index.md': chapter(n) })))
    expect(work[1]!).toBeLessThan(2.5 * work[0]!)
  }, 180_000)
})

describe('other content that grew work faster than itself', () => {
  it('shows at most four cells of a table for each one written', () => {
    const wide = `# Home\n\n${'|a'.repeat(5000)}|\n${'|-'.repeat(5000)}|\n${'x\n'.repeat(5000)}`
    const site = buildInMemory({ 'index.md': wide })
    expect(reported(site.messages, 'content-size-within-limit')).toEqual(['content/index.md:3:1 content-size-within-limit'])
    // 25 million cells as written; the rows kept make far fewer.
    expect(selectAll('td', site.page('index.html')).length).toBeLessThan(5 * 5000)
    const fine = buildInMemory({ 'index.md': `# Home\n\n| a | b | c |\n|---|---|---|\n| 1 |\n| 2 | 3 |\n` })
    expect(fine.messages).toEqual([])
    expect(selectAll('tbody td', fine.page('index.html'))).toHaveLength(6)
  })

  it('reads many quotes, labels, roles and citations in work that grows with their number', () => {
    const cases: Record<string, (n: number) => Record<string, string>> = {
      quotes: (n) => ({ 'index.md': `# Home\n\n${'> Waiting is hard.\n> — P01\n\n'.repeat(n)}` }),
      labels: (n) => ({ 'myst.yml': myst, 'index.md': `# Home\n\n${Array.from({ length: n }, (_, i) => `(l${i})=\nParagraph ${i}.\n\n`).join('')}` }),
      roles: (n) => ({ 'myst.yml': myst, 'index.md': `# Home\n\n${'{sub}`2` and '.repeat(n)}\n` }),
      'inline math': (n) => ({ 'myst.yml': myst, 'index.md': `# Home\n\n${'$x$ '.repeat(n)}\n` }),
      'text directives': (n) => ({ 'index.md': `# Home\n\n${'at 10:30am '.repeat(n)}\n` }),
      citations: (n) => ({ 'index.md': `# Home\n\n${'[@a] and @a, '.repeat(n)}\n`, 'references.bib': '@book{a, author = {A, B}, title = {T}, year = 2000}\n' }),
    }
    for (const [name, make] of Object.entries(cases)) {
      const work = [500, 1000].map((n) => arrayWork(() => buildInMemory(make(n))))
      expect(work[1]!, name).toBeLessThan(2.5 * work[0]!)
    }
  }, 120_000)
})

describe('text repeated on many pages', () => {
  it('cuts a long title where references repeat it, and refuses one in front matter', () => {
    const title = 'A finding with a very long title '.repeat(300)
    const site = buildInMemory({ 'index.md': `# Home\n\n:::finding{#f}\n## ${title}\n\n> Q\n> — P01\n:::\n\n${'See [](#f). '.repeat(1000)}\n` })
    const links = selectAll('.prose p a', site.page('index.html'))
    expect(links).toHaveLength(1000)
    for (const link of links.slice(0, 3)) expect(text({ type: 'root', children: [link] }, 'a').length).toBeLessThanOrEqual(linkTextLength)
    // A thousand references to a title of 10,000 characters: the page is nowhere near ten million.
    expect(site.files.get('index.html')!.length).toBeLessThan(1_000_000)
    const front = buildInMemory({ 'index.md': `---\ntitle: ${'x'.repeat(maxTextLength + 1)}\n---\n# Home\n` })
    expect(where(front.messages)).toEqual(['content/index.md:2:8 value-type-valid'])
  })

  it('suggests ids for thousands of broken references with a bounded number of comparisons', () => {
    const n = 3000
    const ids = Array.from({ length: n }, (_, i) => `:::finding{#finding-${i}}\n## F${i}\n:::\n`).join('\n')
    const refs = Array.from({ length: n }, (_, i) => `[](#findin-${i}) `).join('')
    comparisons.count = 0
    const site = buildInMemory({ 'index.md': `# Home\n\n${ids}\n${refs}\n` })
    const broken = site.messages.filter((m) => m.ruleId === 'reference-target-exists')
    expect(broken).toHaveLength(n)
    expect(broken[7]!.hint).toBe('Did you mean `finding-7`?')
    // Each lookup compares at most 2,000 candidates of a length a typo can reach, not all 3,000 ids.
    expect(comparisons.count).toBeLessThanOrEqual(2000 * n)
    expect(comparisons.count).toBeGreaterThan(0)
  })
})

describe('files too large to read', () => {
  it('does not read a text file past the size limit at all', async () => {
    const dir = await tempDir()
    const content = path.join(dir, 'content')
    await mkdir(content, { recursive: true })
    await writeFile(path.join(content, 'index.md'), '# Home\n')
    await writeFile(path.join(content, 'dump.md'), Buffer.alloc(maxFileBytes + 1, 0x61))
    const result = await build({ contentDir: content, outDir: path.join(dir, 'dist'), write: false, cache: false })
    expect(result.messages.map((m) => `${m.file.replace(/^.*content\//, 'content/')}:${m.line}:${m.column} ${m.ruleId}`)).toEqual(['content/dump.md:1:1 content-size-within-limit'])
  })
})
