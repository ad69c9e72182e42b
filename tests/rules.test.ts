// Every problem an author can make, reported at its exact file, line and column.

import { describe, expect, it } from 'vitest'
import { toString } from 'hast-util-to-string'
import { buildInMemory, select, where } from './helpers.js'

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

  it('reports a quote attributed to an unregistered participant-like id, suggesting the nearest', () => {
    const { messages } = buildInMemory({ 'participants.yml': registry, 'index.md': chapter.replace('— P01', '— P1') })
    expect(where(messages)).toEqual(['content/index.md:7:3 quote-participant-known', 'content/participants.yml:2:5 participant-quoted'])
    expect(messages[0]?.hint).toContain('Did you mean P01?')
  })

  it('reports a quote from a participant who did not consent to quotes', () => {
    const { messages } = buildInMemory({ 'participants.yml': registry, 'index.md': chapter.replace('— P01', '— P02') })
    expect(where(messages)).toEqual(['content/index.md:7:3 quote-consent-allows', 'content/participants.yml:2:5 participant-quoted'])
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
    expect(messages[0]?.hint).toBe('Check the variable and filter names against docs/templates.md.')
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
  })

  it('warns about an unknown front matter key, suggesting the nearest', () => {
    const { messages } = buildInMemory({ 'index.md': '---\ntitel: A\n---\n# A\n' })
    expect(where(messages)).toEqual(['content/index.md:2:1 frontmatter-key-known'])
    expect(messages[0]?.severity).toBe('warning')
    expect(messages[0]?.hint).toContain('Did you mean `title`?')
  })
})
