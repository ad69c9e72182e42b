// Two MyST projects written for the tests (tests/fixtures/myst-small and
// myst-all), built for real, offline, and read back as hast. Math needs the
// `temml` package: without it the math assertions fail, they are not skipped.

import { execFile } from 'node:child_process'
import { existsSync } from 'node:fs'
import { cp } from 'node:fs/promises'
import net from 'node:net'
import path from 'node:path'
import { promisify } from 'node:util'
import type { Element, Root } from 'hast'
import { fromHtml } from 'hast-util-from-html'
import { readFile } from 'node:fs/promises'
import { beforeAll, describe, expect, it } from 'vitest'
import { build, type BuildResult } from '../src/build.js'
import { attr, repoRoot, select, selectAll, tempDir, text, texts, writeFiles } from './helpers.js'

interface Built {
  result: BuildResult
  out: string
  /** Network connections the build tried to open. */
  attempts: string[]
  page(file: string): Promise<Root>
}

/** Build a fixture with every way out to the network shut, and remember what tried to use one. */
async function buildOffline(fixture: string): Promise<Built> {
  const dir = await tempDir()
  const content = path.join(dir, 'content')
  const out = path.join(dir, 'dist')
  await cp(path.join(repoRoot, 'tests', 'fixtures', fixture), content, { recursive: true })
  const attempts: string[] = []
  const connect = net.Socket.prototype.connect
  const fetch = globalThis.fetch
  net.Socket.prototype.connect = function (this: net.Socket, ...args: unknown[]) {
    attempts.push(JSON.stringify(args[0]))
    throw new Error('This test runs offline')
  } as typeof connect
  globalThis.fetch = async (input) => {
    attempts.push(String(input))
    throw new Error('This test runs offline')
  }
  try {
    const result = await build({ contentDir: content, outDir: out })
    return { result, out, attempts, page: async (file) => fromHtml(await readFile(path.join(out, file), 'utf8')) }
  } finally {
    net.Socket.prototype.connect = connect
    globalThis.fetch = fetch
  }
}

/** Every link from one page of the site to another (or to itself) that leads nowhere: a missing file or a missing id. */
async function brokenLinks(built: Built): Promise<string[]> {
  const pages = built.result.pages
  const trees = new Map<string, Root>()
  for (const page of pages) trees.set(page, await built.page(page))
  const broken: string[] = []
  for (const [page, tree] of trees) {
    for (const a of selectAll('a[href]', tree)) {
      const href = String(a.properties['href'])
      if (/^[a-z][a-z0-9+.-]*:/i.test(href) || href.startsWith('//')) continue
      const url = new URL(href, `http://site/${page}`)
      let target = decodeURIComponent(url.pathname.slice(1))
      if (target === '' || target.endsWith('/')) target += 'index.html'
      if (!existsSync(path.join(built.out, target))) {
        broken.push(`${page}: ${href}`)
        continue
      }
      const id = decodeURIComponent(url.hash.slice(1))
      const other = trees.get(target)
      if (id && other && !select(`[id="${id}"]`, other)) broken.push(`${page}: ${href}`)
    }
  }
  return broken
}

const problems = (result: BuildResult) => result.messages.filter((m) => m.severity !== 'info').map((m) => `${m.file}:${m.line}:${m.column} ${m.ruleId}: ${m.reason}`)

/** Every address a page loads something from (scripts, styles, images, icons). */
function loaded(tree: Root): string[] {
  return selectAll('script[src], link[rel~=stylesheet], link[rel~=icon], link[rel~=preload], img[src], source[srcset]', tree).map((e: Element) =>
    String(e.properties['src'] ?? e.properties['href'] ?? e.properties['srcSet']),
  )
}

describe('a small Jupyter Book 2 report', () => {
  let built: Built
  beforeAll(async () => {
    built = await buildOffline('myst-small')
  })

  it('builds unchanged, offline, with no errors or warnings, and loads nothing from elsewhere', async () => {
    expect(problems(built.result)).toEqual([])
    expect(built.result.written).toBe(true)
    expect(built.attempts).toEqual([])
    for (const page of ['index.html', 'findings/teaching/index.html', 'methods/index.html']) {
      for (const url of loaded(await built.page(page))) expect(url).not.toMatch(/^(https?:)?\/\//)
    }
  })

  it('has no link that leads nowhere, on any page', async () => {
    expect(await brokenLinks(built)).toEqual([])
  })

  it('shows the project metadata from myst.yml on the landing page', async () => {
    const home = await built.page('index.html')
    expect(text(home, '.report-title')).toBe('Teaching with Shared Notebooks')
    expect(text(home, '.report-subtitle')).toBe('What six instructors told us about running a course on a hub')
    expect(texts(home, '.authors .author-name')).toEqual(['Rosa Lindqvist', 'Tomás Ferreira'])
    expect(texts(home, '.authors .affiliation')).toEqual([', Northfield University', ', Northfield University, Open Teaching Lab'])
    expect(attr(home, '.authors .orcid', 'href')).toBe('https://orcid.org/0000-0002-1825-0097')
    const meta = Object.fromEntries(selectAll('.report-meta div', home).map((d) => [text(d as unknown as Root, 'dt'), text(d as unknown as Root, 'dd')]))
    expect(meta).toEqual({
      Published: '18 March 2024',
      Licence: 'CC-BY-4.0',
      Funder: 'Supported by a small teaching-innovation grant from Northfield University.',
      DOI: '10.5281/zenodo.0000001',
      Keywords: 'teaching, notebooks, interviews',
    })
    expect(attr(home, '.report-meta a[href^="https://doi.org/"]', 'href')).toBe('https://doi.org/10.5281/zenodo.0000001')
    expect(attr(home, 'meta[name=description]', 'content')).toBe('A short interview study of instructors who teach with a shared notebook server.')
  })

  it('puts the +++ abstract at the top of the landing page, and lists the contents where {tableofcontents} stands', async () => {
    const home = await built.page('index.html')
    const prose = select('.prose', home)!
    const first = prose.children.find((c): c is Element => c.type === 'element')
    expect(first?.properties['className']).toEqual(['part', 'part-abstract'])
    expect(text(home, '.part-abstract h2')).toBe('Abstract')
    expect(text(home, '.part-abstract p')).toMatch(/^Six instructors who teach programming-heavy courses/)
    expect(texts(home, '.prose .contents-list a')).toEqual([
      'Teaching with Shared Notebooks',
      'How we did it',
      'Teaching on the hub',
      'Infrastructure under deadline',
      'A guide for instructors',
    ])
    // A `%` comment is not published.
    expect(text(home, '.prose')).not.toContain('Reviewers asked us')
  })

  it('follows the nested toc: a titled part, a chapter with a chapter under it, and an outside link', async () => {
    const page = await built.page('findings/infrastructure/index.html')
    expect(texts(page, 'nav.sidebar .nav-part-title')).toEqual(['What we heard', 'Teaching on the hub'])
    expect(attr(page, 'nav.sidebar a.nav-part-title', 'href')).toBe('../../findings/teaching/')
    expect(attr(page, 'nav.sidebar .nav-link a', 'href')).toBe('https://example.org/notebook-teaching-guide')
    expect(texts(page, '.breadcrumbs li')).toEqual(['Teaching with Shared Notebooks', 'What we heard', 'Teaching on the hub', 'Infrastructure under deadline'])
  })

  it('uses the logo and favicon from site.options, and offers the downloads', async () => {
    const home = await built.page('index.html')
    expect(attr(home, '.site-title img', 'src')).toBe('./images/logo.png')
    expect(attr(home, 'link[rel=icon]', 'href')).toBe('./images/logo.png')
    expect(texts(home, '.downloads a')).toEqual(['Workshop photo'])
    expect(attr(home, '.downloads a', 'href')).toBe('./images/workshop.png')
    expect(existsSync(path.join(built.out, 'images', 'logo.png'))).toBe(true)
  })

  it('numbers the labelled figure, and {numref} links to it with its number', async () => {
    const page = await built.page('findings/teaching/index.html')
    expect(text(page, 'figure#fig-workshop figcaption')).toBe('Figure 1: A workshop in the second week of term, with every student on the hub.')
    const src = attr(page, 'figure#fig-workshop img', 'src')!
    expect(existsSync(path.resolve(built.out, 'findings/teaching', src))).toBe(true)
    expect(attr(page, 'figure#fig-workshop img', 'alt')).toBe('Students working at laptops during a notebook workshop.')
    const references = selectAll('.prose a[href="#fig-workshop"]', page).map((a) => text(a as unknown as Root, 'a'))
    expect(references).toEqual(['Figure 1', 'Figure 1'])
  })

  it('shows > -- Name quotes with their attribution as written, footnotes and an admonition', async () => {
    const page = await built.page('findings/teaching/index.html')
    expect(texts(page, 'figure.quote figcaption')).toEqual(['— Mariam', '— Henrik'])
    expect(texts(page, 'section.footnotes li')).toEqual([
      'Two instructors still spend part of the first week on installation, because their students must also work offline. ↩',
    ])
    expect(text(page, '.callout-tip .callout-title')).toBe('Try this in your own course')
    expect(attr(page, '.prose a[href*="sec-analysis"]', 'href')).toBe('../../methods/#sec-analysis')
    expect(text(await built.page('methods/index.html'), 'h2#sec-analysis')).toBe('Analysis')
  })

  it('prints the articles of the PDF export in the full report', async () => {
    const full = await built.page('full-report/index.html')
    // The first article is titled as the report: it opens the report under the title block, without a heading of its own.
    expect(texts(full, '.chapter-section > h2')).toEqual(['Teaching on the hub'])
    expect(select('.chapter-section.opening', full)).toBeDefined()
  })
})

describe('a project with every directive and role', () => {
  let built: Built
  beforeAll(async () => {
    built = await buildOffline('myst-all')
  })

  it('builds offline with no errors or warnings', () => {
    expect(problems(built.result)).toEqual([])
    expect(built.result.written).toBe(true)
    expect(built.attempts).toEqual([])
  })

  it('has no link that leads nowhere, on any page, the full report included', async () => {
    expect(await brokenLinks(built)).toEqual([])
  })

  it('renders every admonition, the titled one, a dropdown and nested fences', async () => {
    const page = await built.page('chapters/a-admonitions/index.html')
    expect(selectAll('.prose > .callout', page).map((c) => (c.properties['className'] as string[])[1])).toEqual([
      'callout-note',
      'callout-tip',
      'callout-hint',
      'callout-important',
      'callout-warning',
      'callout-caution',
      'callout-attention',
      'callout-danger',
      'callout-error',
      'callout-seealso',
      'callout-tip',
      'callout-note',
      'callout-important',
    ])
    expect(texts(page, '.prose > .callout > .callout-title')).toEqual([
      'Note',
      'Tip',
      'Hint',
      'Important',
      'Warning',
      'Caution',
      'Attention',
      'Danger',
      'Error',
      'See also',
      'A titled admonition',
      'Folded away',
      'An outer fence',
    ])
    expect(select('details.callout:not([open]) > summary', page)).toBeDefined()
    expect(text(page, '.callout-important .callout-tip .callout-title')).toBe('A nested fence')
  })

  it('numbers figures, tables, code and equations, and links to them by number', async () => {
    const page = await built.page('chapters/b-figures/index.html')
    expect(text(page, 'figure#fig-chart figcaption')).toBe('Figure 1: A chart with a caption.')
    expect(attr(page, 'figure#fig-chart img', 'width')).toBe('120')
    expect(attr(page, '#img-plain img', 'alt')).toBe('The same chart as a plain image.')
    expect(text(page, 'figure#tbl-hours figcaption')).toBe('Table 1: Hours spent each week')
    expect(texts(page, 'figure#tbl-hours td')).toEqual(['Teaching', '6', 'Support', '3'])
    expect(text(page, 'figure#tbl-tools figcaption')).toBe('Table 2: Tools in use')
    expect(texts(page, 'figure#tbl-tools th')).toEqual(['Tool', 'Users'])
    expect(texts(page, 'figure#tbl-tools td')).toEqual(['Notebook server', '40', 'Shared drive', '12'])
    expect(text(page, 'figure#code-start figcaption')).toBe('Program 1: Starting a server')
    expect(text(page, 'figure#code-start code.language-python')).toBe('start_server(users=40)')
    expect(texts(page, '.equation-number')).toEqual(['(1)', '(2)'])
    expect(texts(page, '.prose p:last-child a')).toEqual(['Figure 1', 'Table 1', 'Table 2', 'Program 1', '(1)', '(2)'])
  })

  it('renders math as MathML at build time', async () => {
    const page = await built.page('chapters/b-figures/index.html')
    expect(selectAll('#eq-area math[display=block]', page)).toHaveLength(1)
    expect(text(page, '#eq-area annotation')).toBe('A = \\pi r^2')
    expect(selectAll('span.math-inline > math', page)).toHaveLength(1)
    expect(selectAll('#eq-integral math msubsup', page)).toHaveLength(1)
    const roles = await built.page('chapters/d-roles/index.html')
    expect(selectAll('span.math-inline math mfrac', roles)).toHaveLength(1)
  })

  it('renders the containers, quotes, include, glossary, and our findings and recommendation', async () => {
    const page = await built.page('chapters/c-containers/index.html')
    expect(texts(page, '.prose > .contents-list > li > a')).toEqual(['Every directive and role'])
    expect(text(page, '.epigraph figcaption')).toBe('— A maintainer we spoke to')
    expect(text(page, '.pull-quote blockquote')).toBe('Reviews are where newcomers decide whether to stay.')
    expect(text(page, '.blockquote figcaption')).toBe('— Somebody, 2023')
    expect(text(page, '.prose > p:nth-of-type(1)')).toBe('This paragraph lives in a snippet file and is included where it is needed.')
    expect(texts(page, 'dl.glossary dt').map((t) => t)).toEqual(['Hub', 'Kernel'])
    expect(selectAll('dl.glossary dt', page).map((dt) => dt.properties['id'])).toEqual(['term-hub', 'term-kernel'])
    expect(text(page, 'aside.aside')).toBe('An aside next to the text.')
    expect(text(page, 'aside.margin .container-title')).toBe('In the margin')
    expect(text(page, 'details.dropdown[open] summary')).toBe('Open me')
    expect(text(page, 'div.highlight')).toBe('A plain division with a class.')
    expect(texts(page, 'div.grid > div.card > .container-title')).toEqual(['First card', 'Second card'])
    expect(text(page, 'div.card .card-footer')).toBe('A footer line')
    expect(texts(page, 'section.finding .finding-title')).toEqual(['Finding 1 Reviews wait too long', 'Finding 2 The brace form works too'])
    expect(texts(page, 'section#r-rota .related a')).toEqual(['Finding 1: Reviews wait too long', 'Finding 2: The brace form works too'])
    const findings = await built.page('findings/index.html')
    expect(texts(findings, '.finding-link')).toEqual(['Finding 1 Reviews wait too long', 'Finding 2 The brace form works too'])
  })

  it('renders every role and resolves references across pages', async () => {
    const page = await built.page('chapters/d-roles/index.html')
    expect(texts(page, '.prose sub, .prose sup, .prose kbd, .prose u')).toEqual(['2', '2', 'Ctrl+C', 'underlined'])
    expect(attr(page, '.prose abbr', 'title')).toBe('Markedly Structured Text')
    expect(selectAll('.prose a[href*="#term-"]', page).map((a) => a.properties['href'])).toEqual([
      '../../chapters/c-containers/#term-hub',
      '../../chapters/c-containers/#term-kernel',
    ])
    expect(texts(page, '.prose > ul > li')).toEqual([
      'Inline roles and Inline roles and the roles section',
      'Figure 1 on another page, and the chart',
      'Figures, tables and code and the container page',
      'Finding 1: Reviews wait too long and Recommendation 1: Share reviewing through a rota',
    ])
    expect(text(page, '.prose')).not.toContain('This comment line')
    expect(texts(page, '.citation-inline')).toEqual(['(Smith & Doe, 2020)', '(Kim, 2019; Lee, 2018)', 'Ng (2021)'])
  })

  it('formats every pandoc citation form, places the references at {bibliography}, and lists every work on the bibliography page', async () => {
    const page = await built.page('chapters/e-citations/index.html')
    expect(texts(page, '.citation-inline')).toEqual([
      '(Smith & Doe, 2020)',
      '(Kim, 2019, p. 3; Lee, 2018)',
      '(see Ng, 2021)',
      '(2022)',
      'Smith & Doe (2020)',
      'Lee (2018, p. 12)',
    ])
    expect(texts(page, 'section.references li').map((t) => t.split(' (')[0])).toEqual(['Kim, B.', 'Lee, A.', 'Ng, L.', 'Project Jupyter.', 'Smith, J., & Doe, J.'])
    const bibliography = await built.page('bibliography/index.html')
    expect(selectAll('section.references li', bibliography)).toHaveLength(5)
  })
})

describe('fieldnotes check on a MyST project', () => {
  it('reports unknown directives and roles with their lines, and exits 0 since they are warnings', async () => {
    const dir = await tempDir()
    await writeFiles(dir, {
      'myst.yml': 'version: 1\nproject:\n  title: Check me\n',
      'index.md': '# Home\n\nSome {sparkle}`shiny` text.\n\n```{sparkles}\ngraph TD; A-->B\n```\n',
    })
    const run = promisify(execFile)
    const { stderr } = await run(process.execPath, [path.join(repoRoot, 'bin', 'fieldnotes.js'), 'check'], {
      cwd: dir,
      env: { ...process.env, GITHUB_ACTIONS: '' },
    })
    const lines = stderr.split('\n').filter((line) => /  (warning|error)  /.test(line))
    expect(lines).toEqual([
      'index.md:3:6  warning  Unknown role `{sparkle}`; it is shown as written, as code  role-known',
      'index.md:5:1  warning  Unknown directive `{sparkles}`; it is shown as written, in a code block  directive-known',
    ])
  })
})
