// What publishing asks of the report: a PDF printed on every build when
// report.yml says `pdf: true`, and a warning when the project's workflow
// publishes to GitHub Pages without telling the build the site's address.

import { readFile, stat } from 'node:fs/promises'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { build } from '../src/build.js'
import { attr, buildProject, repoRoot, tempDir, writeFiles } from './helpers.js'
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

const deployWorkflow = `name: Report site
on:
  push:
    branches: [main]
jobs:
  build:
    runs-on: ubuntu-latest
    steps:
      # Not this one: actions/deploy-pages@v4 in a comment publishes nothing.
      - run: npm run build
  deploy:
    needs: build
    runs-on: ubuntu-latest
    steps:
      - id: deployment
        uses: actions/deploy-pages@v4
`

/** Check a project laid out as `init` makes it: the workflows beside the content folder. */
async function checkProject(files: Record<string, string>, options: { siteUrl?: string; contentDir?: string } = {}) {
  const dir = await tempDir()
  await writeFiles(dir, files)
  const result = await build({ contentDir: path.join(dir, options.contentDir ?? 'content'), outDir: path.join(dir, 'dist'), cache: false, ...(options.siteUrl === undefined ? {} : { siteUrl: options.siteUrl }) })
  return { dir, result, warnings: result.messages.filter((m) => m.ruleId === 'site-url-known') }
}

const content = (report: string) => ({ 'content/report.yml': report, 'content/index.md': chapters['index.md'], 'content/themes/kettles.md': chapters['themes/kettles.md'] })

describe('a workflow that publishes to GitHub Pages', () => {
  it('gets a warning at its deploy-pages step when report.yml has no site_url, with the address to set', async () => {
    const { result, warnings } = await checkProject({
      ...content('title: Tea\nrepository: https://github.com/example-org/tea-report\n'),
      '.github/workflows/site.yml': deployWorkflow,
    })
    expect(warnings.map((m) => `${m.file.split('/').slice(-3).join('/')}:${m.line}:${m.column} ${m.severity}`)).toEqual(['.github/workflows/site.yml:16:15 warning'])
    expect(warnings[0]!.hint).toContain('Add `site_url: https://example-org.github.io/tea-report/` to ')
    expect(warnings[0]!.hint).toContain('content/report.yml')
    expect(warnings[0]!.hint).toContain('--site-url')
    // A warning: the site is still built.
    expect(result.written).toBe(true)
  })

  it('gets no warning when report.yml has site_url, when a step passes --site-url, or when nothing deploys to Pages', async () => {
    const workflow = { '.github/workflows/site.yml': deployWorkflow }
    expect((await checkProject({ ...content('title: Tea\nsite_url: https://example-org.github.io/tea-report/\n'), ...workflow })).warnings).toEqual([])
    const passing = deployWorkflow.replace('- run: npm run build', '- run: npm run build -- --site-url "$SITE_URL"')
    expect((await checkProject({ ...content('title: Tea\n'), '.github/workflows/site.yml': passing })).warnings).toEqual([])
    const netlify = deployWorkflow.replace('uses: actions/deploy-pages@v4', 'run: npx netlify deploy --dir dist')
    expect((await checkProject({ ...content('title: Tea\n'), '.github/workflows/site.yml': netlify })).warnings).toEqual([])
    expect((await checkProject(content('title: Tea\n'))).warnings).toEqual([])
  })

  it('gets no warning when the build is given the address, and the site then uses it', async () => {
    const { dir, result, warnings } = await checkProject({ ...content('title: Tea\n'), '.github/workflows/site.yml': deployWorkflow }, { siteUrl: 'https://example-org.github.io/tea-report' })
    expect(warnings).toEqual([])
    expect(result.written).toBe(true)
    const sitemap = await readFile(path.join(dir, 'dist', 'sitemap.xml'), 'utf8')
    expect(sitemap).toContain('<loc>https://example-org.github.io/tea-report/themes/kettles/</loc>')
    const notFound = await readFile(path.join(dir, 'dist', '404.html'), 'utf8')
    expect(notFound).toContain('href="/tea-report/assets/style.css"')
    expect(notFound).not.toContain('<script>')
  })

  it('takes report.yml’s site_url over the address given to the build, and refuses one that is not a full address', async () => {
    const both = await checkProject(content('title: Tea\nsite_url: https://tea.example.org/\n'), { siteUrl: 'https://example-org.github.io/tea-report/' })
    expect(await readFile(path.join(both.dir, 'dist', 'robots.txt'), 'utf8')).toContain('Sitemap: https://tea.example.org/sitemap.xml')
    const bad = await checkProject(content('title: Tea\n'), { siteUrl: 'example-org.github.io/tea-report' })
    expect(bad.result.messages.map((m) => `${path.basename(m.file)}:${m.line} ${m.ruleId}`)).toEqual(['report.yml:1 value-type-valid'])
  })

  it('suggests the top of the host for a repository named after its owner’s Pages domain, and passes over a workflow that is not YAML', async () => {
    const { warnings } = await checkProject({
      ...content('title: Tea\nrepository: https://github.com/Example-Org/example-org.github.io\n'),
      '.github/workflows/site.yml': deployWorkflow,
      '.github/workflows/broken.yml': 'jobs: [unclosed\n  uses: actions/deploy-pages@v4\n',
    })
    expect(warnings.map((m) => m.file.split('/').slice(-1)[0])).toEqual(['site.yml'])
    expect(warnings[0]!.hint).toContain('Add `site_url: https://example-org.github.io/` to ')
  })

  it('is found in the content folder itself, as in a MyST project, and the hint then asks for --site-url alone', async () => {
    const { warnings } = await checkProject(
      { 'myst.yml': 'version: 1\nproject:\n  title: Tea\n  toc:\n    - file: index.md\n', 'index.md': '# Tea\n\nWhat we heard.\n', '.github/workflows/deploy.yaml': deployWorkflow },
      { contentDir: '.' },
    )
    expect(warnings.map((m) => `${m.file.split('/').slice(-3).join('/')}:${m.line}:${m.column}`)).toEqual(['.github/workflows/deploy.yaml:16:15'])
    expect(warnings[0]!.hint).not.toContain('site_url')
    expect(warnings[0]!.hint).toContain('--site-url')
  })
})

describe('this repository', () => {
  it('passes the Pages address to its build, so its own report gets no warning', async () => {
    const result = await build({ contentDir: path.join(repoRoot, 'content'), outDir: path.join(await tempDir(), 'dist'), write: false, cache: false })
    expect(result.messages.filter((m) => m.ruleId === 'site-url-known')).toEqual([])
    const workflow = await readFile(path.join(repoRoot, '.github', 'workflows', 'site.yml'), 'utf8')
    expect(workflow).toContain('actions/deploy-pages@')
  })
})
