// myst.yml read into our configuration, and MyST's toc into our contents plan.

import { describe, expect, it } from 'vitest'
import { readMystConfig } from '../src/config/myst.js'
import type { SourceFile } from '../src/load/files.js'
import { globMatcher, planContents } from '../src/load/toc.js'
import { buildInMemory, text, texts, where } from './helpers.js'

const config = `version: 1
project:
  title: A Study
  subtitle: Of something
  description: What we found.
  date: 2024-03-18
  authors:
    - name: Rosa Lindqvist
      orcid: https://orcid.org/0000-0002-1825-0097
      affiliations: [north]
      email: rosa@example.org
      url: https://example.org/rosa
    - name: { given: Tomás, family: Ferreira }
      affiliations: [north, Open Lab]
    - Sam Okafor
  affiliations:
    - id: north
      name: Northfield University
  license:
    content: CC-BY-4.0
    code: MIT
  funding:
    awards:
      - id: G-1
        sources: [A Foundation]
  github: example-org/study
  doi: https://doi.org/10.5281/zenodo.1
  keywords: [one, two]
  thumbnail: thumb.png
  bibliography: refs.bib
  downloads:
    - file: data.csv
      title: The data
    - url: https://example.org/slides
      title: Slides
  exports:
    - format: docx
    - format: pdf
      articles: [index.md, b.md]
  venue: Somewhere
  toc:
    - file: index.md
site:
  template: book-theme
  options:
    logo: logo.png
    favicon: icon.png
    hide_toc: true
`

describe('myst.yml', () => {
  it('reads the project metadata into the report configuration', () => {
    const { value, messages } = readMystConfig('content/myst.yml', config)
    expect(value).toEqual({
      title: 'A Study',
      subtitle: 'Of something',
      description: 'What we found.',
      date: '2024-03-18',
      authors: [
        {
          name: 'Rosa Lindqvist',
          orcid: '0000-0002-1825-0097',
          affiliations: ['Northfield University'],
          email: 'rosa@example.org',
          url: 'https://example.org/rosa',
        },
        { name: 'Tomás Ferreira', affiliations: ['Northfield University', 'Open Lab'] },
        { name: 'Sam Okafor' },
      ],
      license: 'CC-BY-4.0',
      funder: 'A Foundation, G-1',
      repository: 'https://github.com/example-org/study',
      doi: '10.5281/zenodo.1',
      keywords: ['one', 'two'],
      thumbnail: 'thumb.png',
      bibliography: ['refs.bib'],
      downloads: [
        { title: 'The data', file: 'data.csv' },
        { title: 'Slides', url: 'https://example.org/slides' },
      ],
      full_report: ['index.md', 'b.md'],
      logo: 'logo.png',
      favicon: 'icon.png',
      toc: [{ file: 'index.md' }],
    })
    // Keys this generator does not use are info at their line, never more.
    expect(where(messages)).toEqual([
      'content/myst.yml:40:3 myst-key-supported',
      'content/myst.yml:44:3 myst-key-supported',
      'content/myst.yml:48:5 myst-key-supported',
    ])
    expect(messages.map((m) => m.severity)).toEqual(['info', 'info', 'info'])
    expect(messages[0]?.reason).toContain('`project.venue`')
  })

  it('leaves out a value it cannot use, with a note at its line', () => {
    const { value, messages } = readMystConfig('content/myst.yml', 'project:\n  title: T\n  authors:\n    - name: A\n      email: not-an-address\n')
    expect(value).toEqual({ title: 'T' })
    expect(where(messages)).toEqual(['content/myst.yml:3:3 myst-key-supported'])
  })

  it('reports broken YAML as an error at its place', () => {
    const { messages } = readMystConfig('content/myst.yml', 'project:\n  title: [unclosed\n')
    expect(messages.map((m) => [m.ruleId, m.severity])).toEqual([['yaml-valid', 'error']])
  })
})

describe("MyST's table of contents", () => {
  const source = (path: string): SourceFile => ({ path, display: `content/${path}`, text: `# ${path}\n` })
  const files = ['intro.md', 'README.md', 'chapters/a.md', 'chapters/b.md', 'chapters/notes/c.md', 'extra.md'].map(source)
  const myst = { path: 'myst.yml', display: 'content/myst.yml', text: '' }

  it('reads files, titled parts at any depth, chapters with children, links and patterns', () => {
    const plan = planContents(
      files,
      [
        { file: 'intro.md' },
        {
          title: 'Part',
          children: [{ file: 'chapters/a.md', title: 'First', children: [{ pattern: 'chapters/**/*.md' }] }],
        },
        { url: 'https://example.org', title: 'Elsewhere' },
      ],
      myst,
      { dialect: 'myst' },
    )
    // MyST publishes what its toc lists, and its first page is the home page.
    expect(plan.messages).toEqual([])
    expect(plan.chapters.map((c) => [c.source.path, c.slug, c.parts])).toEqual([
      ['intro.md', '', []],
      ['chapters/a.md', 'chapters/a', ['Part']],
      ['chapters/b.md', 'chapters/b', ['Part', 'First']],
      ['chapters/notes/c.md', 'chapters/notes/c', ['Part', 'First']],
    ])
    expect(plan.tree).toEqual([
      { kind: 'chapter', slug: '' },
      {
        kind: 'part',
        title: 'Part',
        children: [
          {
            kind: 'part',
            title: 'First',
            slug: 'chapters/a',
            children: [
              { kind: 'chapter', slug: 'chapters/b' },
              { kind: 'chapter', slug: 'chapters/notes/c' },
            ],
          },
        ],
      },
      { kind: 'link', title: 'Elsewhere', url: 'https://example.org' },
    ])
  })

  it('leaves out a kind of page it does not read, with a warning at its toc line', () => {
    const toc = { path: 'myst.yml', display: 'content/myst.yml', text: 'project:\n  toc:\n    - file: intro.md\n    - file: appendix.tex\n' }
    const plan = planContents(files, [{ file: 'intro.md' }, { file: 'appendix.tex' }], toc, { dialect: 'myst' })
    expect(plan.chapters.map((c) => c.source.path)).toEqual(['intro.md'])
    expect(where(plan.messages)).toEqual(['content/myst.yml:4:13 toc-file-supported'])
    expect(plan.messages[0]?.severity).toBe('warning')
  })

  it('reads a notebook the toc names, with or without its extension', () => {
    const toc = { path: 'myst.yml', display: 'content/myst.yml', text: 'project:\n  toc:\n    - file: intro.md\n    - file: analysis\n' }
    const notebook = { path: 'analysis.ipynb', display: 'content/analysis.ipynb', text: '{"cells": []}' }
    const plan = planContents([...files, notebook], [{ file: 'intro.md' }, { file: 'analysis' }], toc, { dialect: 'myst' })
    expect(plan.chapters.map((c) => [c.source.path, c.slug])).toEqual([['intro.md', ''], ['analysis.ipynb', 'analysis']])
    expect(plan.messages).toEqual([])
  })

  it('matches globs the way MyST writes them', () => {
    expect(['a.md', 'x/a.md', 'x/y/a.md', 'ab.md'].filter(globMatcher('*.md'))).toEqual(['a.md', 'ab.md'])
    expect(['a.md', 'x/a.md', 'x/y/a.md'].filter(globMatcher('**/a.md'))).toEqual(['a.md', 'x/a.md', 'x/y/a.md'])
    expect(['x/a.md', 'x/ab.md'].filter(globMatcher('x/?.md'))).toEqual(['x/a.md'])
  })
})

describe('a MyST project', () => {
  it('is a folder with myst.yml and no report.yml, and its folders may share names with our pages', () => {
    const site = buildInMemory({
      'myst.yml': 'version: 1\nproject:\n  title: From MyST\n  toc:\n    - file: start.md\n    - file: findings/one.md\n',
      'start.md': '# Start\n\n:::{note}\nA MyST note.\n:::\n',
      'findings/one.md': '# One\n',
      'unlisted.md': '# Not in the toc\n',
    })
    expect(site.messages).toEqual([])
    expect(text(site.page('index.html'), '.report-title')).toBe('From MyST')
    expect(texts(site.page('index.html'), '.callout-note p')).toEqual(['Note', 'A MyST note.'])
    expect(texts(site.page('index.html'), 'nav.sidebar a')).toEqual(['Start', 'One'])
    expect(site.files.has('findings/one/index.html')).toBe(true)
    expect(site.files.has('unlisted/index.html')).toBe(false)
  })

  it('shows the report\'s abstract on the landing page when it is written on another page', () => {
    const site = buildInMemory({
      'myst.yml': 'project:\n  title: T\n  toc:\n    - file: home.md\n    - file: paper.md\n',
      'home.md': '# Home\n\nWelcome.\n',
      'paper.md': '# Paper\n\n+++ {"part": "abstract"}\nWhat the paper found.\n\n+++\nThe paper itself.\n',
    })
    expect(site.messages).toEqual([])
    expect(texts(site.page('index.html'), '.prose > *')).toEqual(['AbstractWhat the paper found.', 'Welcome.'])
    expect(texts(site.page('paper/index.html'), '.prose > *')).toEqual(['AbstractWhat the paper found.', 'The paper itself.'])
  })

  it('is read as our own dialect when report.yml is there too', () => {
    const site = buildInMemory({
      'report.yml': 'title: Ours\n',
      'myst.yml': 'project:\n  title: Theirs\n',
      'index.md': '# Home\n\n```{note}\nNot a directive in our dialect.\n```\n',
    })
    expect(text(site.page('index.html'), '.report-title')).toBe('Ours')
    expect(texts(site.page('index.html'), '.callout')).toEqual([])
    expect(text(site.page('index.html'), 'pre code')).toBe('Not a directive in our dialect.')
  })
})
