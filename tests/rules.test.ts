// Every problem an author can make, reported at its exact file, line and column.

import { describe, expect, it } from 'vitest'
import { toString } from 'hast-util-to-string'
import { buildInMemory, select, text, texts, where } from './helpers.js'

const registry = `participants:
  - id: P01
    role: Maintainer
    consent: anonymous
  - id: P02
    role: Deployer
    consent: no-quotes
`

const chapter = `# Theme

:::finding{#slow-review}
## Pull requests wait too long

> They sit for weeks.
> — P01
:::

:::recommendation{#r-review addresses="slow-review"}
## Review faster
:::
`

describe('errors', () => {
  it('reports a reference to an unknown id and suggests the nearest', () => {
    const { messages } = buildInMemory({ 'index.md': `${chapter}\nSee [](#slow-reveiw).\n` })
    expect(where(messages)).toEqual(['content/index.md:14:5 reference-target-exists'])
    expect(messages[0]?.hint).toBe('Did you mean `slow-review`?')
  })

  it('reports a duplicate id at the second place, naming the first', () => {
    const { messages } = buildInMemory({
      'index.md': chapter,
      'b.md': '# B\n\n:::finding{#slow-review}\n## Again\n:::\n',
    })
    expect(where(messages.filter((m) => m.ruleId === 'id-unique'))).toEqual(['content/b.md:3:1 id-unique'])
    expect(messages.find((m) => m.ruleId === 'id-unique')?.reason).toContain('content/index.md:3:1')
  })

  it('reports a recommendation addressing an unknown finding, at the id in the attribute', () => {
    const { messages } = buildInMemory({ 'index.md': chapter.replace('addresses="slow-review"', 'addresses="slow-review slow-reviw"') })
    expect(where(messages)).toEqual(['content/index.md:10:52 addresses-finding-exists'])
    expect(messages[0]?.hint).toBe('Did you mean `slow-review`?')
  })

  it('reports a recommendation addressing a heading or another recommendation', () => {
    const { messages } = buildInMemory({
      'index.md': `${chapter}\n## Background\n`.replace('addresses="slow-review"', 'addresses="slow-review background r-review"'),
    })
    expect(where(messages)).toEqual(['content/index.md:10:52 addresses-finding-exists', 'content/index.md:10:63 addresses-finding-exists'])
    expect(messages.map((m) => m.reason)).toEqual([
      'Recommendation `r-review` addresses `background`, which is a heading, not a finding',
      'Recommendation `r-review` addresses `r-review`, which is a recommendation, not a finding',
    ])
  })

  it('keeps the first of two findings with one id: its number, and the references to it', () => {
    const { messages, page } = buildInMemory({
      'a.md': '# A\n\n:::finding{#slow}\n## First slow\n:::\n',
      'b.md': '# B\n\n:::finding{#slow}\n## Second slow\n:::\n\n:::finding{#other}\n## Other\n:::\n\nSee [](#slow).\n',
    })
    const unique = messages.filter((m) => m.ruleId === 'id-unique')
    expect(where(unique)).toEqual(['content/b.md:3:1 id-unique'])
    expect(unique[0]?.reason).toBe('The id `slow` is already used at content/a.md:3:1')
    expect(unique[0]?.hint).toBe('Ids must be unique across the whole report; rename one of them.')
    expect(texts(page('a/index.html'), 'section.finding .item-number')).toEqual(['Finding 1'])
    // The repeat gets no number of its own, and the next finding is the second.
    expect(texts(page('b/index.html'), 'section.finding .item-number')).toEqual(['Finding', 'Finding 2'])
    const link = select('.prose > p a', page('b/index.html'))
    expect([link?.properties['href'], link && toString(link)]).toEqual(['../a/#slow', 'Finding 1: First slow'])
  })

  it('lets only the first recommendation with an id address findings, even when a finding has the id', () => {
    const { messages, page } = buildInMemory({
      'index.md': [
        '# A',
        ':::finding{#f1}\n## One\n:::',
        ':::finding{#f2}\n## Two\n:::',
        ':::recommendation{#r addresses="f1"}\n## Do it\n:::',
        ':::recommendation{#r addresses="f2 nothing"}\n## Again\n:::',
        ':::recommendation{#f1 addresses="f2 nothing"}\n## Clash\n:::',
        '',
      ].join('\n\n'),
      'b.md': '# B\n\n:::recommendation{#r}\n## Elsewhere\n:::\n',
    })
    // The repeats are reported once each, as repeats: what they address is not read.
    expect(where(messages.filter((m) => m.ruleId !== 'finding-has-quote'))).toEqual([
      'content/b.md:3:1 id-unique',
      'content/index.md:7:1 finding-addressed',
      'content/index.md:15:1 id-unique',
      'content/index.md:19:1 id-unique',
    ])
    expect(text(page('index.html'), '#r .related ul')).toBe('Finding 1: One')
    expect(text(page('index.html'), '#f2 .related p:not(.related-label)')).toBe('No recommendation addresses this finding yet.')
    // The repeat in another chapter is shown without a number, and responds to nothing.
    expect(texts(page('b/index.html'), 'section.recommendation .item-number')).toEqual(['Recommendation'])
    expect(text(page('b/index.html'), '#r .related p:not(.related-label)')).toBe('No findings listed.')
  })

  it('reports a recommendation addressing a chapter, or an id nothing has, with the advice to list finding ids', () => {
    const { messages } = buildInMemory({
      'index.md': chapter.replace('addresses="slow-review"', 'addresses="slow-review themes/methods themes/methods.md zzz"'),
      'themes/methods.md': '# Methods\n',
    })
    expect(where(messages)).toEqual([
      'content/index.md:10:52 addresses-finding-exists',
      'content/index.md:10:67 addresses-finding-exists',
      'content/index.md:10:85 addresses-finding-exists',
    ])
    expect(messages.map((m) => [m.reason, m.hint])).toEqual([
      ['Recommendation `r-review` addresses `themes/methods`, which is a chapter, not a finding', 'List the ids of findings, as written in `:::finding{#id}`.'],
      ['Recommendation `r-review` addresses `themes/methods.md`, which is a chapter, not a finding', 'List the ids of findings, as written in `:::finding{#id}`.'],
      ['Recommendation `r-review` addresses `zzz`, but no finding has that id', 'List the ids of findings, as written in `:::finding{#id}`.'],
    ])
  })

  it('lists a finding once under a recommendation that names it twice, and the recommendation once under the finding', () => {
    const { messages, page } = buildInMemory({ 'index.md': chapter.replace('addresses="slow-review"', 'addresses="slow-review slow-review"') })
    expect(messages).toEqual([])
    expect(texts(page('index.html'), '#r-review .related li')).toEqual(['Finding 1: Pull requests wait too long'])
    expect(texts(page('index.html'), '#slow-review .related li')).toEqual(['Recommendation 1: Review faster'])
  })

  it('reports a quote attributed to an unregistered participant-like id, suggesting the nearest', () => {
    const { messages } = buildInMemory({ 'participants.yml': registry, 'index.md': chapter.replace('— P01', '— P1') })
    expect(where(messages)).toEqual(['content/index.md:7:3 quote-participant-known', 'content/participants.yml:2:5 participant-quoted'])
    expect(messages[0]?.hint).toContain('Did you mean P01?')
  })

  it('reports a quote from a participant who did not consent to quotes', () => {
    const { messages } = buildInMemory({ 'participants.yml': registry, 'index.md': chapter.replace('— P01', '— P02') })
    expect(where(messages)).toEqual(['content/index.md:7:3 quote-consent-allows', 'content/participants.yml:2:5 participant-quoted'])
    expect(messages[0]?.reason).toBe('P02 did not consent to being quoted (consent: no-quotes)')
    expect(messages[0]?.hint).toBe('Remove the quote, or describe the point in your own words without attributing it.')
  })

  it('reports an unregistered label by its first word, and asks for an entry when no label is near', () => {
    const { messages } = buildInMemory({ 'participants.yml': registry, 'index.md': chapter.replace('— P01', '— ZZ9876, second interview') })
    expect(where(messages)).toEqual(['content/index.md:7:3 quote-participant-known', 'content/participants.yml:2:5 participant-quoted'])
    expect(messages[0]?.reason).toBe('The quote is attributed to ZZ9876, who is not in participants.yml')
    expect(messages[0]?.hint).toBe('Add ZZ9876 to participants.yml with a role and consent.')
  })

  it('takes for participant labels only one to three letters and one to four digits, with an optional hyphen', () => {
    const quote = (attribution: string) => `\n> Said.\n> — ${attribution}\n`
    const labels = ['PX12', 'P-1234', 'Team12', 'P12x', 'P12345', 'x,P12 said']
    const { messages } = buildInMemory({
      'participants.yml': registry,
      'index.md': chapter.replace('> — P01\n', `> — P01\n${labels.map(quote).join('')}`),
    })
    expect(messages.filter((m) => m.ruleId === 'quote-participant-known').map((m) => m.reason)).toEqual([
      'The quote is attributed to PX12, who is not in participants.yml',
      'The quote is attributed to P-1234, who is not in participants.yml',
    ])
  })

  it('shows an attribution that is not a participant id as written, without an error', () => {
    const { messages } = buildInMemory({ 'participants.yml': registry, 'index.md': chapter.replace('— P01', '— a published interview, 2019') })
    // P01 is now quoted nowhere, which is worth a note but no more.
    expect(where(messages)).toEqual(['content/participants.yml:2:5 participant-quoted'])
  })

  it('reports a toc entry whose file is missing, at the entry', () => {
    const { messages } = buildInMemory({
      'report.yml': 'title: R\ntoc:\n  - file: index.md\n  - title: Part\n    children:\n      - file: themes/one.md\n',
      'index.md': chapter,
      'themes/won.md': '# One\n',
    })
    expect(where(messages)).toEqual([
      'content/report.yml:6:15 toc-file-exists',
      'content/themes/won.md:1:1 toc-includes-file',
    ])
    expect(messages[0]?.hint).toContain('themes/won.md')
  })

  it('reports unknown keys in report.yml and participants.yml as errors with their line', () => {
    const { messages } = buildInMemory({
      'report.yml': 'title: R\nsubtitel: S\n',
      'participants.yml': 'participants:\n  - id: P01\n    role: R\n    consent: anonymous\n    email: x@example.org\n',
      'index.md': '# A\n',
    })
    expect(where(messages)).toEqual(['content/participants.yml:5:5 config-key-known', 'content/report.yml:2:1 config-key-known'])
    expect(messages.find((m) => m.file.endsWith('report.yml'))?.hint).toContain('Did you mean `subtitle`?')
  })

  it('reports wrong types, naming the key and its line', () => {
    const { messages } = buildInMemory({
      'report.yml': 'title: R\ndate: 3 September 2025\nauthors:\n  - name: A\n    orcid: 1234\n',
      'participants.yml': 'participants:\n  - id: P01\n    role: R\n    consent: maybe\n',
      'index.md': '---\ndescription: [a]\n---\n# A\n',
    })
    expect(where(messages)).toEqual([
      'content/index.md:2:14 value-type-valid',
      'content/participants.yml:4:14 value-type-valid',
      'content/report.yml:2:7 value-type-valid',
      'content/report.yml:5:12 value-type-valid',
    ])
    expect(messages.map((m) => m.reason.match(/`[^`]+`/)?.[0])).toEqual([
      '`description`',
      '`participants.0.consent`',
      '`date`',
      '`authors.0.orcid`',
    ])
  })

  it('reports invalid YAML with its position', () => {
    const { messages } = buildInMemory({ 'report.yml': 'title: R\ntitle: S\n', 'index.md': '# A\n' })
    expect(where(messages)).toEqual(['content/report.yml:2:1 yaml-valid'])
  })

  it('reports an unclosed directive', () => {
    const { messages } = buildInMemory({ 'index.md': '# A\n\n:::note\nNever closed.\n' })
    expect(where(messages)).toEqual(['content/index.md:3:1 directive-closed'])
  })

  it('reports a link to a missing chapter or a missing anchor in one', () => {
    const { messages } = buildInMemory({
      'index.md': '# A\n\nSee [methods](methds.md) and [x](b.md#nowhere).\n',
      'b.md': '# B\n\n## Somewhere\n',
    })
    expect(where(messages)).toEqual(['content/index.md:3:5 link-target-exists', 'content/index.md:3:30 link-target-exists'])
  })

  it('reports a name stored for a participant who did not agree to be named, at their entry', () => {
    const { messages } = buildInMemory({
      'participants.yml': `participants:
  - id: P01
    role: Maintainer
    consent: anonymous
    name: Mary Somerville
  - id: P02
    role: Deployer
    consent: no-quotes
    name: Dana Reyes
  - id: P03
    role: Founder
    consent: named
    name: Ada
`,
      'index.md': chapter,
    })
    expect(where(messages)).toEqual([
      'content/participants.yml:2:5 value-type-valid',
      'content/participants.yml:6:5 value-type-valid',
      'content/participants.yml:10:5 participant-quoted',
    ])
    expect(messages.slice(0, 2).map((m) => m.reason)).toEqual([
      'Participant P01 has a name but consent `anonymous`, so the name must not be stored here',
      'Participant P02 has a name but consent `no-quotes`, so the name must not be stored here',
    ])
    expect(messages[0]?.hint).toBe('Remove `name`, or set `consent: named` if they agreed to be named.')
  })

  it('reports a participant id listed twice, at the second entry', () => {
    const { messages } = buildInMemory({ 'participants.yml': `${registry}  - id: P01\n    role: Lead\n    consent: anonymous\n`, 'index.md': chapter })
    expect(where(messages)).toEqual(['content/participants.yml:8:5 participant-id-unique'])
    expect(messages[0]?.reason).toBe('Participant id P01 is listed twice')
    expect(messages[0]?.hint).toBe('Give each participant one entry with its own label.')
  })

  it('reports a chapter the toc lists twice, at the second entry', () => {
    const { messages } = buildInMemory({
      'report.yml': 'title: R\ntoc:\n  - file: index.md\n  - title: Part\n    children:\n      - file: b.md\n      - file: index.md\n',
      'index.md': chapter,
      'b.md': '# B\n',
    })
    expect(where(messages)).toEqual(['content/report.yml:7:15 toc-file-unique'])
    expect(messages[0]?.reason).toBe('The toc lists `index.md` more than once')
    expect(messages[0]?.hint).toBe('A chapter can appear once; remove the repeated entry.')
  })

  it('reports a template that fails, at its line and column in the template', () => {
    const templates = { 'search.liquid': "{% layout 'base.liquid' %}\n{% block content %}\n<h1>Search</h1>\n<p>{{ page.title | shout }}</p>\n{% endblock %}\n" }
    const { messages, files } = buildInMemory({ 'index.md': chapter }, { templates })
    expect(where(messages)).toEqual(['templates/search.liquid:4:4 template-valid'])
    expect(messages[0]?.reason).toContain('undefined filter: shout')
    expect(messages[0]?.hint).toBe('Check the variable and filter names against docs/theming.md.')
    // The other pages are made as usual.
    expect(files.get('index.html')).toContain('Pull requests wait too long')
  })

  it('reports a reference to a heading that several chapters share', () => {
    const { messages } = buildInMemory({ 'index.md': '# A\n\n[](#background)\n', 'b.md': '# B\n\n## Background\n', 'c.md': '# C\n\n## Background\n' })
    expect(where(messages)).toEqual(['content/index.md:3:1 reference-target-unambiguous'])
  })

  it('resolves a reference to a heading on its own page, though another chapter has a heading with that id', () => {
    const { messages, page } = buildInMemory({ 'index.md': '# A\n\n## Background\n\nSee [](#background).\n', 'b.md': '# B\n\n## Background\n' })
    expect(messages).toEqual([])
    const link = select('.prose p a', page('index.html'))
    expect(link?.properties['href']).toBe('#background')
    expect(link && toString(link)).toBe('Background')
  })
})

describe('warnings', () => {
  it('warns about a finding no recommendation addresses and a recommendation that addresses nothing', () => {
    const { messages } = buildInMemory({
      'index.md': chapter.replace(' addresses="slow-review"', ''),
    })
    expect(where(messages)).toEqual(['content/index.md:3:1 finding-addressed', 'content/index.md:10:1 recommendation-addresses-something'])
    expect(messages.every((m) => m.severity === 'warning')).toBe(true)
    expect(messages.map((m) => [m.reason, m.hint])).toEqual([
      ['Finding 1 (`slow-review`) is not addressed by any recommendation', 'Add `slow-review` to the `addresses` of the recommendation that answers it.'],
      ['Recommendation `r-review` does not say which findings it addresses', 'Add `addresses="finding-id other-finding-id"` to its braces.'],
    ])
  })

  it('does not ask for findings to be addressed in a report without recommendations', () => {
    const { messages } = buildInMemory({ 'index.md': chapter.slice(0, chapter.indexOf(':::recommendation')) })
    expect(messages).toEqual([])
  })

  it('warns about an unknown front matter key, suggesting the nearest', () => {
    const { messages } = buildInMemory({ 'index.md': '---\ntitel: A\n---\n# A\n' })
    expect(where(messages)).toEqual(['content/index.md:2:1 frontmatter-key-known'])
    expect(messages[0]?.severity).toBe('warning')
    expect(messages[0]?.hint).toContain('Did you mean `title`?')
  })
})
