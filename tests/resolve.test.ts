// Links and cross-references resolved against the whole report: where each
// one points, the text an empty one is given, and what an author is told when
// one points at nothing, or at more than one thing.

import { describe, expect, it } from 'vitest'
import { relativePath } from '../src/site/resolve.js'
import { buildInMemory, selectAll, text, where } from './helpers.js'

type Site = ReturnType<typeof buildInMemory>

/** Each link in a page's prose as [href, text]. */
function links(site: Site, page: string, selector = '.prose a:not(.permalink)'): [string, string][] {
  return selectAll(selector, site.page(page)).map((a) => [String(a.properties['href']), text({ type: 'root', children: [a] }, 'a')])
}

const reasonsAndHints = (site: Site) => site.messages.map((m) => [m.reason, m.hint])

describe('links to chapters and their anchors', () => {
  const site = buildInMemory({
    'index.md': [
      '# Home',
      '',
      'See [top](#), [](#caf%C3%A9), [](#methods-detail), [](b.md#), [](./b.md#somewhere), [](fine%20name.md) and [](themes//c.md).',
      '',
      '## Café',
      '',
    ].join('\n'),
    'b.md': '# B\n\n## Somewhere\n',
    'fine name.md': '# Fine\n',
    'themes/c.md': '# C\n\n## Methods detail\n',
  })

  it('resolves them without a message', () => {
    expect(site.messages).toEqual([])
  })

  it('gives an empty link the title of the chapter or heading it points to, and keeps the text of one that has some', () => {
    expect(links(site, 'index.html')).toEqual([
      ['#', 'top'],
      ['#caf%C3%A9', 'Café'],
      ['./themes/c/#methods-detail', 'Methods detail'],
      ['./b/', 'B'],
      ['./b/#somewhere', 'Somewhere'],
      ['./fine%20name/', 'Fine'],
      ['./themes/c/', 'C'],
    ])
  })
})

describe('links that are not the report’s', () => {
  it('leaves web addresses alone, even when they end in .md', () => {
    const site = buildInMemory({
      'index.md': '# Home\n\n[a](https://example.org/notes.md) [b](//example.org/notes.md) [c](HTTPS://EXAMPLE.ORG/NOTES.md)\n',
    })
    expect(site.messages.filter((m) => m.ruleId === 'link-target-exists')).toEqual([])
  })

  it('leaves a link to a file whose name only contains .md to the file links', () => {
    const site = buildInMemory({ 'index.md': '# Home\n\n[the data](export.md.csv)\n', 'export.md.csv': 'a,b\n' })
    expect(site.messages).toEqual([])
    expect(links(site, 'index.html')).toEqual([['export.md.csv', 'the data']])
  })

  it('leaves a labelled figure to the figure numbering, without reporting it', () => {
    const site = buildInMemory({
      'myst.yml': 'version: 1\nproject:\n  title: T\n',
      'index.md': '# Home\n\n```{figure} chart.png\n:label: fig-one\nA chart.\n```\n\nSee [](#fig-one).\n',
      'chart.png': '',
    })
    expect(site.messages).toEqual([])
    expect(links(site, 'index.html', '.prose p a')).toEqual([['#fig-one', 'Figure 1']])
  })
})

describe('references to findings and recommendations', () => {
  it('links to the first item with an id on a chapter that repeats it, with its number in the report', () => {
    const site = buildInMemory({
      'index.md': '# Home\n\n:::finding{#first}\n## First\n:::\n\nSee [](b.md#twice) and [](b.md#clash).\n',
      'b.md': [
        '# B',
        ':::finding{#twice}\n## Twice, first\n:::',
        ':::finding{#twice}\n## Twice, again\n:::',
        ':::finding{#clash}\n## A finding\n:::',
        ':::recommendation{#clash}\n## A recommendation\n:::',
        '',
      ].join('\n\n'),
    })
    expect(links(site, 'index.html', '.prose > p a')).toEqual([
      ['./b/#twice', 'Finding 2: Twice, first'],
      ['./b/#clash', 'Finding 3: A finding'],
    ])
  })

  it('gives an empty reference to a recommendation its number and title', () => {
    const site = buildInMemory({
      'index.md': '# Home\n\n:::finding{#slow}\n## Slow\n:::\n\n:::recommendation{#r-one addresses="slow"}\n## Triage weekly\n:::\n\nSee [](#r-one).\n',
    })
    expect(links(site, 'index.html', '.prose > p a')).toEqual([['#r-one', 'Recommendation 1: Triage weekly']])
  })

  it('shows a finding whose id a recommendation took first without a number, and builds the rest', () => {
    const site = buildInMemory({
      'a.md': '# A\n\n:::recommendation{#x}\n## Do it\n:::\n',
      'b.md': '# B\n\n:::finding{#x}\n## Seen\n:::\n',
    })
    expect(where(site.messages.filter((m) => m.ruleId === 'id-unique'))).toEqual(['content/b.md:3:1 id-unique'])
    expect(selectAll('section.finding .item-number', site.page('b/index.html')).map((n) => text({ type: 'root', children: [n] }, '*'))).toEqual(['Finding'])
  })

  it('links to a finding or recommendation whose id the other kind took first by its title, with only id-unique reported', () => {
    const site = buildInMemory({
      'a.md': '# A\n\n:::recommendation{#x}\n## Do it\n:::\n\n:::finding{#y}\n## Known\n:::\n',
      'b.md': '# B\n\n:::finding{#x}\n## Seen\n:::\n\n:::recommendation{#y}\n## Act\n:::\n',
      'index.md': '# Home\n\n[](b.md#x) [](b.md#y)\n',
    })
    expect(where(site.messages.filter((m) => !['finding-has-quote', 'finding-addressed', 'recommendation-addresses-something'].includes(m.ruleId)))).toEqual([
      'content/b.md:3:1 id-unique',
      'content/b.md:7:1 id-unique',
    ])
    // Neither has a number: the index numbers only the item that claimed the id.
    const [first, second] = links(site, 'index.html', '.prose > p a')
    expect(first).toEqual(['./b/#x', expect.stringMatching(/^Finding\s*:\s*Seen$/)])
    expect(second).toEqual(['./b/#y', expect.stringMatching(/^Recommendation\s*:\s*Act$/)])
  })

  it('cuts a generated link text at 200 characters', () => {
    const title = (length: number) => 'x'.repeat(length)
    const site = buildInMemory({
      'index.md': `# Home\n\n:::finding{#long}\n## ${title(189)}\n:::\n\n:::finding{#longer}\n## ${title(190)}\n:::\n\n[](#long) [](#longer)\n`,
    })
    // "Finding N: " and the title: 200 characters in full, 201 cut to 199 and an ellipsis.
    expect(links(site, 'index.html', '.prose > p a').map(([, words]) => words)).toEqual([`Finding 1: ${title(189)}`, `Finding 2: ${title(188)}…`])
  })
})

describe('references that point at nothing, or at more than one thing', () => {
  it('names the chapters that share a heading, five at most, and suggests a file link written from this page', () => {
    const files: Record<string, string> = {
      'themes/index.md': '# Themes\n\n[](#background)\n\n[](#other)\n',
      'themes/x.md': '# X\n\n## Other\n',
      'people/p.md': '# P\n\n## Other\n',
    }
    for (const name of 'bcdefgh') files[`${name}.md`] = `# ${name}\n\n## Background\n`
    files['b.md'] += '\n## Other\n'
    const site = buildInMemory(files)
    expect(where(site.messages)).toEqual(['content/themes/index.md:3:1 reference-target-unambiguous', 'content/themes/index.md:5:1 reference-target-unambiguous'])
    expect(reasonsAndHints(site)).toEqual([
      ['`#background` is a heading in 7 chapters (../b.md, ../c.md, ../d.md, ../e.md, ../f.md and 2 more)', 'Say which one with a file link, such as `[](../b.md#background)`.'],
      ['`#other` is a heading in 3 chapters (../b.md, ../people/p.md, x.md)', 'Say which one with a file link, such as `[](../b.md#other)`.'],
    ])
  })

  it('reports an id nothing has, suggesting the nearest finding, recommendation or heading', () => {
    const site = buildInMemory({
      'index.md': '# Home\n\n:::finding{#slow-review}\n## Slow\n:::\n\n:::recommendation{#r-triage addresses="slow-review"}\n## Triage\n:::\n\n## Background\n\n[](#slow-reveiw) [](#r-triag) [](#backgrond) [](#zzz)\n\n[](#fig:zzz)\n',
    })
    expect(where(site.messages.filter((m) => m.ruleId !== 'finding-has-quote'))).toEqual([
      'content/index.md:13:1 reference-target-exists',
      'content/index.md:13:18 reference-target-exists',
      'content/index.md:13:31 reference-target-exists',
      'content/index.md:13:46 reference-target-exists',
      // A colon does not make an anchor a web address: MyST labels such as `fig:one` have one.
      'content/index.md:15:1 reference-target-exists',
    ])
    expect(reasonsAndHints(site).slice(1)).toEqual([
      ['Nothing in the report has the id `slow-reveiw`', 'Did you mean `slow-review`?'],
      ['Nothing in the report has the id `r-triag`', 'Did you mean `r-triage`?'],
      ['Nothing in the report has the id `backgrond`', 'Did you mean `background`?'],
      ['Nothing in the report has the id `zzz`', 'Link to the id of a finding, a recommendation or a heading.'],
      ['Nothing in the report has the id `fig:zzz`', 'Link to the id of a finding, a recommendation or a heading.'],
    ])
  })

  it('reports a link to a chapter that is not there, suggesting the nearest as written from this page', () => {
    const site = buildInMemory({
      'index.md': '# Home\n\n[](B.MD)\n',
      'b.md': '# B\n',
      'themes/c.md': '# C\n\n[](../bb.md) [](../nothing.md) [](/b.md)\n',
    })
    expect(where(site.messages)).toEqual([
      'content/index.md:3:1 link-target-exists',
      'content/themes/c.md:3:1 link-target-exists',
      'content/themes/c.md:3:14 link-target-exists',
      // A path from the top of the content folder is one of the report's, but not portable.
      'content/themes/c.md:3:32 path-inside-project',
    ])
    expect(reasonsAndHints(site).slice(0, 3)).toEqual([
      ['The link points to `B.MD`, which is not a chapter of this report', 'Did you mean `b.md`?'],
      ['The link points to `../bb.md`, which is not a chapter of this report', 'Did you mean `../b.md`?'],
      ['The link points to `../nothing.md`, which is not a chapter of this report', 'Check the file name; paths are relative to this file.'],
    ])
  })

  it('reports a missing anchor in another chapter, suggesting its nearest heading, finding or recommendation', () => {
    const site = buildInMemory({
      'index.md': '# Home\n\n[](b.md#somwhere) [](b.md#slow-reveiw) [](b.md#r-triag) [](b.md#zzz)\n',
      'b.md': '# B\n\n## Somewhere\n\n:::finding{#slow-review}\n## Slow\n:::\n\n:::recommendation{#r-triage addresses="slow-review"}\n## Triage\n:::\n',
    })
    expect(where(site.messages.filter((m) => m.ruleId !== 'finding-has-quote'))).toEqual([
      'content/index.md:3:1 link-target-exists',
      'content/index.md:3:19 link-target-exists',
      'content/index.md:3:40 link-target-exists',
      'content/index.md:3:57 link-target-exists',
    ])
    expect(reasonsAndHints(site).filter(([reason]) => reason?.startsWith('`b.md`'))).toEqual([
      ['`b.md` has no heading, finding or recommendation with the id `somwhere`', 'Did you mean `somewhere`?'],
      ['`b.md` has no heading, finding or recommendation with the id `slow-reveiw`', 'Did you mean `slow-review`?'],
      ['`b.md` has no heading, finding or recommendation with the id `r-triag`', 'Did you mean `r-triage`?'],
      ['`b.md` has no heading, finding or recommendation with the id `zzz`', 'Use one of the anchors of content/b.md.'],
    ])
  })
})

describe('how a link from one chapter spells the path of another', () => {
  it('climbs out of the folders the two do not share, and never takes a chapter for a folder of the same name', () => {
    expect(relativePath('themes/a.md', 'themes/b.md')).toBe('b.md')
    expect(relativePath('themes/a.md', 'people/p.md')).toBe('../people/p.md')
    expect(relativePath('a.md', 'themes/b.md')).toBe('themes/b.md')
    // The folder `notes.md` is not the chapter `notes.md` beside it.
    expect(relativePath('notes.md/a.md', 'notes.md')).toBe('../notes.md')
    expect(relativePath('x/notes.md/a.md', 'x/notes.md')).toBe('../notes.md')
  })
})
