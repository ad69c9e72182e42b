// Links to every claim: permalinks on headings, findings, recommendations and
// quotes, compact cross-references, and the compact lists of the two indexes.

import type { Root } from 'hast'
import { describe, expect, it } from 'vitest'
import { attr, buildInMemory, select, selectAll, text, texts, where } from './helpers.js'

const files: Record<string, string> = {
  'report.yml': `title: A Study of Review
authors:
  - name: Ada Lovelace
    affiliations: [Analytical Society]
  - name: Charles Babbage
    orcid: 0000-0002-1825-0097
    affiliations: [Difference Engines]
toc:
  - file: index.md
  - file: review.md
  - file: next.md
`,
  'participants.yml': `participants:
  - id: P01
    role: Maintainer
    consent: anonymous
  - id: P02
    role: Deployer
    consent: anonymous
`,
  'index.md': `# A Study of Review

## Abstract

Reviews are slow ([](#slow-review "short")), and [](#r-triage "short") answers it.

> Loose words outside any finding.
> — P02
`,
  'review.md': `# Reviews

## Quote 1

:::finding{#slow-review}
## Pull requests wait too long

Contributors lose heart while they wait. Some never come back at all.

> A month of waiting.
> — P01

> Nobody looked at it.
> — P02

> Still waiting.
> — P01
:::

:::finding{#no-triage summary="Nobody sorts the issues, so nobody knows what matters."}
## Nobody triages

Issues pile up. They are never sorted.

> The tracker is a swamp.
> — P02
:::

:::finding{#burnout}
## Maintainers burn out

The same people do everything.

> I am tired.
> — P01
:::
`,
  'next.md': `# What next

:::recommendation{#r-rest addresses="burnout slow-review no-triage"}
## Rest
Take turns ([](#burnout "short")), see [](#abstract "short").
:::

:::recommendation{#r-triage addresses="no-triage slow-review"}
## Triage weekly
Sort the issues.
:::
`,
}

const ids = (tree: Root) => selectAll('[id]', tree).map((node) => String(node.properties['id']))

describe('permalinks', () => {
  const site = buildInMemory(files)

  it('builds with only the note that one quote is not in a finding', () => {
    expect(where(site.messages)).toEqual(['content/index.md:8:3 quote-in-finding'])
  })

  it('link each heading to itself, and each finding and recommendation from its number', () => {
    const home = site.page('index.html')
    expect(attr(home, 'h2#abstract > a.permalink', 'href')).toBe('#abstract')
    expect(text(home, 'h2#abstract')).toBe('Abstract')
    const review = site.page('review/index.html')
    expect(selectAll('.finding-title > a.item-number', review).map((a) => [a.properties['href'], text({ type: 'root', children: [a] }, 'a')])).toEqual([
      ['#slow-review', 'Finding 1'],
      ['#no-triage', 'Finding 2'],
      ['#burnout', 'Finding 3'],
    ])
    expect(attr(site.page('next/index.html'), '#r-rest .recommendation-title > a.item-number', 'href')).toBe('#r-rest')
  })

  it('give quotes ids from their finding and place, and one outside a finding an id from its page', () => {
    const review = site.page('review/index.html')
    expect(selectAll('figure.quote', review).map((f) => f.properties['id'])).toEqual(['q-slow-review-1', 'q-slow-review-2', 'q-slow-review-3', 'q-no-triage-1', 'q-burnout-1'])
    expect(attr(review, '#q-slow-review-2 > a.permalink', 'href')).toBe('#q-slow-review-2')
    expect(attr(review, '#q-slow-review-2 > a.permalink', 'ariaLabel')).toBe('Link to this quote')
    // The caption is the attribution alone.
    expect(text(review, '#q-slow-review-2 figcaption')).toBe('— P02, Deployer')
    expect(selectAll('figure.quote', site.page('index.html')).map((f) => f.properties['id'])).toEqual(['quote-1'])
  })

  it('keep every id on a page unique, a heading giving way to a quote that would read the same', () => {
    for (const page of ['index.html', 'review/index.html', 'next/index.html', 'full-report/index.html']) {
      const all = ids(site.page(page))
      expect(all.filter((id, i) => all.indexOf(id) !== i), page).toEqual([])
    }
    // `## Quote 1` would be `quote-1`, which is no quote's id here, so it keeps it; on the landing page a quote has it.
    expect(select('h2#quote-1', site.page('review/index.html'))).toBeDefined()
    const clash = buildInMemory({ ...files, 'index.md': `${files['index.md']}\n## Quote 1\n` })
    expect(select('h2#quote-1-1', clash.page('index.html'))).toBeDefined()
    expect(select('figure#quote-1', clash.page('index.html'))).toBeDefined()
  })

  it('load the copy-link script only on pages with the author\'s text', () => {
    const scripts = (page: string) => selectAll('head script[src]', site.page(page)).map((s) => String(s.properties['src']))
    expect(scripts('review/index.html')).toContain('../assets/permalinks.js')
    expect(scripts('full-report/index.html')).toContain('../assets/permalinks.js')
    expect(scripts('findings/index.html')).not.toContain('../assets/permalinks.js')
    expect(scripts('search/index.html')).not.toContain('../assets/permalinks.js')
  })

  it('keep their anchors when unrelated text changes', () => {
    const edited = buildInMemory({
      ...files,
      'review.md': files['review.md']!
        .replace('## Quote 1\n', '## Quote 1\n\n> An added quote, outside any finding.\n> — P01\n')
        .replace('Contributors lose heart while they wait.', 'A long new opening.\n\nContributors lose heart.')
        .replace('> A month of waiting.', '> A month, then two, of waiting.')
        .replace('## Quote 1', '## Quotes in this chapter'),
    })
    const before = ids(site.page('review/index.html')).filter((id) => id.startsWith('q-'))
    const after = ids(edited.page('review/index.html')).filter((id) => id.startsWith('q-'))
    expect(after).toEqual(before)
  })

  it('keep item and quote ids as they are in the full report, and name a loose quote with its chapter', () => {
    const full = site.page('full-report/index.html')
    expect(select('figure#q-burnout-1', full)).toBeDefined()
    expect(select('figure#home--quote-1 > a.permalink[href="#home--quote-1"]', full)).toBeDefined()
    expect(attr(full, 'h2#home--abstract > a.permalink', 'href')).toBe('#home--abstract')
  })
})

describe('compact cross-references', () => {
  const site = buildInMemory(files)

  it('show a finding or recommendation by its number alone, with no title attribute left behind', () => {
    const home = site.page('index.html')
    const refs = selectAll('.prose p a', home).map((a) => [a.properties['href'], text({ type: 'root', children: [a] }, 'a'), a.properties['title']])
    expect(refs).toEqual([
      ['./review/#slow-review', 'Finding 1', undefined],
      ['./next/#r-triage', 'Recommendation 2', undefined],
    ])
  })

  it('leave the text an author wrote, without the word as a tooltip', () => {
    const own = buildInMemory({ ...files, 'index.md': files['index.md']!.replace('[](#r-triage "short")', '[our answer](#r-triage "short")') })
    const link = select('.prose p a[href="./next/#r-triage"]', own.page('index.html'))!
    expect(text({ type: 'root', children: [link] }, 'a')).toBe('our answer')
    expect(link.properties['title']).toBeUndefined()
  })

  it('show a heading by its text, as the full form does', () => {
    expect(texts(site.page('next/index.html'), '#r-rest > p a')).toEqual(['Finding 3', 'Abstract'])
  })

  it('report a compact reference to nothing like any other', () => {
    const broken = buildInMemory({ ...files, 'index.md': `${files['index.md']}\nSee [](#slow-reveiw "short").\n` })
    expect(where(broken.messages).filter((m) => m.endsWith('reference-target-exists'))).toEqual(['content/index.md:10:5 reference-target-exists'])
    expect(broken.messages.find((m) => m.ruleId === 'reference-target-exists')?.hint).toMatch(/slow-review/)
  })
})

describe('the indexes', () => {
  const site = buildInMemory(files)

  it('list the findings a recommendation addresses as compact references in number order, titles for screen readers', () => {
    const index = site.page('recommendations/index.html')
    const rows = selectAll('tbody tr', index)
    expect(rows.map((row) => selectAll('a.compact-ref', row).map((a) => text({ type: 'root', children: [a] }, 'a')))).toEqual([
      ['F1: Pull requests wait too long', 'F2: Nobody triages', 'F3: Maintainers burn out'],
      ['F1: Pull requests wait too long', 'F2: Nobody triages'],
    ])
    // Seen: "F1, F2, F3"; the titles are visually hidden.
    const first = select('a.compact-ref', index)!
    expect(first.properties['href']).toBe('../review/#slow-review')
    expect(select('.visually-hidden', first)).toBeDefined()
  })

  it('list the recommendations addressing a finding in number order, with its summary and evidence', () => {
    const index = site.page('findings/index.html')
    expect(texts(index, '#slow-review .addressed-by a')).toEqual(['R1: Rest', 'R2: Triage weekly'])
    expect(texts(index, '.finding-summary')).toEqual([
      'Contributors lose heart while they wait.',
      'Nobody sorts the issues, so nobody knows what matters.',
      'The same people do everything.',
    ])
    expect(texts(index, '.evidence-count')).toEqual(['3 quotes from 2 participants', '1 quote from 1 participant', '1 quote from 1 participant'])
  })
})

describe('the title block and the full report', () => {
  const site = buildInMemory(files)

  it('put no space before the comma of an author line', () => {
    expect(texts(site.page('index.html'), '.authors li')).toEqual([
      'Ada Lovelace, Analytical Society',
      'Charles Babbage ORCID 0000-0002-1825-0097, Difference Engines',
    ])
  })

  it('open with the chapter titled as the report, without repeating the title as a chapter', () => {
    const full = site.page('full-report/index.html')
    expect(texts(full, 'h1')).toEqual(['A Study of Review'])
    expect(texts(full, '.full-contents li')).toEqual(['Reviews', 'What next'])
    expect(texts(full, '.chapter-section > h2')).toEqual(['Reviews', 'What next'])
    // Its headings keep their level under the title block.
    expect(select('.chapter-section.opening h2#home--abstract', full)).toBeDefined()
    expect(select('.chapter-section.opening h3', full)).toBeUndefined()
  })
})

describe('links to ids made from text', () => {
  it('write half of a surrogate pair as U+FFFD instead of failing', async () => {
    const { fragment } = await import('../src/render/urls.js')
    expect(fragment('a\uD800b')).toBe('#a%EF%BF%BDb')
    expect(fragment('x\uDC00')).toBe('#x%EF%BF%BD')
    expect(fragment('\uD800\uDC00 ok')).toBe('#%F0%90%80%80%20ok')
  })
})
