// Consent review sheets: each participant's sheet holds every one of their
// quotes and nobody else's, says where each will be published, and is a
// self-contained page that prints.

import { execFile } from 'node:child_process'
import { readdir, readFile } from 'node:fs/promises'
import path from 'node:path'
import { promisify } from 'node:util'
import { fromHtml } from 'hast-util-from-html'
import { beforeAll, describe, expect, it } from 'vitest'
import { writeQuoteSheets } from '../src/review/run.js'
import { repoRoot, select, selectAll, tempDir, texts, writeFiles } from './helpers.js'

const run = promisify(execFile)
const content = path.join(repoRoot, 'content')

/** Every quote in the markdown, found by reading the files as text: label → quoted words. */
async function quotesInSource(dir: string): Promise<Map<string, string[]>> {
  const found = new Map<string, string[]>()
  for (const entry of await readdir(dir, { recursive: true })) {
    if (!entry.endsWith('.md')) continue
    const lines = (await readFile(path.join(dir, entry), 'utf8')).split('\n')
    let block: string[] = []
    for (const line of [...lines, '']) {
      if (line.startsWith('>')) {
        block.push(line.replace(/^>\s?/, ''))
        continue
      }
      const attribution = /^(?:—|―|–|--)\s*([A-Z]\d\d)\b/.exec(block.at(-1) ?? '')
      if (attribution) {
        const words = block.slice(0, -1).join(' ').replace(/\*|_|\[([^\]]*)\]\([^)]*\)/g, '$1').replace(/\s+/g, ' ').trim()
        found.set(attribution[1]!, [...(found.get(attribution[1]!) ?? []), words])
      }
      block = []
    }
  }
  return found
}

const squash = (text: string) => text.replace(/\s+/g, ' ').trim()

describe('review sheets of the JupyterHub report', () => {
  let out: string
  let expected: Map<string, string[]>
  let written: string[]

  beforeAll(async () => {
    out = path.join(await tempDir(), 'review')
    expected = await quotesInSource(content)
    const result = await writeQuoteSheets({ contentDir: content, outDir: out })
    expect(result.messages.filter((m) => m.severity === 'error')).toEqual([])
    written = result.written
  })

  it('writes an HTML and a markdown sheet for each of the 22 participants', async () => {
    expect((await readdir(out)).sort()).toEqual([...written].sort())
    expect(written.filter((f) => f.endsWith('.html'))).toHaveLength(22)
    expect(written.filter((f) => f.endsWith('.md'))).toHaveLength(22)
  })

  it("holds every quote of a participant, and no other participant's", async () => {
    expect(expected.get('P07')?.length).toBeGreaterThanOrEqual(3)
    for (const id of ['P07', 'P04', 'P19']) {
      const sheet = fromHtml(await readFile(path.join(out, `${id}.html`), 'utf8'))
      const passages = texts(sheet, '.passage blockquote').map(squash)
      const mine = expected.get(id) ?? []
      expect(passages).toHaveLength(mine.length)
      for (const words of mine) expect(passages).toContain(words)
      for (const [other, theirs] of expected) {
        if (other === id) continue
        for (const words of theirs) expect(passages).not.toContain(words)
      }
      const markdown = await readFile(path.join(out, `${id}.md`), 'utf8')
      expect(markdown.match(/^## Passage /gm)).toHaveLength(mine.length)
      for (const words of mine) expect(squash(markdown.replace(/^> ?/gm, ''))).toContain(words)
    }
  })

  it('says for each quote whether it is paraphrased, the finding and chapter it supports, and where it is on the site', async () => {
    const sheet = fromHtml(await readFile(path.join(out, 'P07.html'), 'utf8'))
    const first = selectAll('.passage', sheet)[0]!
    const facts = texts({ type: 'root', children: [first] }, '.facts li')
    expect(facts[0]).toBe('Paraphrased: our summary of what you said')
    expect(facts[1]).toMatch(/^Supports: Finding \d+: /)
    expect(facts[2]).toMatch(/^Chapter: /)
    const link = select('.facts a', first)?.properties['href']
    expect(link).toMatch(/^themes\/[a-z-]+\/#[a-z0-9-]+$/)
    // The link leads to the finding on the built page.
    const [page, anchor] = String(link).split('#')
    const built = path.join(await tempDir(), 'site')
    const { build } = await import('../src/build.js')
    await build({ contentDir: content, outDir: built })
    const target = fromHtml(await readFile(path.join(built, page!, 'index.html'), 'utf8'))
    expect(select(`section#${anchor}`, target)).toBeDefined()
  })

  it('is one self-contained page that prints', async () => {
    const html = await readFile(path.join(out, 'P07.html'), 'utf8')
    const sheet = fromHtml(html)
    expect(selectAll('script, link, img, iframe, object', sheet)).toEqual([])
    expect(html).toContain('@media print')
    expect(html).not.toMatch(/url\(|@import/)
  })
})

describe('review sheets of a small report', () => {
  const files = {
    'report.yml': 'title: Small\nsite_url: https://example.org/small/\n',
    'participants.yml': `participants:
  - id: P01
    role: Maintainer
    consent: anonymous
  - id: P02
    role: Deployer
    consent: no-quotes
  - id: P03
    role: Advisor
    consent: named
    name: Ada Lovelace
`,
    'index.md': `# Small

:::finding{#waits}
## Reviews wait

> It <b>waits</b> & waits.
> — P01

> Second thoughts.
> — P03, second interview (paraphrased)
:::
`,
  }

  it('links to the published page by its full address when report.yml has site_url, and escapes what it quotes', async () => {
    const dir = await tempDir()
    await writeFiles(path.join(dir, 'content'), files)
    const result = await writeQuoteSheets({ contentDir: path.join(dir, 'content'), outDir: path.join(dir, 'review') })
    expect(result.written.sort()).toEqual(['P01.html', 'P01.md', 'P03.html', 'P03.md'])
    const p01 = fromHtml(await readFile(path.join(dir, 'review', 'P01.html'), 'utf8'))
    expect(select('.facts a', p01)?.properties['href']).toBe('https://example.org/small/#waits')
    expect(texts(p01, '.passage blockquote')).toEqual(['It waits & waits.'])
    expect(selectAll('.passage b', p01)).toEqual([])
    const p03 = await readFile(path.join(dir, 'review', 'P03.md'), 'utf8')
    expect(p03).toContain('- Shown in the report as: P03, Ada Lovelace, Advisor')
    expect(p03).toContain('> Second thoughts.')
    expect(p03).toContain('- Paraphrased: our summary of what you said')
    expect(p03).not.toContain('It waits')
  })

  it('writes one sheet with --participant, keeps the others, and refuses an unknown label', async () => {
    const dir = await tempDir()
    await writeFiles(path.join(dir, 'content'), files)
    await writeFiles(path.join(dir, 'review'), { 'P03.md': 'kept' })
    const cli = async (args: string[]) => {
      try {
        const { stderr } = await run(process.execPath, [path.join(repoRoot, 'bin', 'fieldnotes.js'), 'quotes', ...args], { cwd: dir })
        return { code: 0, stderr }
      } catch (error) {
        return error as { code: number; stderr: string }
      }
    }
    const one = await cli(['--participant', 'P01'])
    expect(one.code).toBe(0)
    expect(one.stderr).toContain('Wrote 1 review sheet (HTML and markdown) into review/.')
    expect((await readdir(path.join(dir, 'review'))).sort()).toEqual(['P01.html', 'P01.md', 'P03.md'])
    expect(await readFile(path.join(dir, 'review', 'P03.md'), 'utf8')).toBe('kept')

    const unknown = await cli(['--participant', 'P02'])
    expect(unknown.code).toBe(2)
    expect(unknown.stderr).toContain('No one who may be quoted has the label `P02`. Known: P01, P03.')
  })
})
