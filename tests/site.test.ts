// Whole builds of a small report, checked on the HTML they produce.

import { describe, expect, it } from 'vitest'
import { attr, buildInMemory, select, selectAll, text, texts, where } from './helpers.js'

const files = {
  'report.yml': `title: A Study of Review
subtitle: What slows pull requests
date: 2025-09-03
version: "2.1"
license: CC-BY-4.0
funder: A Foundation
authors:
  - name: Ada Lovelace
    orcid: 0000-0002-1825-0097
    affiliations: [Analytical Society]
  - name: Charles Babbage
toc:
  - file: index.md
  - title: Themes
    children:
      - file: themes/review.md
      - file: themes/people.md
  - file: next.md
`,
  'participants.yml': `participants:
  - id: P01
    role: Maintainer
    consent: anonymous
  - id: P02
    role: Deployer
    consent: named
    name: Grace Hopper
  - id: P03
    role: Newcomer
    consent: anonymous
`,
  'index.md': '# A Study of Review\n\n## Abstract\n\nWe studied [](#slow-review) and [why](#r-triage).\n',
  'themes/review.md': `---
description: About reviews.
---
# Reviews

## Background

:::finding{#slow-review}
## Pull requests wait too long

> They sit for weeks.
> — P01 (paraphrased)

> And weeks.
> — P01

> I gave up waiting.
> — P02

> Still waiting, a year on.
> – P03, second interview
:::

:::finding{#no-triage}
## Nobody triages

> Who decides?
> — a blog post, 2020
:::
`,
  'themes/people.md': `# People

:::finding{#burnout}
## Maintainers burn out

Related to [](#slow-review); see also [the background](review.md#background) and [](../next.md).
:::
`,
  'next.md': `# What next

:::recommendation{#r-triage addresses="slow-review no-triage" audience="Maintainers" horizon="short"}
## Triage weekly

Responds to [](#no-triage); see [](#r-rest).
:::

:::recommendation{#r-rest addresses="burnout slow-review" horizon="medium long"}
## Rest
:::
`,
}

describe('a built report', () => {
  const site = buildInMemory(files)

  it('builds with no message but the warning that one finding has no quote', () => {
    expect(where(site.messages)).toEqual(['content/themes/people.md:3:1 finding-has-quote'])
  })

  it('numbers findings and recommendations in reading order across pages', () => {
    const review = site.page('themes/review/index.html')
    const people = site.page('themes/people/index.html')
    expect(texts(review, 'section.finding > h2 .item-number')).toEqual(['Finding 1', 'Finding 2'])
    expect(texts(people, 'section.finding > h2 .item-number')).toEqual(['Finding 3'])
    expect(texts(site.page('next/index.html'), 'section.recommendation > h2')).toEqual([
      'Recommendation 1 Triage weekly',
      'Recommendation 2 Rest',
    ])
  })

  it('gives cross-references generated text and relative hrefs across pages', () => {
    const landing = site.page('index.html')
    const links = selectAll('.prose a:not(.permalink)', landing).map((a) => [String(a.properties['href']), text({ type: 'root', children: [a] }, 'a')])
    expect(links).toEqual([
      ['./themes/review/#slow-review', 'Finding 1: Pull requests wait too long'],
      ['./next/#r-triage', 'why'],
    ])
    const people = site.page('themes/people/index.html')
    expect(selectAll('section.finding p a', people).map((a) => [a.properties['href'], text({ type: 'root', children: [a] }, 'a')])).toEqual([
      ['../../themes/review/#slow-review', 'Finding 1: Pull requests wait too long'],
      ['../../themes/review/#background', 'the background'],
      ['../../next/', 'What next'],
    ])
  })

  it('gives an empty link to a finding or recommendation in another file its number and title', () => {
    const linked = buildInMemory({
      'a.md': '# A\n\n:::finding{#slow}\n## Reviews are slow\n\n> Weeks.\n> — P01\n:::\n',
      'b.md': '# B\n\n:::recommendation{#r-triage addresses="slow"}\n## Triage weekly\n:::\n\nSee [](a.md#slow), [](b.md#r-triage) and [the finding](a.md#slow).\n',
    })
    expect(linked.messages).toEqual([])
    const b = linked.page('b/index.html')
    expect(selectAll('.prose > p a', b).map((a) => [a.properties['href'], text({ type: 'root', children: [a] }, 'a')])).toEqual([
      ['../a/#slow', 'Finding 1: Reviews are slow'],
      ['#r-triage', 'Recommendation 1: Triage weekly'],
      ['../a/#slow', 'the finding'],
    ])
  })

  it('links a reference on the same page to the anchor alone', () => {
    const next = site.page('next/index.html')
    expect(selectAll('#r-triage p a', next).map((a) => a.properties['href'])).toEqual(['../themes/review/#no-triage', '#r-rest'])
  })

  it('shows which recommendations address each finding, and what each recommendation responds to', () => {
    const review = site.page('themes/review/index.html')
    expect(texts(review, '#slow-review .related li')).toEqual(['Recommendation 1: Triage weekly', 'Recommendation 2: Rest'])
    expect(attr(review, '#slow-review .related a', 'href')).toBe('../../next/#r-triage')
    const next = site.page('next/index.html')
    expect(texts(next, '#r-rest .related li')).toEqual(['Finding 3: Maintainers burn out', 'Finding 1: Pull requests wait too long'])
    expect(texts(next, '#r-rest .item-meta dd')).toEqual(['medium, long'])
  })

  it('renders quotes as figures with the role, a link to the participant and the paraphrase mark', () => {
    const review = site.page('themes/review/index.html')
    const captions = texts(review, '#slow-review figure.quote figcaption')
    expect(captions).toEqual([
      '— P01, Maintainer Paraphrased',
      '— P01, Maintainer',
      '— P02, Grace Hopper, Deployer',
      '— P03, Newcomer (second interview)',
    ])
    expect(attr(review, '#slow-review figure.quote figcaption a', 'href')).toBe('../../participants/#P01')
    expect(text(review, '#no-triage figure.quote figcaption')).toBe('— a blog post, 2020')
    expect(select('#no-triage figure.quote figcaption a', review)).toBeUndefined()
  })

  it('never shows the name of an anonymous participant, even one stored by mistake', () => {
    // The registry rejects the name, so nothing is published; the pages leave it out all the same,
    // a second guard should that check ever be lost.
    const leaky = buildInMemory({
      ...files,
      'participants.yml': files['participants.yml'].replace('role: Maintainer\n    consent: anonymous\n', 'role: Maintainer\n    consent: anonymous\n    name: Mary Somerville\n'),
    })
    expect(where(leaky.messages)).toContain('content/participants.yml:2:5 value-type-valid')
    const review = leaky.page('themes/review/index.html')
    // The names of those who consented are shown, in captions and on the participants page.
    expect(texts(review, '#slow-review figure.quote figcaption')).toContain('— P02, Grace Hopper, Deployer')
    expect(texts(review, '#slow-review figure.quote figcaption')).toContain('— P01, Maintainer')
    expect(texts(leaky.page('participants/index.html'), 'tbody th')).toEqual(['P01', 'P02 (Grace Hopper)', 'P03'])
    for (const [path, html] of leaky.files) expect(html, path).not.toContain('Somerville')
  })

  it('lists findings by theme with evidence counts and the recommendations that address them', () => {
    const index = site.page('findings/index.html')
    expect(texts(index, 'h2')).toEqual(['Reviews', 'People'])
    expect(texts(index, '#slow-review .evidence-count')).toEqual(['4 quotes from 3 participants'])
    expect(texts(index, '#no-triage .evidence-count')).toEqual(['0 quotes from 0 participants'])
    expect(texts(index, '#slow-review .addressed-by a')).toEqual(['R1: Triage weekly', 'R2: Rest'])
  })

  it('tabulates recommendations with audience, horizon and findings', () => {
    const index = site.page('recommendations/index.html')
    const rows = selectAll('tbody tr', index).map((row) => selectAll('td, th', row).map((cell) => text({ type: 'root', children: [cell] }, '*').replace(/\s+/g, ' ')))
    expect(rows).toEqual([
      ['1', 'Triage weekly', 'Maintainers', 'short', 'F1: Pull requests wait too long, F2: Nobody triages'],
      ['2', 'Rest', '—', 'medium, long', 'F1: Pull requests wait too long, F3: Maintainers burn out'],
    ])
  })

  it('maps findings against recommendations in a table with headers', () => {
    const map = site.page('evidence/index.html')
    expect(texts(map, 'thead th')).toEqual(['Finding', 'Quotes', 'Participants', 'R1', 'R2'])
    expect(selectAll('tbody th[scope=row]', map)).toHaveLength(3)
    const first = selectAll('tbody tr', map).find((row) => text({ type: 'root', children: [row] }, 'th').startsWith('1.'))!
    // The dot is drawn by the stylesheet; the cell says it in words.
    expect(selectAll('td:not([data-label])', first).map((cell) => text({ type: 'root', children: [cell] }, '*'))).toEqual(['Addressed', 'Addressed'])
  })

  it('counts participants’ quotes on the participants page', () => {
    const page = site.page('participants/index.html')
    const rows = selectAll('tbody tr', page).map((row) => selectAll('td', row).map((cell) => text({ type: 'root', children: [cell] }, '*')))
    expect(rows.map((r) => r[1])).toEqual(['2', '1', '1'])
  })

  it('puts the title, authors with ORCID, date, licence, funder and a citation on the landing page', () => {
    const landing = site.page('index.html')
    expect(selectAll('h1', landing)).toHaveLength(1)
    expect(text(landing, 'h1')).toBe('A Study of Review')
    expect(text(landing, '.report-subtitle')).toBe('What slows pull requests')
    expect(attr(landing, '.authors a.orcid', 'href')).toBe('https://orcid.org/0000-0002-1825-0097')
    expect(text(landing, '.report-meta')).toContain('3 September 2025')
    expect(text(landing, '.report-meta')).toContain('CC-BY-4.0')
    expect(text(landing, '.report-meta')).toContain('A Foundation')
    expect(text(landing, '.citation')).toBe('Lovelace, A., & Babbage, C. (2025). A Study of Review: What slows pull requests (Version 2.1). Analytical Society.')
    expect(text(landing, '.bibtex code')).toContain('author = {Lovelace, Ada and Babbage, Charles}')
  })

  it('gives chapters the report contents, their own outline, breadcrumbs and previous/next links', () => {
    const review = site.page('themes/review/index.html')
    expect(selectAll('h1', review)).toHaveLength(1)
    expect(text(review, 'h1')).toBe('Reviews')
    expect(attr(review, 'nav.sidebar a[aria-current=page]', 'href')).toBe('../../themes/review/')
    expect(texts(review, 'nav.outline a')).toEqual(['Background', 'Finding 1: Pull requests wait too long', 'Finding 2: Nobody triages'])
    expect(texts(review, 'nav.breadcrumbs li')).toEqual(['A Study of Review', 'Themes', 'Reviews'])
    expect(attr(review, 'a[rel=prev]', 'href')).toBe('../../')
    expect(attr(review, 'a[rel=next]', 'href')).toBe('../../themes/people/')
    expect(attr(review, 'html', 'lang')).toBe('en')
    expect(select('main#main', review)).toBeDefined()
    expect(attr(review, 'a.skip-link', 'href')).toBe('#main')
  })

  it('puts every chapter on the full report page with links kept inside it', () => {
    const full = site.page('full-report/index.html')
    expect(texts(full, 'section.chapter-section > h2')).toEqual(['Reviews', 'People', 'What next'])
    expect(selectAll('h1', full)).toHaveLength(1)
    expect(attr(full, '#burnout p a', 'href')).toBe('#slow-review')
    expect(selectAll('#burnout p a', full).map((a) => a.properties['href'])).toEqual(['#slow-review', '#themes-review--background', '#chapter-next'])
    expect(select('#themes-review--background', full)).toBeDefined()
    expect(select('#chapter-next', full)).toBeDefined()
    // Headings sit one level below the chapter titles.
    expect(texts(full, '#slow-review > h3')).toEqual(['Finding 1 Pull requests wait too long'])
  })

  it('writes a 404 page', () => {
    expect(text(site.page('404.html'), 'h1')).toBe('Page not found')
  })
})

describe('participants and their quotes', () => {
  const registry = `participants:
  - id: P01
    role: Maintainer
    consent: anonymous
  - id: P02
    role: Deployer
    consent: no-quotes
  - id: P03
    role: Advisor
    consent: named
    name: Ada Lovelace
`
  const site = buildInMemory({
    'participants.yml': registry,
    'index.md': `# Quotes

:::finding{#waits}
## Reviews wait

> Weeks.
> — P01

> Months.
> — P01 in a workshop

> Years.
> — P03 (second interview)

> Forever.
> — P03, interview 2 (online)
:::

:::finding{#tired}
## People tire

> Tired.
> — P01, (by phone) later

> Not for the report.
> — P02

> Exhausted.
> — P03,  after a pause
:::

> Outside any finding.
> — P03

> Only the first word names a participant.
> — Moderator,P01 aside

> Nobody registered.
> — Anonymous
`,
  })

  it('counts every quote of a participant who may be quoted, and lists each finding they are quoted in once', () => {
    const rows = selectAll('tbody tr', site.page('participants/index.html')).map((row) =>
      selectAll('th, td', row).map((cell) => text({ type: 'root', children: [cell] }, '*')),
    )
    expect(rows).toEqual([
      ['P01', 'Maintainer', '3', 'Finding 1, Finding 2'],
      ['P03 (Ada Lovelace)', 'Advisor', '4', 'Finding 1, Finding 2'],
    ])
  })

  it('counts the quotes and the distinct participants behind each finding, leaving out those who did not consent', () => {
    const findings = site.page('findings/index.html')
    expect(texts(findings, '#waits .evidence-count')).toEqual(['4 quotes from 2 participants'])
    expect(texts(findings, '#tired .evidence-count')).toEqual(['2 quotes from 2 participants'])
  })

  it('shows what follows the label as context, without its brackets, however it is separated', () => {
    expect(texts(site.page('index.html'), 'figure.quote figcaption')).toEqual([
      '— P01, Maintainer',
      '— P01, Maintainer (in a workshop)',
      '— P03, Ada Lovelace, Advisor (second interview)',
      '— P03, Ada Lovelace, Advisor (interview 2 (online))',
      '— P01, Maintainer ((by phone) later)',
      '— P02',
      '— P03, Ada Lovelace, Advisor (after a pause)',
      '— P03, Ada Lovelace, Advisor',
      '— Moderator,P01 aside',
      '— Anonymous',
    ])
  })

  it('says on the participants page whether the report has a registry at all', () => {
    const none = buildInMemory({ 'index.md': '# Home\n' })
    expect(text(none.page('participants/index.html'), 'article p:last-child')).toBe('This report has no participant registry (participants.yml).')
    const silent = buildInMemory({ 'participants.yml': 'participants:\n  - id: P02\n    role: Deployer\n    consent: no-quotes\n', 'index.md': '# Home\n' })
    expect(text(silent.page('participants/index.html'), 'article p:last-child')).toBe('No participant may be listed.')
  })
})

describe('a plain folder of markdown', () => {
  it('builds without report.yml, taking the title from the first heading and every file in path order', () => {
    const site = buildInMemory({ 'b.md': '# Second\n', 'index.md': '# My Notes\n\nHello.\n', 'a.md': '# First\n\n> Said.\n> — P07\n' })
    // With no findings, a quote is not evidence of anything: a note, no more.
    expect(where(site.messages)).toEqual(['content/a.md:4:3 quote-in-finding'])
    expect(text(site.page('index.html'), 'h1')).toBe('My Notes')
    expect(texts(site.page('index.html'), 'nav.sidebar a')).toEqual(['My Notes', 'First', 'Second'])
    // Without a registry an attribution is shown as written.
    expect(text(site.page('a/index.html'), 'figcaption')).toBe('— P07')
  })

  it('sanitizes raw HTML but keeps our ids', () => {
    const site = buildInMemory({
      'index.md':
        '# T\n\n<div id="keep" onclick="alert(1)">Hi<script>alert(2)</script></div>\n\n<iframe src="https://example.org"></iframe>\n\n[x](javascript:alert(3))\n',
    })
    // The page's own scripts sit in its head; the report's content is inside <main>.
    const html = site.files.get('index.html')!
    const main = html.slice(html.indexOf('<main'), html.indexOf('</main>'))
    expect(main).toContain('Hi')
    expect(main).not.toMatch(/onclick|<script|<iframe|javascript:/)
    expect(select('#keep', site.page('index.html'))).toBeDefined()
  })
})
