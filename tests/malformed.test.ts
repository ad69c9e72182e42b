// Broken and extreme input, one case each: every case gives a correct site or
// an error at its place, never a stack trace, a hang or a half-written site.
// Cases that depend on reading real bytes go through the real loader.

import { mkdir, readFile, stat, symlink, writeFile } from 'node:fs/promises'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { build } from '../src/build.js'
import { buildSite } from '../src/pipeline.js'
import { parseChapter } from '../src/markdown/parse.js'
import { maxChapterLength } from '../src/markdown/limits.js'
import { buildInMemory, buildProject, repoRoot, select, selectAll, tempDir, text, texts, where } from './helpers.js'

/** Build real files; when there are errors, nothing may exist where the site would be. */
async function buildFiles(files: Record<string, string | Uint8Array>) {
  const dir = await tempDir()
  const content = path.join(dir, 'content')
  const out = path.join(dir, 'dist')
  for (const [name, data] of Object.entries(files)) {
    await mkdir(path.dirname(path.join(content, name)), { recursive: true })
    await writeFile(path.join(content, name), data)
  }
  const result = await build({ contentDir: content, outDir: out })
  const exists = await stat(out).then(
    () => true,
    () => false,
  )
  expect(exists).toBe(result.written)
  return { result, out, at: where(result.messages).map((w) => w.replace(/^.*?content\//, 'content/')) }
}

const chapter = '# Home\n\n:::finding{#slow-review}\n## Reviews are slow\n\n> Waiting is hard.\n> — P01\n:::\n'
const registry = 'participants:\n  - id: P01\n    role: Maintainer\n    consent: anonymous\n'

describe('broken YAML', () => {
  it('reports invalid YAML at its line and writes nothing', async () => {
    const { result, at } = await buildFiles({ 'report.yml': 'title: Voices: what we heard\n', 'index.md': chapter })
    expect(result.written).toBe(false)
    expect(at).toEqual(['content/report.yml:1:8 yaml-valid'])
  })

  it('reports values of the wrong type at each value', () => {
    const site = buildInMemory({ 'report.yml': 'title: [1, 2]\ndate: 12\nauthors: Jane\n', 'index.md': chapter })
    expect(where(site.messages)).toEqual(['content/report.yml:1:8 value-type-valid', 'content/report.yml:2:7 value-type-valid', 'content/report.yml:3:10 value-type-valid'])
    const participants = buildInMemory({ 'participants.yml': 'participants:\n  - id: P01\n    role: 7\n    consent: maybe\n', 'index.md': chapter })
    expect(where(participants.messages).slice(0, 2)).toEqual(['content/participants.yml:3:11 value-type-valid', 'content/participants.yml:4:14 value-type-valid'])
  })

  it('reports a key written twice, in report.yml and in front matter, at the second one', () => {
    const report = buildInMemory({ 'report.yml': 'title: A\ndate: 2024-01-01\ntitle: B\n', 'index.md': chapter })
    expect(where(report.messages)).toEqual(['content/report.yml:3:1 yaml-valid'])
    expect(report.messages[0]!.hint).toContain('Each key may appear once')
    const front = buildInMemory({ 'index.md': `---\ntitle: A\ntitle: B\n---\n${chapter}` })
    expect(where(front.messages)).toEqual(['content/index.md:3:1 yaml-valid'])
  })
})

describe('encodings and line endings', () => {
  it('reads files that start with a UTF-8 byte-order mark', async () => {
    const bom = '\uFEFF'
    const { result, out } = await buildFiles({ 'report.yml': `${bom}title: With a mark\n`, 'participants.yml': `${bom}${registry}`, 'index.md': `${bom}${chapter}` })
    expect(result.messages).toEqual([])
    const html = await readFile(path.join(out, 'index.html'), 'utf8')
    expect(html).toContain('With a mark')
    expect(html).not.toContain('\uFEFF')
  })

  it('reads CRLF and CR line endings with the same lines and columns as LF', async () => {
    const lf = `${chapter}\nSee [](#nope).\n`
    for (const ending of ['\r\n', '\r']) {
      const { result, out, at } = await buildFiles({ 'participants.yml': registry.replace(/\n/g, ending), 'index.md': lf.replace(/\n/g, ending) })
      expect(at).toEqual(['content/index.md:10:5 reference-target-exists'])
      expect(result.written).toBe(false)
      const fixed = await buildFiles({ 'participants.yml': registry.replace(/\n/g, ending), 'index.md': chapter.replace(/\n/g, ending) })
      expect(fixed.result.messages).toEqual([])
      const page = await readFile(path.join(fixed.out, 'index.html'), 'utf8')
      expect(page).toContain('Reviews are slow')
      expect(page).toContain('class="participant"')
      // The build with the broken reference published nothing; the fixed one did.
      expect(await stat(out).then(() => true, () => false)).toBe(false)
      expect(fixed.result.written).toBe(true)
    }
  })

  it('reports bytes that are not UTF-8 at their line and column, and writes nothing', async () => {
    const bytes = Buffer.concat([Buffer.from('# Home\n\nCaf'), Buffer.from([0xe9]), Buffer.from(' au lait.\n')])
    const { result, at } = await buildFiles({ 'index.md': bytes })
    expect(at).toEqual(['content/index.md:3:4 content-encoding-valid'])
    expect(result.messages[0]!.reason).toContain('byte 0xe9')
    // Overlong forms and surrogates are not UTF-8 either.
    for (const bad of [[0xc0, 0xaf], [0xed, 0xa0, 0x80], [0xf5, 0x80, 0x80, 0x80]]) {
      const again = await buildFiles({ 'index.md': Buffer.concat([Buffer.from('# H\n\nx'), Buffer.from(bad)]) })
      expect(again.at).toEqual(['content/index.md:3:2 content-encoding-valid'])
    }
  })
})

describe('empty and binary files', () => {
  it('builds an empty chapter and an empty report.yml into a correct site', async () => {
    const { result, out } = await buildFiles({ 'report.yml': '', 'index.md': chapter, 'empty-notes.md': '' })
    expect(result.messages).toEqual([])
    const html = await readFile(path.join(out, 'empty-notes', 'index.html'), 'utf8')
    expect(html).toContain('<h1>Empty notes</h1>')
  })

  it('reports an empty participants.yml at its start', () => {
    expect(where(buildInMemory({ 'participants.yml': '', 'index.md': chapter }).messages)).toEqual(['content/participants.yml:1:1 value-type-valid'])
  })

  it('leaves a binary file that is not a chapter alone, and reports a chapter with a NUL byte', async () => {
    const png = Buffer.from('89504e470d0a1a0a0000000d4948445200000001000000010806000000', 'hex')
    const fine = await buildFiles({ 'index.md': chapter, 'photo.png': png, 'data.bin': Buffer.from([0, 1, 2, 0, 255]) })
    expect(fine.result.messages).toEqual([])
    const { result, at } = await buildFiles({ 'index.md': chapter, 'notes.md': Buffer.from('# Notes\n\nab\u0000cd\n') })
    expect(at).toEqual(['content/notes.md:3:3 content-encoding-valid'])
    expect(result.messages[0]!.reason).toContain('NUL byte')
  })
})

describe('extreme sizes and depths', () => {
  it('refuses a 10 MB chapter at the line past the limit, quickly and without parsing it', () => {
    const line = 'Contributors described how review queues grew while maintainers moved on to other work.\n'
    const huge = `# Huge\n\n${line.repeat(Math.ceil((10 * 1024 * 1024) / line.length))}`
    expect(huge.length).toBeGreaterThan(10 * 1024 * 1024)
    const parsed = parseChapter({ path: 'huge.md', display: 'content/huge.md', text: huge })
    const limitLine = huge.slice(0, maxChapterLength).split('\n').length
    expect(where(parsed.messages)).toEqual([`content/huge.md:${limitLine}:1 content-size-within-limit`])
    expect(parsed.tree.children).toEqual([])
  })

  it('builds a large chapter under the limit into a correct page', () => {
    const section = (i: number) => `## Section ${i}\n\nReview queues grew while *maintainers* moved on to [other work](https://example.org).\n\n`
    const big = `# Big\n\n${Array.from({ length: 3000 }, (_, i) => section(i)).join('')}`
    expect(big.length).toBeGreaterThan(300_000)
    const site = buildInMemory({ 'index.md': '# Home\n', 'big.md': big })
    expect(site.messages).toEqual([])
    expect(selectAll('.prose h2', site.page('big/index.html'))).toHaveLength(3000)
  }, 240_000)

  it('numbers 5,000 findings in one chapter and lists them all', () => {
    const n = 5000
    let many = '# Many\n\n'
    for (let k = 0; k < n; k++) many += `:::finding{#f-${k}}\n## Finding ${k}\n\nSee [](#f-${(k + 1) % n}).\n:::\n\n`
    const site = buildInMemory({ 'index.md': many })
    expect(site.messages.filter((m) => m.severity === 'error')).toEqual([])
    const findings = site.page('findings/index.html')
    expect(selectAll('ol.finding-list > li', findings)).toHaveLength(n)
    expect(text(site.page('index.html'), '#f-4999 .item-number')).toBe('Finding 5000')
    expect(text(site.page('index.html'), '#f-4999 p a')).toBe('Finding 1: Finding 0')
  }, 240_000)

  it('refuses quotes nested 1,000 deep at the line, instead of overflowing the stack', () => {
    const site = buildInMemory({ 'index.md': `# Deep\n\n${'> '.repeat(1000)}deep\n` })
    expect(where(site.messages)).toEqual(['content/index.md:3:201 nesting-depth-within-limit'])
    expect(site.files.has('index.html')).toBe(true)
  })

  it('refuses lists nested 1,000 deep, written either way', () => {
    const indented = Array.from({ length: 1000 }, (_, i) => `${'  '.repeat(i)}- item ${i}`).join('\n')
    expect(where(buildInMemory({ 'index.md': `# Deep\n\n${indented}\n` }).messages)).toEqual(['content/index.md:103:201 nesting-depth-within-limit'])
    expect(where(buildInMemory({ 'index.md': `# Deep\n\n${'- '.repeat(1000)}x\n` }).messages)).toEqual(['content/index.md:3:201 nesting-depth-within-limit'])
  })

  it('refuses raw HTML nested 5,000 deep, and directives nested past the limit', () => {
    const html = buildInMemory({ 'index.md': `# Deep\n\nx ${'<span>'.repeat(5000)}x${'</span>'.repeat(5000)}\n` })
    expect(where(html.messages)).toEqual(['content/index.md:3:1203 nesting-depth-within-limit'])
    const fences = Array.from({ length: 150 }, (_, i) => `${':'.repeat(200 - i)}note`).join('\n')
    expect(where(buildInMemory({ 'index.md': `# Deep\n\n${fences}\n` }).messages)).toEqual(['content/index.md:103:1 nesting-depth-within-limit'])
  })

  it('builds structures well inside the limits normally', () => {
    const lists = Array.from({ length: 40 }, (_, i) => `${'  '.repeat(i)}- level ${i + 1}`).join('\n')
    const site = buildInMemory({ 'index.md': `# Nested\n\n${lists}\n\n${'> '.repeat(40)}deep quote\n` })
    expect(site.messages).toEqual([])
    expect(selectAll('.prose li', site.page('index.html'))).toHaveLength(40)
  })
})

describe('directives and references', () => {
  it('reports an unclosed directive where it opens', () => {
    const site = buildInMemory({ 'index.md': '# A\n\n:::finding{#f}\n## F\n\n> Q\n> — P01\n\nThe end.\n' })
    expect(where(site.messages).filter((w) => w.endsWith('directive-closed'))).toEqual(['content/index.md:3:1 directive-closed'])
  })

  it('builds a reference to the item it sits in, with a warning at the reference', () => {
    const site = buildInMemory({ 'index.md': '# A\n\n:::finding{#f}\n## Reviews [](#f)\n\n> Q\n> — P01\n\nSee [](#f).\n:::\n' })
    expect(where(site.messages)).toEqual(['content/index.md:4:12 reference-target-not-self', 'content/index.md:9:5 reference-target-not-self'])
    const page = site.page('index.html')
    expect(texts(page, '#f > p a')).toEqual(['Finding 1: Reviews'])
    expect(select('#f > p a', page)?.properties['href']).toBe('#f')
  })

  it('reports ids that differ only in case', () => {
    const site = buildInMemory({ 'index.md': '# A\n\n:::finding{#Slow-Review}\n## F\n\n> Q\n> — P01\n:::\n\n:::finding{#slow-review}\n## G\n\n> Q\n> — P01\n:::\n' })
    expect(where(site.messages)).toEqual(['content/index.md:10:1 id-unique'])
    expect(site.messages[0]!.reason).toContain('differs only in case from `Slow-Review` at content/index.md:3:1')
  })

  it('reads ids typed with composed and decomposed accents as the same id', async () => {
    const composed = 'caf\u00e9-culture'
    const decomposed = 'cafe\u0301-culture'
    const { at } = await buildFiles({
      'index.md': `# A\n\n:::finding{#${composed}}\n## F\n\n> Q\n> — P01\n:::\n\n:::finding{#${decomposed}}\n## G\n\n> Q\n> — P01\n:::\n\nSee [](#${decomposed}).\n`,
    })
    expect(at).toEqual(['content/index.md:10:1 id-unique'])
  })

  it('reports ids that cannot be anchors', () => {
    const site = buildInMemory({ 'index.md': '# A\n\n:::finding{id="slow review!"}\n## F\n\n> Q\n> — P01\n:::\n' })
    expect(where(site.messages)).toEqual(['content/index.md:3:1 id-form-valid'])
    expect(site.messages[0]!.hint).toContain('slow-review')
  })
})

describe('failures of the generator itself', () => {
  it('turns an exception while parsing a chapter into an internal-error naming that chapter', () => {
    const sources = {
      report: undefined,
      participants: undefined,
      markdown: [
        { path: 'index.md', display: 'content/index.md', text: '# Home\n' },
        { path: 'bad.md', display: 'content/bad.md', text: '# Bad\n' },
      ],
      messages: [],
    }
    const site = buildSite(sources, new Map(), {
      parse: (file) => {
        if (file.path === 'bad.md') throw new RangeError('Maximum call stack size exceeded')
        return parseChapter(file)
      },
    })
    const internal = site.messages.filter((m) => m.ruleId === 'internal-error')
    expect(where(internal)).toEqual(['content/bad.md:1:1 internal-error'])
    expect(internal[0]!.reason).toBe('fieldnotes failed while parsing this chapter: RangeError: Maximum call stack size exceeded')
  })

  it('never throws from build(): an unexpected failure is an internal-error and nothing is written', async () => {
    const dir = await tempDir()
    await mkdir(path.join(dir, 'content'))
    await writeFile(path.join(dir, 'content', 'index.md'), chapter)
    await writeFile(path.join(dir, 'not-a-folder'), 'templates were expected here')
    const result = await build({ contentDir: path.join(dir, 'content'), outDir: path.join(dir, 'dist'), templatesDir: path.join(dir, 'not-a-folder') })
    expect(result.written).toBe(false)
    expect(result.messages.map((m) => m.ruleId)).toEqual(['internal-error'])
    expect(result.messages[0]!.reason).toContain('ENOTDIR')
    await expect(stat(path.join(dir, 'dist'))).rejects.toThrow()
  })

  it('survives a symbolic link loop in the content folder', async () => {
    const dir = await tempDir()
    await mkdir(path.join(dir, 'content'))
    await writeFile(path.join(dir, 'content', 'index.md'), chapter)
    await symlink('loop', path.join(dir, 'content', 'loop'))
    const result = await build({ contentDir: path.join(dir, 'content'), outDir: path.join(dir, 'dist'), templatesDir: path.join(repoRoot, 'templates') })
    expect(result.messages.map((m) => `${m.ruleId} ${m.file.replace(/^.*content\//, 'content/')}`)).toEqual(['path-inside-project content/loop'])
    expect(result.written).toBe(false)
  })
})

describe('the real build on broken input', () => {
  it('writes nothing at all when a chapter has an error', async () => {
    const project = await buildProject({ 'index.md': `${chapter}\nSee [](#missing).\n` })
    expect(project.result.written).toBe(false)
    await expect(stat(project.out)).rejects.toThrow()
  })
})
