// Links in MyST projects, read as MyST reads them: `xref:` and `wiki:` links to
// other sites, `@label` as a cross-reference beside citations, `/path` from the
// project's folder, paths with no extension, a card's `:link:`, and labels
// matched without regard to case or by their html ids. Each is built from MyST
// source and read back as hast, with the exact messages.

import type { Element, Root } from 'hast'
import { describe, expect, it } from 'vitest'
import { buildInMemory, select, selectAll, text, texts, where } from './helpers.js'

const config = (extra = '') =>
  `version: 1\nproject:\n  title: Links\n${extra}  toc:\n    - file: index.md\n    - file: guide/install.md\n    - file: guide/deploy.md\n`

/** Every link of the page's text, as `text -> href`; a link with no address shows as `text -> (none)`. */
function links(page: Root): string[] {
  return selectAll('.prose a:not(.permalink)', page).map((a) => `${toText(a)} -> ${(a.properties['href'] as string | undefined) ?? '(none)'}`)
}

function toText(node: Element): string {
  return texts({ type: 'root', children: [node] }, 'a')[0] ?? ''
}

const guide = {
  'guide/install.md': '# Install\n\n```{figure} ../eniac.png\n:label: fig-eniac\n:alt: The ENIAC\n\nThe ENIAC, 1946.\n```\n',
  'guide/deploy.md': '# Deploy\n\n(deploy:base-url)=\n## Setting the base URL\n\nText.\n',
  'eniac.png': 'png',
}

describe('xref: and wiki: links', () => {
  const site = buildInMemory({
    'myst.yml': config('  references:\n    spec: https://mystmd.org/spec/\n    python: https://docs.python.org/3.13\n'),
    'index.md': [
      '# Home',
      '',
      'Read [the paragraph node](xref:spec#paragraph), <xref:spec/tables#example>, [](xref:spec/tables) and [](xref:python#library/abc).',
      '',
      'On Wikipedia: [hyperlinks](wiki:Hyperlink), <wiki:big_bang>, [](wiki:fr:Croissant_(viennoiserie)) and [](myst:spec#Heading).',
      '',
      'Unknown: [the guide](xref:spek#paragraph) and <xref:nowhere#x>.',
      '',
    ].join('\n'),
    ...guide,
  })

  it('links to the other site: its address, then the page, then the label as an html id, with the text given or the label', () => {
    expect(links(site.page('index.html')).slice(0, 4)).toEqual([
      'the paragraph node -> https://mystmd.org/spec#paragraph',
      'example -> https://mystmd.org/spec/tables#example',
      'tables -> https://mystmd.org/spec/tables',
      'library/abc -> https://docs.python.org/3.13#library-abc',
    ])
  })

  it('links wiki: to English Wikipedia by default, to another language by its prefix, and myst: as xref:', () => {
    expect(links(site.page('index.html')).slice(4)).toEqual([
      'hyperlinks -> https://en.wikipedia.org/wiki/Hyperlink',
      'big bang -> https://en.wikipedia.org/wiki/big_bang',
      'Croissant (viennoiserie) -> https://fr.wikipedia.org/wiki/Croissant_(viennoiserie)',
      'Heading -> https://mystmd.org/spec#heading',
    ])
  })

  it('warns at an xref: to a project that project.references does not list, and shows its text with no empty link', () => {
    expect(where(site.messages.filter((m) => m.severity !== 'info'))).toEqual(['content/index.md:7:10 xref-project-known', 'content/index.md:7:47 xref-project-known'])
    const [first, second] = site.messages.filter((m) => m.ruleId === 'xref-project-known')
    expect(first?.severity).toBe('warning')
    expect(first?.hint).toBe('Did you mean `spec`?')
    expect(second?.reason).toBe('`xref:nowhere#x` names the project `nowhere`, which `project.references` in myst.yml does not list')
    const page = site.page('index.html')
    expect(text(page, '.prose p:nth-of-type(3)')).toBe('Unknown: the guide and xref:nowhere#x.')
    expect(selectAll('a:not([href])', page)).toEqual([])
    // project.references is read, not noted as unused.
    expect(site.messages.filter((m) => m.ruleId === 'myst-key-supported')).toEqual([])
  })

  it('notes a reference that is not a web address at its line in myst.yml, and leaves it out', () => {
    const bad = buildInMemory({ 'myst.yml': config('  references:\n    spec: mystmd.org/spec\n'), 'index.md': '# Home\n\n<xref:spec#x>\n', ...guide })
    expect(where(bad.messages)).toEqual(['content/index.md:3:1 xref-project-known', 'content/myst.yml:5:5 myst-key-supported'])
  })
})

describe('@label beside citations', () => {
  const bib = '@article{smith2020,\n  author = {Smith, Jane and Doe, John},\n  title = {Care work},\n  journal = {J},\n  year = {2020}\n}\n'
  const body = [
    '# Home',
    '',
    'As see @fig-eniac shows, and [@fig-eniac] again; with a work [@fig-eniac; @smith2020], and @smith2020 alone.',
    '',
    'A heading: @Deploy:Base-URL. Unknown: @nobody and [@nothing]. Escaped: \\@someone.',
    '',
  ].join('\n')

  it('makes @label a reference and [@label] one in parentheses, among citations', () => {
    const site = buildInMemory({ 'myst.yml': config('  bibliography: [refs.bib]\n'), 'refs.bib': bib, 'index.md': body, ...guide })
    const page = site.page('index.html')
    expect(text(page, '.prose p:nth-of-type(1)')).toBe(
      'As see Figure 1 shows, and (Figure 1) again; with a work (Figure 1; Smith & Doe, 2020), and Smith & Doe (2020) alone.',
    )
    expect(links(page).slice(0, 3)).toEqual([
      'Figure 1 -> ./guide/install/#fig-eniac',
      'Figure 1 -> ./guide/install/#fig-eniac',
      'Figure 1 -> ./guide/install/#fig-eniac',
    ])
    expect(texts(page, '.prose p:nth-of-type(1) .citation-inline')).toEqual(['Smith & Doe, 2020', 'Smith & Doe (2020)'])
    expect(links(page)[5]).toBe('Setting the base URL -> ./guide/deploy/#deploy%3Abase-url')
    expect(text(page, '.prose p:nth-of-type(2)')).toBe('A heading: Setting the base URL. Unknown: @nobody and [@nothing]. Escaped: @someone.')
    expect(where(site.messages.filter((m) => m.severity !== 'info'))).toEqual([
      'content/index.md:5:39 reference-target-exists',
      'content/index.md:5:52 citation-key-exists',
    ])
    expect(site.messages[0]?.reason).toBe('`@nobody` is neither a label in the project nor a key of the bibliography')
  })

  it('resolves @label without a bibliography, where it used to be plain text', () => {
    const site = buildInMemory({ 'myst.yml': config(), 'index.md': '# Home\n\nSee @fig-eniac and [see @FIG-ENIAC].\n', ...guide })
    expect(site.messages.filter((m) => m.severity !== 'info')).toEqual([])
    expect(text(site.page('index.html'), '.prose p')).toBe('See Figure 1 and (see Figure 1).')
    expect(links(site.page('index.html'))).toEqual(['Figure 1 -> ./guide/install/#fig-eniac', 'Figure 1 -> ./guide/install/#fig-eniac'])
  })

  it('keeps @word in our own dialect a citation only, and a mention otherwise', () => {
    const site = buildInMemory({
      'report.yml': 'title: Ours\n',
      'index.md': '# Home\n\n## Setting up {#setting-up}\n\nAsk @setting-up.\n',
    })
    expect(site.messages.filter((m) => m.severity !== 'info')).toEqual([])
    expect(text(site.page('index.html'), '.prose p')).toBe('Ask @setting-up.')
  })
})

describe('paths from the project folder, with or without an extension, and cards', () => {
  const site = buildInMemory({
    'myst.yml': config(),
    'index.md': [
      '# Home',
      '',
      '[](/guide/install), [](./guide/install), [Deploying](guide/deploy#deploy:base-url) and [](/guide/install.md#fig-eniac).',
      '',
      '![The ENIAC](/eniac.png)',
      '',
      ':::{card} To install',
      ':link: guide/install.md',
      'Steps.',
      ':::',
      '',
      ':::{card}',
      ':link: fig-eniac',
      'The figure.',
      ':::',
      '',
      '[](/guide/instal)',
      '',
    ].join('\n'),
    ...guide,
    'guide/deploy.md': '# Deploy\n\n(deploy:base-url)=\n## Setting the base URL\n\n![Again](/eniac.png) and [back](/index.md).\n',
  })

  it('resolves /path and paths with no extension to pages, and images from the project folder', () => {
    const page = site.page('index.html')
    expect(links(page).slice(0, 4)).toEqual([
      'Install -> ./guide/install/',
      'Install -> ./guide/install/',
      'Deploying -> ./guide/deploy/#deploy%3Abase-url',
      'Figure 1 -> ./guide/install/#fig-eniac',
    ])
    expect(select('.prose img', page)?.properties['src']).toBe('eniac.png')
    const deploy = site.page('guide/deploy/index.html')
    expect(select('.prose img', deploy)?.properties['src']).toBe('../../eniac.png')
    expect(links(deploy)).toEqual(['back -> ../../'])
  })

  it("rewrites a card's :link: to a file or a label to the page's address", () => {
    const page = site.page('index.html')
    expect(selectAll('.card .container-title a', page).map((a) => `${toText(a)} -> ${String(a.properties['href'])}`)).toEqual([
      'To install -> ./guide/install/',
      'Figure 1 -> ./guide/install/#fig-eniac',
    ])
  })

  it('reports only the path that is no page', () => {
    expect(where(site.messages.filter((m) => m.severity !== 'info'))).toEqual(['content/index.md:17:1 link-target-exists'])
    expect(site.messages[0]?.hint).toBe('Did you mean `guide/install.md`?')
  })

  it('still refuses /path in our own dialect', () => {
    const ours = buildInMemory({ 'report.yml': 'title: Ours\n', 'index.md': '# Home\n\n![A map](/map.png)\n', 'map.png': 'png' })
    expect(where(ours.messages.filter((m) => m.severity !== 'info'))).toEqual(['content/index.md:3:1 path-inside-project'])
  })
})

describe('labels matched as MyST matches them', () => {
  const site = buildInMemory({
    'myst.yml': config(),
    'index.md': [
      '# Home',
      '',
      '[](#FIG-ENIAC), [](#deploy-base-url), [](deploy:base-url), [](Fig-Eniac), {ref}`Deploy:Base-URL` and {numref}`Fig. %s <FIG-eniac>`.',
      '',
    ].join('\n'),
    ...guide,
  })

  it('resolves a label in another case, by its html id, and in the old form with no #', () => {
    expect(site.messages.filter((m) => m.severity !== 'info')).toEqual([])
    expect(links(site.page('index.html'))).toEqual([
      'Figure 1 -> ./guide/install/#fig-eniac',
      'Setting the base URL -> ./guide/deploy/#deploy%3Abase-url',
      'Setting the base URL -> ./guide/deploy/#deploy%3Abase-url',
      'Figure 1 -> ./guide/install/#fig-eniac',
      'Setting the base URL -> ./guide/deploy/#deploy%3Abase-url',
      'Fig. 1 -> ./guide/install/#fig-eniac',
    ])
  })

  it('keeps ids exact in our own dialect', () => {
    const ours = buildInMemory({ 'report.yml': 'title: Ours\n', 'index.md': '# Home\n\n## Setting up {#setting-up}\n\nSee [](#Setting-Up).\n' })
    expect(where(ours.messages.filter((m) => m.severity !== 'info'))).toEqual(['content/index.md:5:5 reference-target-exists'])
  })
})
