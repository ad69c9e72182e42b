// A MyST project's configuration beyond myst.yml itself: the files it
// `extends:`, Jupyter Book 1's `_toc.yml` and `_config.yml`, and the project
// settings that change every page (exclude, math macros, abbreviations, logo
// and favicon), checked on the built site and its messages.

import { toString } from 'hast-util-to-string'
import { describe, expect, it } from 'vitest'
import { attr, buildInMemory, buildProject, select, selectAll, text, texts, where } from './helpers.js'

const sidebar = (site: ReturnType<typeof buildInMemory>) => texts(site.page('index.html'), 'nav.sidebar a')

describe('myst.yml extends', () => {
  it('reads the toc and settings from extended files, paths relative to each file, the naming file winning', () => {
    const site = buildInMemory({
      'myst.yml': 'version: 1\nextends:\n  - config/book.yml\nproject:\n  title: The Main Title\n  math:\n    \\field: \\mathbb{R}\n',
      // Extends its neighbour `macros.yml` by a path relative to itself, not to myst.yml.
      'config/book.yml': 'version: 1\nextends: macros.yml\nproject:\n  title: Overridden\n  venue: Somewhere\n  toc:\n    - file: intro.md\n    - title: Part One\n      children:\n        - file: one.md\n    - file: missing.md\nsite:\n  options:\n    logo: logo.png\n',
      'config/macros.yml': 'version: 1\nproject:\n  math:\n    \\diff: \\mathrm{d}\n    \\field: \\mathbb{Z}\n',
      'intro.md': '# Intro\n\n$\\int f \\diff x$ over $\\field$.\n',
      'one.md': '# One\n',
      'logo.png': '',
    })
    // Messages about a key point at the file that wrote it.
    expect(where(site.messages)).toEqual(['content/config/book.yml:5:3 myst-key-supported', 'content/config/book.yml:11:13 toc-file-exists'])
    expect(site.messages[0]?.reason).toBe('`project.venue` in config/book.yml is not used by this generator')
    const page = site.page('index.html')
    expect(text(page, '.report-title')).toBe('The Main Title')
    expect(sidebar(site)).toEqual(['Intro', 'One'])
    expect(attr(page, '.site-logo img', 'src')).toBe('./logo.png')
    // Macros from both files (Temml knows neither), myst.yml's `\field` over the one it extends.
    const formulas = selectAll('.prose span.math-inline math', page)
    expect(formulas).toHaveLength(2)
    expect(selectAll('mi[mathvariant=normal]', formulas[0]!).map((n) => toString(n))).toContain('d')
    expect(toString(formulas[1]!)).toContain('ℝ')
    expect(toString(formulas[1]!)).not.toContain('ℤ')
  })

  it('reads extended files and _toc.yml from the project folder when it builds', async () => {
    const built = await buildProject({
      'myst.yml': 'version: 1\nextends: settings/toc.yml\nproject:\n  title: From Disk\n',
      'settings/toc.yml': 'version: 1\nproject:\n  toc:\n    - file: intro.md\n    - file: next.md\n',
      '_toc.yml': 'format: jb-book\nroot: intro\nchapters:\n  - file: other\n',
      'intro.md': '# Intro\n',
      'next.md': '# Next\n',
      'other.md': '# Other\n',
    })
    // The file is named as the build names its content folder.
    expect(built.result.messages.map((m) => [m.file.endsWith('/content/_toc.yml'), m.line, m.column, m.ruleId])).toEqual([[true, 1, 1, 'toc-defined-once']])
    expect(texts(await built.page('index.html'), 'nav.sidebar a')).toEqual(['Intro', 'Next'])
    expect(text(await built.page('index.html'), '.report-title')).toBe('From Disk')
  })

  it('reports an entry that is missing, outside the project, circular, or a URL, and never fetches', () => {
    const site = buildInMemory({
      'myst.yml': [
        'version: 1',
        'extends:',
        '  - nowhere.yml',
        '  - ../outside.yml',
        '  - https://example.org/shared.yml',
        '  - loop/a.yml',
        'project:',
        '  title: T',
        '',
      ].join('\n'),
      'loop/a.yml': 'version: 1\nextends: b.yml\nproject:\n  keywords: [a]\n',
      'loop/b.yml': 'version: 1\nextends: ../myst.yml\n',
      'index.md': '# Home\n',
    })
    expect(where(site.messages)).toEqual([
      'content/loop/b.yml:2:1 myst-extends-resolves',
      'content/myst.yml:3:5 myst-extends-resolves',
      'content/myst.yml:4:5 myst-extends-resolves',
      'content/myst.yml:5:5 myst-extends-local',
    ])
    expect(site.messages.map((m) => [m.severity, m.reason])).toEqual([
      ['error', '`../myst.yml` extends itself in a circle (myst.yml > loop/a.yml > loop/b.yml > myst.yml), so it is not read again'],
      ['error', '`nowhere.yml` is not in the project, so it is not read'],
      ['error', '`../outside.yml` is outside the project, so it is not read'],
      ['warning', '`https://example.org/shared.yml` is not read: fieldnotes builds without the network, so configuration from a URL is left out'],
    ])
    expect(text(site.page('index.html'), '.report-title')).toBe('T')
  })
})

describe("Jupyter Book's _toc.yml", () => {
  const pages = {
    'intro.md': '# Intro\n',
    'part1/a.md': '# A\n',
    'part1/a1.md': '# A one\n',
    'part2/b.md': '# B\n',
    'part2/extra/c.md': '# C\n',
    'part2/extra/d.md': '# D\n',
    'loose.md': '# Loose\n',
  }

  it('is the toc of a myst.yml that has none: root, parts with captions, chapters, sections, urls and globs', () => {
    const site = buildInMemory({
      'myst.yml': 'version: 1\nproject:\n  title: Book\n',
      '_toc.yml': [
        'format: jb-book',
        'root: intro',
        'parts:',
        '  - caption: First part',
        '    chapters:',
        '      - file: part1/a',
        '        sections:',
        '          - file: part1/a1',
        '  - caption: Second part',
        '    chapters:',
        '      - file: part2/b.md',
        '        title: Bee',
        '      - glob: part2/extra/*',
        '      - url: https://example.org',
        '        title: Elsewhere',
        '',
      ].join('\n'),
      ...pages,
    })
    expect(site.messages).toEqual([])
    expect(sidebar(site)).toEqual(['Intro', 'A', 'A one', 'Bee', 'C', 'D', 'Elsewhere'])
    expect(texts(site.page('index.html'), 'nav.sidebar .nav-part-title')).toEqual(['First part', 'A', 'Second part'])
    // What the toc leaves out is not published, as with myst.yml's own toc.
    expect(site.files.has('loose/index.html')).toBe(false)
    expect(site.files.has('part1/a1/index.html')).toBe(true)
  })

  it('reads a jb-article, whose sections follow the root', () => {
    const site = buildInMemory({
      'myst.yml': 'version: 1\nproject:\n  title: Article\n',
      '_toc.yml': 'format: jb-article\nroot: intro\nsections:\n  - file: loose\n  - file: part1/a\n',
      ...pages,
    })
    expect(site.messages).toEqual([])
    expect(sidebar(site)).toEqual(['Intro', 'Loose', 'A'])
  })

  it('reports its problems at their lines', () => {
    const broken = buildInMemory({
      'myst.yml': 'version: 1\nproject:\n  title: Book\n',
      '_toc.yml': 'format: jb-book\nroot: intro\nchapters:\n  - file: part1/a\n  - title: Nothing here\n  - file: nowhere\n',
      ...pages,
    })
    expect(where(broken.messages)).toEqual(['content/_toc.yml:5:5 legacy-toc-valid', 'content/_toc.yml:6:11 toc-file-exists'])
    expect(broken.messages[0]?.severity).toBe('error')
    expect(sidebar(broken)).toEqual(['Intro', 'A'])

    const unread = buildInMemory({ 'myst.yml': 'version: 1\nproject:\n  title: Book\n', '_toc.yml': 'format: sphinx\nroot: intro\n', ...pages })
    expect(where(unread.messages)).toEqual(['content/_toc.yml:1:1 legacy-toc-valid'])
    expect(unread.messages[0]?.reason).toBe('The format `sphinx` is not one MyST reads, so this table of contents is not read')
    // Then every file is listed, as MyST does without a toc.
    expect(sidebar(unread)).toEqual(['Intro', 'Loose', 'A', 'A one', 'B', 'C', 'D'])
  })

  it('is not read, with a warning, when myst.yml has a toc', () => {
    const site = buildInMemory({
      'myst.yml': 'version: 1\nproject:\n  title: Book\n  toc:\n    - file: intro.md\n',
      '_toc.yml': 'format: jb-book\nroot: intro\nchapters:\n  - file: loose\n',
      ...pages,
    })
    expect(where(site.messages)).toEqual(['content/_toc.yml:1:1 toc-defined-once'])
    expect(sidebar(site)).toEqual(['Intro'])
  })

  it('with _config.yml and no myst.yml, makes a Jupyter Book 1 folder a MyST project', () => {
    const site = buildInMemory({
      '_config.yml': [
        'title: An Old Book',
        'author: Ada Lovelace and Charles Babbage',
        'logo: logo.png',
        'exclude_patterns: [drafts/*]',
        'html:',
        '  favicon: icon.png',
        '  use_edit_page_button: true',
        'repository:',
        '  url: https://github.com/example/book',
        'execute:',
        '  execute_notebooks: force',
        '',
      ].join('\n'),
      '_toc.yml': 'format: jb-book\nroot: intro\nchapters:\n  - file: loose\n',
      'intro.md': '# Intro\n\n:::{note}\nRead as MyST.\n:::\n',
      'loose.md': '# Loose\n',
      'logo.png': '',
      'icon.png': '',
    })
    expect(where(site.messages)).toEqual(['content/_config.yml:7:3 myst-key-supported', 'content/_config.yml:10:1 myst-key-supported'])
    const page = site.page('index.html')
    expect(text(page, '.report-title')).toBe('An Old Book')
    expect(texts(page, '.callout-note p')).toEqual(['Note', 'Read as MyST.'])
    expect(sidebar(site)).toEqual(['Intro', 'Loose'])
    expect(attr(page, '.site-logo img', 'src')).toBe('./logo.png')
    expect(attr(page, 'link[rel=icon]', 'href')).toBe('./icon.png')
    // The author line is split into people, as `myst init` does.
    expect(texts(page, 'ul.authors .author-name')).toEqual(['Ada Lovelace', 'Charles Babbage'])
  })
})

describe('project settings of myst.yml', () => {
  it('leaves out the files `project.exclude` names, from the implicit toc and from toc patterns', () => {
    const files = { 'index.md': '# Home\n', 'notes.md': '# Notes\n', 'drafts/a.md': '# Draft A\n', 'kept/b.md': '# B\n', 'kept/c.md': '# C\n' }
    const implicit = buildInMemory({ 'myst.yml': 'version: 1\nproject:\n  title: T\n  exclude:\n    - drafts\n    - notes.md\n', ...files })
    expect(implicit.messages).toEqual([])
    expect(sidebar(implicit)).toEqual(['Home', 'B', 'C'])
    expect(implicit.files.has('drafts/a/index.html')).toBe(false)

    const patterned = buildInMemory({
      'myst.yml': 'version: 1\nproject:\n  title: T\n  exclude: ["kept/c.md"]\n  toc:\n    - file: index.md\n    - pattern: "**/*.md"\n    - file: kept/c.md\n',
      ...files,
    })
    expect(patterned.messages).toEqual([])
    // A file the toc names is still read, as in MyST.
    expect(sidebar(patterned)).toEqual(['Home', 'Draft A', 'B', 'Notes', 'C'])
  })

  it('applies `project.math` macros on every page', () => {
    const files = {
      'index.md': '# Home\n\n$$\n\\diff x\n$$\n',
      'other.md': '# Other\n\nInline $\\diff t$ and {math}`\\diff s`.\n',
    }
    const site = buildInMemory({ 'myst.yml': "version: 1\nproject:\n  title: T\n  math:\n    '\\diff': '\\mathrm{d}'\n", ...files })
    expect(site.messages).toEqual([])
    expect(selectAll('.prose .math-display math', site.page('index.html'))).toHaveLength(1)
    expect(selectAll('.prose .math-inline math', site.page('other/index.html'))).toHaveLength(2)
    expect(selectAll('.prose math mi[mathvariant=normal]', site.page('other/index.html')).map((n) => toString(n))).toEqual(['d', 'd'])
    // Without the macro, the same pages cannot be read.
    const bare = buildInMemory({ 'myst.yml': 'version: 1\nproject:\n  title: T\n', ...files })
    expect(where(bare.messages)).toEqual(['content/index.md:3:1 math-renders', 'content/other.md:3:8 math-renders', 'content/other.md:3:28 math-renders'])
  })

  it('turns each `project.abbreviations` entry in the text into <abbr>, except in links, code and longer words', () => {
    const site = buildInMemory({
      'myst.yml': 'version: 1\nproject:\n  title: T\n  abbreviations:\n    MyST: Markedly Structured Text\n    HTML: HyperText Markup Language\n',
      'index.md': '# Home\n\nMyST makes HTML, and MySTery stays a word. {abbr}`MyST` too.\n\n[MyST in a link](https://mystmd.org) and `MyST in code`.\n\n## HTML in a heading\n',
      'other.md': '# Other\n\n- MyST on another page\n',
    })
    expect(site.messages).toEqual([])
    const page = site.page('index.html')
    expect(selectAll('.prose abbr', page).map((a) => [toString(a), a.properties['title']])).toEqual([
      ['MyST', 'Markedly Structured Text'],
      ['HTML', 'HyperText Markup Language'],
      ['MyST', 'Markedly Structured Text'],
      ['HTML', 'HyperText Markup Language'],
    ])
    expect(text(page, '.prose a[href^="https"]')).toBe('MyST in a link')
    expect(select('.prose a:not(.permalink) abbr, .prose code abbr', page)).toBeUndefined()
    expect(selectAll('.prose li abbr', site.page('other/index.html')).map((a) => a.properties['title'])).toEqual(['Markedly Structured Text'])
  })

  it('publishes `site.options` logo, dark logo and favicon, on every page', async () => {
    const built = await buildProject({
      'myst.yml': 'version: 1\nproject:\n  title: T\nsite:\n  options:\n    logo: images/logo.png\n    logo_dark: images/logo-dark.png\n    favicon: images/icon.png\n',
      'index.md': '# Home\n',
      'a/b.md': '# B\n',
      'images/logo.png': 'png',
      'images/logo-dark.png': 'png',
      'images/icon.png': 'png',
    })
    expect(built.result.messages).toEqual([])
    const home = await built.page('index.html')
    expect(attr(home, '.site-logo img', 'src')).toBe('./images/logo.png')
    expect(attr(home, '.site-logo source', 'srcSet')).toBe('./images/logo-dark.png')
    expect(attr(home, 'link[rel=icon]', 'href')).toBe('./images/icon.png')
    const deep = await built.page('a/b/index.html')
    expect(attr(deep, 'link[rel=icon]', 'href')).toBe('../../images/icon.png')
    // The files themselves are published.
    const { readFile } = await import('node:fs/promises')
    for (const file of ['images/logo.png', 'images/logo-dark.png', 'images/icon.png']) expect(await readFile(`${built.out}/${file}`, 'utf8')).toBe('png')
  })

  it('no longer notes the keys it uses', () => {
    const site = buildInMemory({
      'myst.yml': 'version: 1\nextends: [more.yml]\nproject:\n  title: T\n  math: {}\n  abbreviations: {}\n  exclude: []\n',
      'more.yml': 'version: 1\n',
      'index.md': '# Home\n',
    })
    expect(site.messages).toEqual([])
  })
})
