// `build --pdf`: Chromium prints the full report to report.pdf, published
// with the site. The PDF is read back with tests/pdf.ts and checked for a
// title page, running page numbers, chapters on new pages and internal links
// that land on the right page.

import { readFile, stat } from 'node:fs/promises'
import path from 'node:path'
import { beforeAll, describe, expect, it } from 'vitest'
import { build, type BuildResult } from '../src/build.js'
import { renderPdf } from '../src/write/pdf.js'
import { attr, buildProject, repoRoot, selectAll, tempDir, texts } from './helpers.js'
import { readPdf, type PdfDocument } from './pdf.js'
import { fromHtml } from 'hast-util-from-html'

const out = path.join(await tempDir(), 'dist')
let result: BuildResult
let pdf: PdfDocument
let chapters: { id: string; title: string }[]

const squash = (text: string) => text.replace(/\s+/g, ' ').trim()

beforeAll(async () => {
  result = await build({ contentDir: path.join(repoRoot, 'content'), outDir: out, pdf: true })
  pdf = readPdf(await readFile(path.join(out, 'report.pdf')))
  const fullReport = fromHtml(await readFile(path.join(out, 'full-report/index.html'), 'utf8'))
  chapters = selectAll('section.chapter-section', fullReport).map((section) => ({
    id: String(section.properties['id']),
    title: squash(texts({ type: 'root', children: [section] }, 'section > h2')[0] ?? ''),
  }))
}, 180_000)

describe('build --pdf', () => {
  it('publishes report.pdf with the site', () => {
    expect(result.messages.filter((m) => m.severity === 'error')).toEqual([])
    expect(result.written).toBe(true)
    expect(chapters.length).toBeGreaterThan(5)
    expect(pdf.pages.length).toBeGreaterThan(chapters.length)
    expect(pdf.title).toBe('Voices of JupyterHub')
  })

  it('starts with a title page holding the title, and nothing of the chapters', async () => {
    const report = await readFile(path.join(repoRoot, 'content/report.yml'), 'utf8')
    const subtitle = /^subtitle: "(.*)"$/m.exec(report)![1]!
    const first = pdf.pages[0]!
    expect(first.startsWith('Voices of JupyterHub')).toBe(true)
    expect(first).toContain(subtitle)
    expect(first).toContain('Dan Sholler')
    expect(first).not.toContain('Contents')
    expect(first).not.toContain(chapters[1]!.title)
  })

  it('has every chapter title in its text, each chapter starting a page', () => {
    for (const chapter of chapters) {
      expect(pdf.pages.some((page) => page.startsWith(chapter.title)), chapter.title).toBe(true)
    }
  })

  it('numbers every page in its running footer', () => {
    pdf.pages.forEach((page, i) => expect(page).toContain(`Page ${i + 1} of ${pdf.pages.length}`))
  })

  it('keeps internal links working: the contents jump to the page where each chapter starts', () => {
    const internal = pdf.links.filter((l) => l.dest !== undefined)
    expect(internal.length).toBeGreaterThan(chapters.length)
    expect(internal.filter((l) => !pdf.destinations.has(l.dest!))).toEqual([])
    for (const chapter of chapters) {
      expect(internal.some((l) => l.dest === chapter.id), chapter.id).toBe(true)
      const page = pdf.destinations.get(chapter.id)
      expect(page, chapter.id).toBeDefined()
      expect(pdf.pages[page!]!.startsWith(chapter.title), chapter.title).toBe(true)
    }
    // A cross-reference to a finding lands on the page that shows it.
    const target = pdf.destinations.get('slow-review')
    expect(target).toBeDefined()
    expect(pdf.pages[target!]).toMatch(/Finding \d+ Pull requests wait too long/i)
  })

  it('prints for paper: no navigation or controls, numbered findings, external link targets', () => {
    const all = pdf.pages.join(' ')
    for (const furniture of ['Skip to main content', 'Search the report', 'Dark theme', 'Copy citation']) {
      expect(all).not.toContain(furniture)
    }
    expect(all).toMatch(/Finding 1 Teaching without installation headaches/i)
    expect(all).toMatch(/Recommendation 1 Be proud of the project/i)
    expect(all).toContain('(https://creativecommons.org/publicdomain/zero/1.0/)')
    expect(pdf.links.some((l) => l.uri?.startsWith('https://orcid.org/'))).toBe(true)
  })

  it('is offered on the landing page and in the citation tags', async () => {
    const landing = fromHtml(await readFile(path.join(out, 'index.html'), 'utf8'))
    expect(texts(landing, 'a[href$="report.pdf"]')).toEqual(['Download PDF'])
    expect(attr(landing, 'a[href$="report.pdf"]', 'href')).toBe('./report.pdf')
    expect(attr(landing, 'meta[name="citation_pdf_url"]', 'content')).toBe('./report.pdf')
    const size = (await stat(path.join(out, 'report.pdf'))).size
    expect(size).toBeGreaterThan(50_000)
  })
})

describe('when the PDF cannot be made', () => {
  it('says why, with a hint, and the build publishes nothing', async () => {
    const missing = await renderPdf({ files: new Map([['full-report/index.html', '<p>x</p>']]), assetDirs: [], title: 'T', chromiumPath: '/no/such/chromium' })
    expect(missing.pdf).toBeUndefined()
    expect(missing.messages.map((m) => [m.ruleId, m.severity])).toEqual([['pdf-renders', 'error']])
    expect(missing.messages[0]!.reason).toContain('/no/such/chromium')
    expect(missing.messages[0]!.hint).toContain('CHROMIUM_PATH')

    const previous = process.env['CHROMIUM_PATH']
    process.env['CHROMIUM_PATH'] = '/no/such/chromium'
    try {
      const project = await buildProject({ 'index.md': '# A report\n\nText.\n' }, { write: true })
      expect(project.result.written).toBe(true)
      const again = await build({ contentDir: project.content, outDir: project.out, pdf: true })
      expect(again.written).toBe(false)
      expect(again.messages.map((m) => m.ruleId)).toContain('pdf-renders')
      await expect(stat(path.join(project.out, 'report.pdf'))).rejects.toThrow()
      expect(await readFile(path.join(project.out, 'index.html'), 'utf8')).not.toContain('Download PDF')
    } finally {
      if (previous === undefined) delete process.env['CHROMIUM_PATH']
      else process.env['CHROMIUM_PATH'] = previous
    }
  })
})
