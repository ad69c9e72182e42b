// What publishing asks of the report: a PDF printed on every build when
// report.yml says `pdf: true`, and a warning when the project's workflow
// publishes to GitHub Pages without telling the build the site's address.

import { readFile, stat } from 'node:fs/promises'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { build } from '../src/build.js'
import { attr, buildProject, tempDir, writeFiles } from './helpers.js'
import { readPdf } from './pdf.js'

const chapters = {
  'index.md': '# Field notes on tea\n\nWhat we heard.\n',
  'themes/kettles.md': '# Kettles\n\nThey boil.\n',
}

describe('pdf: true in report.yml', () => {
  it('prints the full report to report.pdf on a build without --pdf, and offers it on the landing page', async () => {
    const project = await buildProject({ ...chapters, 'report.yml': 'title: Field notes on tea\npdf: true\n' })
    expect(project.result.messages.filter((m) => m.severity !== 'info')).toEqual([])
    expect(project.result.written).toBe(true)
    const pdf = readPdf(await readFile(path.join(project.out, 'report.pdf')))
    expect(pdf.title).toBe('Field notes on tea')
    expect(pdf.pages.join(' ')).toContain('They boil.')
    expect(attr(await project.page('index.html'), 'a[href$="report.pdf"]', 'href')).toBe('./report.pdf')
  }, 120_000)

  it('is overridden by the pdf option, and absent means no PDF', async () => {
    const project = await buildProject({ ...chapters, 'report.yml': 'title: Field notes on tea\npdf: true\n' }, { write: false })
    const off = await build({ contentDir: project.content, outDir: project.out, pdf: false, cache: false })
    expect(off.written).toBe(true)
    await expect(stat(path.join(project.out, 'report.pdf'))).rejects.toThrow()
    expect(await readFile(path.join(project.out, 'index.html'), 'utf8')).not.toContain('report.pdf')

    const plain = await buildProject({ ...chapters, 'report.yml': 'title: Field notes on tea\n' })
    await expect(stat(path.join(plain.out, 'report.pdf'))).rejects.toThrow()
  }, 120_000)

  it('must be true or false', async () => {
    const project = await buildProject({ ...chapters, 'report.yml': 'title: Field notes on tea\npdf: "yes"\n' }, { write: false })
    expect(project.result.messages.map((m) => `${path.basename(m.file)}:${m.line}:${m.column} ${m.ruleId}`)).toEqual(['report.yml:2:6 value-type-valid'])
  })
})
