// Chapters named like the pages the site makes from the index: a chapter at a
// generated page's address becomes that page, its text above the generated
// part, and chapters in folders of those names are pages of their own. Built
// for real, then read back as the reader, the sitemap, the search index and
// the dev server see it.

import { readdir, readFile } from 'node:fs/promises'
import { get } from 'node:http'
import path from 'node:path'
import type { Root } from 'hast'
import { fromHtml } from 'hast-util-from-html'
import { toString } from 'hast-util-to-string'
import { beforeAll, describe, expect, it } from 'vitest'
import { build } from '../src/build.js'
import { startDevServer } from '../src/dev/server.js'
import { attr, buildInMemory, buildProject, searchFragments, select, selectAll, tempDir, text, texts, where, writeFiles, type BuiltProject } from './helpers.js'

const report = {
  'report.yml': 'title: Shared computing\nsite_url: https://example.org/hub/\n',
  'participants.yml': `participants:
  - id: P01
    role: Maintainer
    consent: anonymous
  - id: P02
    role: Teacher
    consent: anonymous
`,
  'index.md': '# Shared computing\n\nWhat we heard from the people who run and use shared notebooks.\n',
  'findings/governance.md': `# Governance

:::finding{#slow-review}
## Reviews are slow

> They sit for weeks.
> — P01
:::
`,
  'findings/teaching.md': `# Teaching

:::finding{#setup-cost}
## Setting up a class takes days

> A week, every term.
> — P02
:::
`,
  'recommendations.md': `# What we recommend

Our advice, written for the steering council, in the order we would act on it.

:::recommendation{#r-triage addresses="slow-review" audience="Maintainers" horizon="short"}
## Triage weekly

Answers [](#slow-review).
:::

:::recommendation{#r-templates addresses="setup-cost" horizon="medium"}
## Share class templates
:::
`,
}

/** The generated indexes every report has (the bibliography only with references). */
const indexes = ['findings/', 'recommendations/', 'evidence/', 'participants/', 'full-report/']

/** A page's own address, from its output path: `findings/governance/index.html` is `findings/governance/`. */
const addressOf = (file: string) => (file === '404.html' ? '' : file.replace(/index\.html$/, ''))

/** Where a link on the page at `from` leads, as an address from the site's root, which is /hub/ (the not-found page links from there). */
function resolved(from: string, href: string): string {
  const url = new URL(href, `https://site.test/hub/${from}`)
  return url.pathname.replace(/^\/hub\//, '') + url.hash
}

/** The links of the page's navigation: the indexes in its header and the contents in its sidebar. */
function navTargets(page: Root, from: string): string[] {
  return selectAll('nav.site-indexes a, nav.sidebar a', page).map((a) => resolved(from, String(a.properties['href'])))
}

describe('a report with a recommendations chapter and theme chapters under findings/', () => {
  let project: BuiltProject
  let pages: Map<string, Root>

  beforeAll(async () => {
    project = await buildProject(report)
    const files = (await readdir(project.out, { recursive: true })).filter((f) => f.endsWith('.html')).map((f) => f.split(path.sep).join('/'))
    pages = new Map(await Promise.all(files.map(async (f) => [f, fromHtml(await readFile(path.join(project.out, f), 'utf8'))] as const)))
  })

  it('builds with no messages and writes the site', () => {
    expect(where(project.result.messages)).toEqual([])
    expect(project.result.written).toBe(true)
  })

  it('publishes the theme chapters at their own addresses beside the findings index', () => {
    expect([...pages.keys()].filter((f) => f.startsWith('findings/')).sort()).toEqual([
      'findings/governance/index.html',
      'findings/index.html',
      'findings/teaching/index.html',
    ])
    expect(text(pages.get('findings/governance/index.html')!, 'main h1')).toBe('Governance')
    expect(texts(pages.get('findings/index.html')!, 'main h2 a')).toEqual(['Governance', 'Teaching'])
  })

  it("shows the author's title and text on the recommendations page, above the generated table", () => {
    const page = pages.get('recommendations/index.html')!
    const article = select('main > article', page)!
    expect(text(page, 'main > article h1')).toBe('What we recommend')
    expect(selectAll('h1', article)).toHaveLength(1)
    // In document order: the author's prose, their recommendations, then the table of every recommendation.
    const order = selectAll('.prose > p, section.recommendation, table.recommendations-table', article).map((node) =>
      node.tagName === 'table' ? 'table' : node.tagName === 'section' ? `section#${String(node.properties['id'])}` : toString(node).slice(0, 13),
    )
    expect(order).toEqual(['Our advice, w', 'section#r-triage', 'section#r-templates', 'table'])
    expect(texts(page, 'table.recommendations-table tbody th')).toEqual(['Triage weekly', 'Share class templates'])
    expect(text(page, 'title')).toBe('What we recommend · Shared computing')
    expect(attr(page, 'meta[property="og:title"]', 'content')).toBe('What we recommend')
    expect(attr(page, 'link[rel="canonical"]', 'href')).toBe('https://example.org/hub/recommendations/')
    // The page still works as the recommendations index: its script sorts the table.
    expect(selectAll('script[src="../assets/table.js"]', page)).toHaveLength(1)
  })

  it('gives every id on the recommendations page to one element only', () => {
    const ids = selectAll('[id]', pages.get('recommendations/index.html')!).map((node) => String(node.properties['id']))
    expect(ids.filter((id, i) => ids.indexOf(id) !== i)).toEqual([])
  })

  it('numbers the recommendations written there in reading order, and links them and their findings both ways', () => {
    const page = pages.get('recommendations/index.html')!
    expect(texts(page, 'section.recommendation > h2 .item-number')).toEqual(['Recommendation 1', 'Recommendation 2'])
    expect(selectAll('#r-triage .related a', page).map((a) => a.properties['href'])).toEqual(['../findings/governance/#slow-review'])
    const governance = pages.get('findings/governance/index.html')!
    expect(text(governance, 'section.finding .item-number')).toBe('Finding 1')
    expect(selectAll('#slow-review .related a', governance).map((a) => [a.properties['href'], toString(a)])).toEqual([
      ['../../recommendations/#r-triage', 'Recommendation 1: Triage weekly'],
    ])
    expect(text(pages.get('findings/teaching/index.html')!, 'section.finding .item-number')).toBe('Finding 2')
    expect(text(pages.get('index.html')!, '.at-a-glance')).toBe('2 findings, 2 recommendations, 2 quotes from 2 participants.')
  })

  it('puts the chapter in the contents where the file order puts it, and takes it out of the header indexes', () => {
    const page = pages.get('index.html')!
    expect(selectAll('nav.sidebar a', page).map((a) => [a.properties['href'], toString(a)])).toEqual([
      ['./', 'Shared computing'],
      ['./findings/governance/', 'Governance'],
      ['./findings/teaching/', 'Teaching'],
      ['./recommendations/', 'What we recommend'],
    ])
    expect(texts(page, 'nav.site-indexes a')).toEqual(['Findings', 'Evidence map', 'Participants', 'Full report'])
    const teaching = pages.get('findings/teaching/index.html')!
    expect(attr(teaching, 'a.pager-next', 'href')).toBe('../../recommendations/')
    expect(attr(pages.get('recommendations/index.html')!, 'a.pager-prev', 'href')).toBe('../findings/teaching/')
  })

  it('links every generated index from the navigation of every page, and no page from two entries', () => {
    expect(pages.size).toBeGreaterThan(8)
    for (const [file, page] of pages) {
      const targets = navTargets(page, addressOf(file))
      for (const index of indexes) expect(targets, file).toContain(index)
      expect(targets.filter((t, i) => targets.indexOf(t) !== i), file).toEqual([])
    }
  })

  it('keeps the chapter in the full report once, with its text, and lists each page once in the sitemap', async () => {
    const full = pages.get('full-report/index.html')!
    expect(texts(full, 'section.chapter-section > h2')).toEqual(['Governance', 'Teaching', 'What we recommend'])
    expect(text(full, '#chapter-recommendations .prose')).toContain('Our advice, written for the steering council')
    const sitemap = await readFile(path.join(project.out, 'sitemap.xml'), 'utf8')
    const locs = [...sitemap.matchAll(/<loc>([^<]+)<\/loc>/g)].map((m) => m[1]!.replace('https://example.org/hub/', ''))
    expect(locs.sort()).toEqual(['', 'evidence/', 'findings/', 'findings/governance/', 'findings/teaching/', 'full-report/', 'participants/', 'recommendations/'])
  })

  it("indexes the author's text on the recommendations page for search, and not its generated table", async () => {
    const fragments = await searchFragments(project.out)
    const page = fragments.find((f) => f.url === '/recommendations/')!
    expect(page.content).toContain('Our advice, written for the steering council')
    expect(page.content).not.toContain('Audience')
    expect(fragments.map((f) => f.url).filter((u) => u.startsWith('/recommendations/#')).sort()).toEqual(['/recommendations/#r-templates', '/recommendations/#r-triage'])
    // The other indexes repeat the chapters, and are still left out.
    expect(fragments.some((f) => f.url === '/findings/' || f.url === '/evidence/' || f.url === '/full-report/')).toBe(false)
  })

  it('makes the same page when worker threads render the chapters', async () => {
    // From the same files, so that their dates of last change are the same too.
    const out = path.join(await tempDir(), 'dist')
    const threaded = await build({ contentDir: project.content, outDir: out, threads: 2, cache: false })
    expect(where(threaded.messages)).toEqual([])
    const read = (dist: string) => readFile(path.join(dist, 'recommendations/index.html'), 'utf8')
    expect(await read(out)).toBe(await read(project.out))
  })

  it('serves the same page from the dev server', async () => {
    const dir = await tempDir()
    await writeFiles(path.join(dir, 'content'), report)
    const server = await startDevServer({ contentDir: path.join(dir, 'content'), port: 0 })
    try {
      const body = await new Promise<string>((resolve, reject) => {
        get(`${server.url}recommendations/`, (res) => {
          let data = ''
          res.setEncoding('utf8')
          res.on('data', (chunk: string) => (data += chunk))
          res.on('end', () => resolve(data))
        }).on('error', reject)
      })
      const page = fromHtml(body)
      expect(text(page, 'main h1')).toBe('What we recommend')
      expect(text(page, 'main .prose p')).toContain('Our advice, written for the steering council')
      expect(selectAll('table.recommendations-table tbody tr', page)).toHaveLength(2)
    } finally {
      await server.close()
    }
  })
})

describe('chapters named like the other generated pages', () => {
  const base = {
    'index.md': '# Home\n\nWelcome.\n',
    'themes.md': '# Themes\n\n:::finding{#slow}\n## Reviews are slow\n\n> Weeks.\n> — P01\n:::\n\n:::recommendation{#r-triage addresses="slow"}\n## Triage weekly\n:::\n',
  }
  const build = (files: Record<string, string>) => buildInMemory({ ...base, ...files })
  const h1 = (page: Root) => text(page, 'main h1')
  const prose = (page: Root) => text(page, 'main .prose')

  it('makes `findings.md` the findings index, its text above the list of findings', () => {
    const site = build({ 'findings.md': '# What we found\n\nRead these first.\n' })
    expect(where(site.messages)).toEqual([])
    const page = site.page('findings/index.html')
    expect([h1(page), prose(page)]).toEqual(['What we found', 'Read these first.'])
    expect(texts(page, 'ol.finding-list a.finding-link')).toEqual(['Finding 1 Reviews are slow'])
  })

  it('makes `findings/index.md` the findings index too, and leaves the chapters beside it alone', () => {
    const site = build({ 'findings/index.md': '# Findings, by theme\n\nOne chapter a theme.\n', 'findings/people.md': '# People\n' })
    expect(where(site.messages)).toEqual([])
    expect(h1(site.page('findings/index.html'))).toBe('Findings, by theme')
    expect(h1(site.page('findings/people/index.html'))).toBe('People')
  })

  it('keeps a finding written on the findings page, numbered in reading order, with one element holding its id', () => {
    const site = build({ 'findings.md': '# Findings\n\n:::finding{#tired}\n## People are tired\n\n> Tired.\n> — P01\n:::\n' })
    // It counts as any finding does: no recommendation addresses it yet.
    expect(where(site.messages)).toEqual(['content/findings.md:3:1 finding-addressed'])
    const page = site.page('findings/index.html')
    // File order: findings.md comes before themes.md.
    expect(text(page, '#tired .item-number')).toBe('Finding 1')
    expect(selectAll('[id="tired"]', page)).toHaveLength(1)
    expect(texts(page, 'ol.finding-list a.finding-link')).toEqual(['Finding 1 People are tired', 'Finding 2 Reviews are slow'])
  })

  it('makes `participants.md` the participants page, its text above the table', () => {
    const site = build({
      'participants.yml': 'participants:\n  - id: P01\n    role: Maintainer\n    consent: anonymous\n',
      'participants.md': '# Who we spoke to\n\nTwelve people, over three months.\n',
    })
    expect(where(site.messages)).toEqual([])
    const page = site.page('participants/index.html')
    expect([h1(page), prose(page)]).toEqual(['Who we spoke to', 'Twelve people, over three months.'])
    expect(texts(page, 'table.participants-table tbody th')).toEqual(['P01'])
    // Links to a participant still lead to its row.
    expect(attr(site.page('themes/index.html'), 'figcaption a.participant', 'href')).toBe('../participants/#P01')
  })

  it('makes `evidence.md` the evidence map, its text above the grid', () => {
    const site = build({ 'evidence.md': '# How the evidence fits\n\nEach dot is a link.\n' })
    expect(where(site.messages)).toEqual([])
    const page = site.page('evidence/index.html')
    expect([h1(page), prose(page)]).toEqual(['How the evidence fits', 'Each dot is a link.'])
    expect(selectAll('table.evidence-table td.hit', page)).toHaveLength(1)
  })

  it('makes `search.md` the search page, its text above the search box, in the contents and not twice', () => {
    const site = build({ 'search.md': '# Search the interviews\n\nTry a participant label, such as P01.\n' })
    expect(where(site.messages)).toEqual([])
    const page = site.page('search/index.html')
    expect([h1(page), prose(page)]).toEqual(['Search the interviews', 'Try a participant label, such as P01.'])
    expect(select('form#search-form input#search-query', page)).toBeDefined()
    // Search still runs there: its script, and the WebAssembly it needs.
    expect(attr(page, 'meta[http-equiv="Content-Security-Policy"]', 'content')).toContain("'wasm-unsafe-eval'")
    expect(selectAll('script[src="../assets/search.js"]', page)).toHaveLength(1)
    expect(selectAll('nav.sidebar a[href="../search/"]', page)).toHaveLength(1)
  })

  it('makes `full-report.md` the preface of the full report, not one of its sections', () => {
    const site = build({ 'full-report.md': '# About this edition\n\nPrinted for the workshop.\n' })
    expect(where(site.messages)).toEqual([])
    const page = site.page('full-report/index.html')
    expect(text(page, 'section.preface h2')).toBe('About this edition')
    expect(text(page, 'section.preface .prose')).toBe('Printed for the workshop.')
    expect(texts(page, 'section.chapter-section > h2')).toEqual(['Themes'])
    expect(text(page, 'title')).toBe('About this edition · Home')
  })

  it('makes `bibliography.md` the bibliography page, even before the report cites anything', () => {
    const site = build({ 'bibliography.md': '# Reading list\n\nWorks we found useful.\n' })
    expect(where(site.messages)).toEqual([])
    const page = site.page('bibliography/index.html')
    expect([h1(page), prose(page)]).toEqual(['Reading list', 'Works we found useful.'])
  })

  it('publishes `404.md` as an ordinary page at /404/, beside the not-found page', () => {
    const site = build({ '404.md': '# Error codes\n\nWhat 404 means for a hub.\n' })
    expect(where(site.messages)).toEqual([])
    expect(h1(site.page('404/index.html'))).toBe('Error codes')
    expect(h1(site.page('404.html'))).toBe('Page not found')
    // The not-found page is not the chapter's page, though both are about 404.
    expect(selectAll('nav.sidebar [aria-current]', site.page('404.html'))).toEqual([])
    expect(texts(site.page('404/index.html'), 'nav.sidebar [aria-current]')).toEqual(['Error codes'])
  })

  it('makes `Recommendations.md` the recommendations page at its lower-case address, so no two addresses differ only in case', () => {
    const site = build({ 'Recommendations.md': '# Next steps\n\nIn order.\n' })
    expect(where(site.messages)).toEqual([])
    expect(h1(site.page('recommendations/index.html'))).toBe('Next steps')
    expect([...site.files.keys()].filter((f) => f.toLowerCase().startsWith('recommendations'))).toEqual(['recommendations/index.html'])
    expect(attr(site.page('index.html'), 'nav.sidebar a[href="./recommendations/"]', 'href')).toBe('./recommendations/')
  })

  it('still refuses two chapters at one generated address', () => {
    const site = build({ 'findings.md': '# A\n', 'findings/index.md': '# B\n' })
    expect(where(site.messages)).toEqual(['content/findings/index.md:1:1 page-path-unique'])
  })

  it('makes a chapter in a MyST project the generated page it is named after', () => {
    const site = buildInMemory({
      'myst.yml': 'version: 1\nproject:\n  title: From MyST\n  toc:\n    - file: start.md\n    - file: findings/one.md\n    - file: recommendations.md\n',
      'start.md': '# Start\n',
      'findings/one.md': '# One\n',
      'recommendations.md': '# Our advice\n\nIn order.\n',
    })
    expect(where(site.messages)).toEqual([])
    expect(h1(site.page('recommendations/index.html'))).toBe('Our advice')
    expect(h1(site.page('findings/one/index.html'))).toBe('One')
  })
})

