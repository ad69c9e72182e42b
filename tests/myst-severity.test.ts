// A MyST project builds whenever mystmd would: what mystmd lets through is a
// warning there, the site is written, and the page shows something sensible
// in its place. Our own dialect keeps these as errors, and --strict still
// fails on them.

import { existsSync } from 'node:fs'
import { readFile } from 'node:fs/promises'
import path from 'node:path'
import type { Root } from 'hast'
import { fromHtml } from 'hast-util-from-html'
import { beforeAll, describe, expect, it } from 'vitest'
import { build } from '../src/build.js'
import { mystSeverities, rules } from '../src/rules.js'
import { attr, buildInMemory, buildProject, repoRoot, select, selectAll, tempDir, text, texts, writeFiles, type BuiltProject } from './helpers.js'

const myst = 'version: 1\nproject:\n  title: Handbook\n  toc:\n    - file: index.md\n    - file: intro.md\n    - file: intro.md\n    - file: fences.md\n'

const pages = {
  'index.md': [
    '# Home', // 1
    '',
    '![](pic.png)', // 3
    '',
    '![A bar chart](missing.png)', // 5
    '',
    'See [](#nowhere), [the plan](#plan), {ref}`gone` and [](other.md).', // 7
    '',
    '(dup)=', // 9
    '## One',
    '',
    '(dup)=', // 12
    '## Two',
    '',
    '```{sparkles} graph', // 15
    ':zoom: 2',
    'A --> B',
    '```',
    '',
    'A {sparkle}`shiny` word.', // 20
    '',
  ].join('\n'),
  'intro.md': ['(intro)=', '# Introduction', '', 'Text.', ''].join('\n'),
  'fences.md': [
    '# Fences', // 1
    '',
    '::::{note}', // 3
    ':::{tip}', // 4
    'Inside the tip.',
    '::::', // 6
    '',
    'After the note.', // 8
    '',
    '````{important}', // 10
    '```{hint}', // 11
    'Inside the hint.',
    '````', // 13
    '',
    ':::{warning}', // 15
    'Open to the end.',
    '',
  ].join('\n'),
  'pic.png': 'not really a picture',
}

describe('a MyST project with what mystmd builds anyway', () => {
  let built: BuiltProject
  beforeAll(async () => {
    built = await buildProject({ 'myst.yml': myst, ...pages })
  })

  it('reports each problem as a warning at its place, and writes the site', () => {
    const found = built.result.messages.filter((m) => m.severity !== 'info').map((m) => `${m.severity} ${path.basename(m.file)}:${m.line}:${m.column} ${m.ruleId}`)
    expect(found).toEqual([
      'warning fences.md:4:1 directive-closed',
      'warning fences.md:11:1 directive-closed',
      'warning fences.md:15:1 directive-closed',
      'warning index.md:3:1 image-has-alt',
      'warning index.md:5:1 image-exists',
      'warning index.md:7:5 reference-target-exists',
      'warning index.md:7:19 reference-target-exists',
      'warning index.md:7:38 reference-target-exists',
      'warning index.md:7:54 link-target-exists',
      'warning index.md:12:1 id-unique',
      'warning index.md:15:1 directive-known',
      'warning index.md:20:3 role-known',
      'warning myst.yml:7:13 toc-file-unique',
    ])
    expect(built.result.written).toBe(true)
    expect(existsSync(path.join(built.out, 'index.html'))).toBe(true)
  })

  it('says where an inner fence ends: at the fence around it, or at the end of the file', () => {
    const reasons = built.result.messages.filter((m) => m.ruleId === 'directive-closed').map((m) => m.reason)
    expect(reasons).toEqual([
      '`:::{tip}` is not closed before the fence that closes the directive around it, so it ends there',
      '````{hint}` is not closed before the fence that closes the directive around it, so it ends there',
      '`:::{warning}` is never closed, so it runs to the end of the file',
    ])
  })

  it('closes the outer fence over an inner one left open, as MyST does, for colons and backticks', async () => {
    const page = await built.page('fences/index.html')
    expect(texts(page, '.prose > .callout > .callout-title')).toEqual(['Note', 'Important', 'Warning'])
    expect(text(page, '.callout-note .callout-tip')).toBe('TipInside the tip.')
    expect(text(page, '.callout-important .callout-hint')).toBe('HintInside the hint.')
    // The paragraph after `::::` is outside the note, and the unclosed warning holds the rest of the file.
    expect(texts(page, '.prose > p')).toEqual(['After the note.'])
    expect(text(page, '.callout-warning')).toBe('WarningOpen to the end.')
  })

  it('shows an image with no alt text as it is, and a missing image as a placeholder that says what is missing', async () => {
    const page = await built.page('index.html')
    const images = selectAll('.prose img', page)
    expect(images.map((img) => [img.properties['src'], img.properties['alt']])).toEqual([['pic.png', '']])
    expect(texts(page, '.prose .image-missing')).toEqual(['A bar chart (missing image: missing.png)'])
    expect(existsSync(path.join(built.out, 'pic.png'))).toBe(true)
  })

  it('shows an unresolved reference as its text, or what it names, and never as a link', async () => {
    const page = await built.page('index.html')
    expect(texts(page, '.prose .reference-unresolved')).toEqual(['nowhere', 'the plan', 'gone', 'other.md'])
    expect(selectAll('.prose a', page).filter((a) => a.properties['href'] === undefined)).toEqual([])
    expect(selectAll('.prose .reference-unresolved a', page)).toEqual([])
  })

  it('gives a repeated label to the first block only; the second keeps an id of its own', async () => {
    const page = await built.page('index.html')
    expect(selectAll('.prose h2', page).map((h) => h.properties['id'])).toEqual(['dup', 'two'])
  })

  it('gives a label repeated on a figure to the first figure only, and links to that one', () => {
    const { messages, page } = buildInMemory({
      'myst.yml': 'version: 1\nproject:\n  title: Book\n',
      'index.md': '# Home\n\n```{figure} a.png\n:label: chart\n:alt: First\n\nFirst.\n```\n\n```{figure} b.png\n:label: chart\n:alt: Second\n\nSecond.\n```\n\nSee [](#chart).\n',
      'a.png': 'a',
      'b.png': 'b',
    })
    expect(messages.filter((m) => m.severity !== 'info').map((m) => `${m.severity} ${m.file}:${m.line}:${m.column} ${m.ruleId}`)).toEqual([
      'warning content/index.md:10:1 id-unique',
    ])
    const home = page('index.html')
    expect(selectAll('.prose figure', home).map((f) => f.properties['id'])).toEqual(['chart', undefined])
    expect(attr(home, '.prose p a', 'href')).toBe('#chart')
    expect(text(home, '.prose p a')).toBe('Figure 1')
  })

  it('shows an unknown directive and an unknown role as written, as code, as MyST does', async () => {
    const page = await built.page('index.html')
    expect(texts(page, '.directive.unhandled .container-title code')).toEqual(['{sparkles}', 'graph'])
    expect(text(page, '.directive.unhandled pre code')).toBe(':zoom: 2 A --> B')
    expect(texts(page, '.role.unhandled code')).toEqual(['{sparkle}', 'shiny'])
  })

  it('leaves a repeated toc entry out, once', async () => {
    const page = await built.page('index.html')
    expect(texts(page, '.landing-contents > ul:not(.index-links) a')).toEqual(['Home', 'Introduction', 'Fences'])
  })

  it('fails under --strict, and writes nothing', async () => {
    const strict = await buildProject({ 'myst.yml': myst, ...pages }, { strict: true })
    expect(strict.result.written).toBe(false)
    expect(existsSync(path.join(strict.out, 'index.html'))).toBe(false)
    expect(strict.result.messages.filter((m) => m.severity === 'warning').map((m) => m.ruleId)).toContain('image-exists')
  })
})

describe('what MyST skips and builds on', () => {
  const book = {
    'myst.yml': 'version: 1\nproject:\n  title: Handbook\n  toc:\n    - file: index.md\n    - file: gone.md\n',
    'index.md': '# Home\n\nSee [the table](table.html) and [@nokey].\n\n:::{include} missing.md\n:::\n\n:::{include} ../outside.md\n:::\n',
    'table.html': '<script>alert(1)</script>',
  }

  it('warns of a toc entry, an include and a citation key with nothing behind them, and of a file the site may not publish', () => {
    const site = buildInMemory(book)
    const found = site.messages.filter((m) => m.severity !== 'info').map((m) => `${m.file}:${m.line}:${m.column} ${m.severity} ${m.ruleId}`)
    expect(found.sort()).toEqual(
      [
        'content/index.md:3:5 warning file-publishable',
        'content/index.md:3:34 warning citation-key-exists',
        'content/index.md:5:14 warning include-file-exists',
        'content/index.md:8:14 error path-inside-project',
        'content/myst.yml:6:13 warning toc-file-exists',
      ].sort(),
    )
    const home = site.page('index.html')
    // The refused file is neither published nor linked to; its text stays.
    expect(site.files.has('table.html')).toBe(false)
    expect(selectAll('.prose a', home).map((a) => String(a.properties['href']))).not.toContain('table.html')
    expect(text(home, '.prose p')).toContain('the table')
    expect(text(home, '.prose p')).toContain('[@nokey]')
  })
})

describe("MyST's own stylesheet", () => {
  it('is linked from the pages of MyST projects only', () => {
    const linked = (files: Record<string, string>) => selectAll('link[rel="stylesheet"]', buildInMemory(files).page('index.html')).map((l) => String(l.properties['href']))
    expect(linked({ 'myst.yml': 'version: 1\nproject:\n  title: Book\n', 'index.md': '# Home\n' })).toEqual(['./assets/style.css', './assets/myst.css'])
    expect(linked({ 'report.yml': 'title: Ours\n', 'index.md': '# Home\n' })).toEqual(['./assets/style.css'])
  })
})

describe('the same problems in a report.yml project', () => {
  it('are errors, and nothing is written', async () => {
    const report = await buildProject({
      'report.yml': 'title: Report\ntoc:\n  - file: index.md\n  - file: intro.md\n  - file: intro.md\n',
      'index.md': '# Home\n\n![](pic.png)\n\n![A bar chart](missing.png)\n\nSee [](#nowhere) and [](other.md).\n',
      'intro.md': '# Introduction\n\nText.\n',
      'pic.png': 'not really a picture',
    })
    const found = report.result.messages.filter((m) => m.severity !== 'info').map((m) => `${m.severity} ${path.basename(m.file)}:${m.line}:${m.column} ${m.ruleId}`)
    expect(found).toEqual([
      'error index.md:3:1 image-has-alt',
      'error index.md:5:1 image-exists',
      'error index.md:7:5 reference-target-exists',
      'error index.md:7:22 link-target-exists',
      'error report.yml:5:11 toc-file-unique',
    ])
    expect(report.result.written).toBe(false)
  })

  it('keep a repeated finding id an error', () => {
    const { messages } = buildInMemory({
      'report.yml': 'title: R\n',
      'index.md': '# Home\n\n:::finding{#slow}\n## Slow\n:::\n\n:::finding{#slow}\n## Slow again\n:::\n',
    })
    expect(messages.filter((m) => m.ruleId === 'id-unique').map((m) => m.severity)).toEqual(['error'])
  })
})

describe('the severities table', () => {
  it('lowers only rules that are errors in our dialect, and docs/myst.md lists each with both severities', async () => {
    const doc = await readFile(path.join(repoRoot, 'docs', 'myst.md'), 'utf8')
    const section = doc.split(/^## /m).find((part) => part.startsWith('Severities'))!
    const rows = new Map([...section.matchAll(/^\| `([a-z-]+)` \| (error|warning|info) \| (error|warning|info) \|/gm)].map((m) => [m[1]!, [m[2]!, m[3]!]]))
    for (const [id, severity] of Object.entries(mystSeverities)) {
      expect(rules[id as keyof typeof rules]).toBe('error')
      expect([id, rows.get(id)]).toEqual([id, ['error', severity]])
    }
    expect([...rows.keys()].filter((id) => !(id in mystSeverities))).toEqual([])
  })
})

describe('a label written before the title heading', () => {
  const files = {
    'myst.yml': 'version: 1\nproject:\n  title: Book\n',
    'index.md': '# Home\n\nRead [](#intro), {ref}`intro`, [](intro), [the start](intro.md#intro) and {ref}`Start here <intro>`.\n',
    'intro.md': '(intro)=\n# Introduction\n\nText.\n',
  }

  it('names the page: every form of reference links to it, with its title', () => {
    const { messages, page } = buildInMemory(files)
    expect(messages.filter((m) => m.severity !== 'info')).toEqual([])
    const links = selectAll('.prose a', page('index.html'))
    expect(links.map((a) => [a.properties['href'], text({ type: 'root', children: [a] } as Root, 'a')])).toEqual([
      ['./intro/', 'Introduction'],
      ['./intro/', 'Introduction'],
      ['./intro/', 'Introduction'],
      ['./intro/', 'the start'],
      ['./intro/', 'Start here'],
    ])
  })

  it('leaves a bare word that is no label a link as written, as MyST does', () => {
    const { messages, page } = buildInMemory({ ...files, 'index.md': '# Home\n\nSee [the notes](notes).\n' })
    expect(messages.filter((m) => m.severity !== 'info')).toEqual([])
    expect(attr(page('index.html'), '.prose a', 'href')).toBe('notes')
  })
})

describe('a MyST project that is not an interview report', () => {
  const book = {
    'myst.yml': 'version: 1\nproject:\n  title: Handbook\n',
    'index.md': '# Home\n\nWelcome.\n',
    'guide.md': '# Guide\n\nSteps.\n',
  }

  async function site(files: Record<string, string>): Promise<{ out: string; page(file: string): Promise<Root> }> {
    const dir = await tempDir()
    await writeFiles(path.join(dir, 'content'), files)
    const out = path.join(dir, 'dist')
    const result = await build({ contentDir: path.join(dir, 'content'), outDir: out, siteUrl: 'https://example.org/book/', cache: false })
    expect(result.messages.filter((m) => m.severity !== 'info')).toEqual([])
    return { out, page: async (file) => fromHtml(await readFile(path.join(out, file), 'utf8')) }
  }

  it('has no findings, recommendations, evidence or participants pages, links or counts, in the sitemap or anywhere', async () => {
    const built = await site(book)
    for (const slug of ['findings', 'recommendations', 'evidence', 'participants']) {
      expect(existsSync(path.join(built.out, slug, 'index.html'))).toBe(false)
    }
    const landing = await built.page('index.html')
    expect(texts(landing, '.site-indexes a')).toEqual(['Full report'])
    expect(texts(landing, '.index-links a')).toEqual(['Full report'])
    expect(select('.at-a-glance', landing)).toBeUndefined()
    expect(texts(await built.page('404.html'), '.not-found li a').slice(1)).toEqual(['Full report'])
    expect(text(await built.page('search/index.html'), '.search-fallback')).not.toMatch(/finding|recommendation/i)
    const sitemap = await readFile(path.join(built.out, 'sitemap.xml'), 'utf8')
    expect(sitemap).not.toMatch(/findings|recommendations|evidence|participants/)
    expect(sitemap).toContain('https://example.org/book/guide/')
  })

  it('has them all once it has a finding', async () => {
    const built = await site({ ...book, 'guide.md': '# Guide\n\n:::{finding}\n:label: slow\n## Reviews are slow\n\n> A month, no answer.\n> -- P1\n:::\n' })
    for (const slug of ['findings', 'recommendations', 'evidence', 'participants']) {
      expect(existsSync(path.join(built.out, slug, 'index.html'))).toBe(true)
    }
    const landing = await built.page('index.html')
    expect(texts(landing, '.site-indexes a')).toEqual(['Findings', 'Recommendations', 'Evidence map', 'Participants', 'Full report'])
    expect(text(landing, '.at-a-glance')).toMatch(/^1 finding, 0 recommendations, /)
    expect(await readFile(path.join(built.out, 'sitemap.xml'), 'utf8')).toContain('https://example.org/book/findings/')
  })
})
