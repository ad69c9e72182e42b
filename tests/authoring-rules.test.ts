// The checks that teach: images, headings and evidence, each reported at its
// exact file, line and column, with a hint, in file-then-line order.

import { describe, expect, it } from 'vitest'
import { formatAnnotation, formatMessage } from '../src/report.js'
import { attr, buildInMemory, where } from './helpers.js'

const registry = `participants:
  - id: P01
    role: Maintainer
    consent: anonymous
  - id: P02
    role: Deployer
    consent: anonymous
  - id: P03
    role: Former maintainer
    consent: no-quotes
`

const finding = `:::finding{#slow-review}
## Pull requests wait too long

> They sit for weeks.
> — P01
:::
`

describe('images', () => {
  it('reports an image that does not exist at the image, suggesting the file that does', () => {
    const { messages } = buildInMemory({
      'themes/a.md': `# A\n\n${finding}\nSee the chart:\n\n![Reviews per week](chart.png) and ![Map](../map.png)\n`,
      'themes/chart.pgn': '',
      'map.png': '',
    })
    expect(where(messages)).toEqual(['content/themes/a.md:12:1 image-exists'])
    expect(messages[0]?.reason).toBe('The image `chart.png` does not exist (looked for content/themes/chart.png)')
    expect(messages[0]?.hint).toBe('Did you mean `chart.pgn`?')
  })

  it('leaves an image path that climbs out of the content folder to the path rule, reporting it once', () => {
    const { messages } = buildInMemory({ 'index.md': `# A\n\n${finding}\n![Secret](../../etc/passwd.png)\n` })
    expect(where(messages)).toEqual(['content/index.md:10:1 path-inside-project'])
  })

  it('checks reference-style images against their definition', () => {
    const { messages, page } = buildInMemory({
      'themes/a.md': `# A\n\n${finding}\n![Chart][c] and ![Gone][g]\n\n[c]: chart.png\n[g]: gone.png\n`,
      'themes/chart.png': '',
    })
    expect(where(messages)).toEqual(['content/themes/a.md:10:17 image-exists'])
    expect(attr(page('themes/a/index.html'), '.prose img[alt="Chart"]', 'src')).toBe('../chart.png')
  })

  it('reports an image without alt text, in both forms', () => {
    const { messages } = buildInMemory({
      'index.md': `# A\n\n${finding}\n![](a.png)\n\nText ![ ][b]\n\n[b]: a.png\n`,
      'a.png': '',
    })
    expect(where(messages)).toEqual(['content/index.md:10:1 image-has-alt', 'content/index.md:12:6 image-has-alt'])
    expect(messages.every((m) => m.severity === 'error')).toBe(true)
    expect(messages[0]?.reason).toBe('The image `a.png` has no alt text')
  })

  it('leaves web images alone', () => {
    const { messages, page } = buildInMemory({ 'index.md': `# A\n\n${finding}\n![Logo](https://example.org/logo.png)\n` })
    expect(messages).toEqual([])
    expect(attr(page('index.html'), '.prose img', 'src')).toBe('https://example.org/logo.png')
  })

  it('reports a link to a file that does not exist, and resolves one that does', () => {
    const { messages, page } = buildInMemory({
      'themes/a.md': `# A\n\n${finding}\nThe [survey](data/survey.csv) and the [guide](../guide.pdf).\n`,
      'guide.pdf': '',
    })
    expect(where(messages)).toEqual(['content/themes/a.md:10:5 link-target-exists'])
    expect(messages[0]?.reason).toBe('The linked file `data/survey.csv` does not exist (looked for content/themes/data/survey.csv)')
    expect(attr(page('themes/a/index.html'), '.prose a[href$="guide.pdf"]', 'href')).toBe('../../guide.pdf')
  })
})

describe('headings', () => {
  it('warns where a heading level is skipped, and only there', () => {
    const { messages } = buildInMemory({
      'index.md': `# Title\n\n### Too deep\n\n## Fine\n\n### Fine too\n\n##### Skips two\n\n## Back up is fine\n\n${finding}`,
    })
    expect(where(messages)).toEqual(['content/index.md:3:1 heading-level-sequential', 'content/index.md:9:1 heading-level-sequential'])
    expect(messages.map((m) => m.severity)).toEqual(['warning', 'warning'])
    expect(messages[0]?.reason).toBe('The heading level jumps from 1 to 3: ### follows a level-1 heading')
    expect(messages[1]?.hint).toContain('Use ####')
  })

  it('counts a finding title as the level-2 heading it is shown as', () => {
    const { messages } = buildInMemory({
      'index.md': `# Title\n\n${finding.replace('## Pull', '# Pull')}\n### Aside\n\n:::finding{#deep}\n##### Too deep a title\n\n> Words.\n> — P01\n:::\n`,
    })
    expect(where(messages)).toEqual(['content/index.md:12:1 heading-level-sequential'])
    expect(messages[0]?.reason).toContain("the finding's title (#####)")
  })
})

describe('evidence', () => {
  it('warns about a finding with no quote, at the finding', () => {
    const { messages } = buildInMemory({ 'index.md': `# A\n\n${finding}\n:::finding{#lonely}\n## Stands alone\n\nNo evidence here.\n:::\n` })
    expect(where(messages)).toEqual(['content/index.md:10:1 finding-has-quote'])
    expect(messages[0]?.severity).toBe('warning')
  })

  it('notes a quote outside any finding, at its attribution', () => {
    const { messages } = buildInMemory({ 'index.md': `# A\n\n${finding}\nAs one person put it:\n\n> It is fine.\n> — P01\n` })
    expect(where(messages)).toEqual(['content/index.md:13:3 quote-in-finding'])
    expect(messages[0]?.severity).toBe('info')
  })

  it('notes a participant who is never quoted, at their entry, but not one who may not be quoted', () => {
    const { messages } = buildInMemory({ 'participants.yml': registry, 'index.md': `# A\n\n${finding}` })
    expect(where(messages)).toEqual(['content/participants.yml:5:5 participant-quoted'])
    expect(messages[0]?.reason).toBe('P02 is in participants.yml, but no quote is attributed to them')
    expect(messages[0]?.severity).toBe('info')
  })

  it('counts a quote attributed with context as quoting the participant', () => {
    const { messages } = buildInMemory({
      'participants.yml': registry,
      'index.md': `# A\n\n${finding.replace('— P01', '— P01, second interview')}\n:::finding{#b}\n## B\n\n> Yes.\n> — P02\n:::\n`,
    })
    expect(messages).toEqual([])
  })
})

describe('the message list', () => {
  it('is sorted by file, then line, then column, whatever the stage that found each problem', () => {
    const { messages } = buildInMemory({
      'participants.yml': registry,
      'b.md': `# B\n\n${finding}\n![](x.png)\n\n[](#nowhere)\n`,
      'a.md': `# A\n\n#### Deep\n\n> Loose.\n> — P01\n`,
    })
    expect(where(messages)).toEqual([
      'content/a.md:3:1 heading-level-sequential',
      'content/a.md:6:3 quote-in-finding',
      'content/b.md:10:1 image-exists',
      'content/b.md:10:1 image-has-alt',
      'content/b.md:12:1 reference-target-exists',
      'content/participants.yml:5:5 participant-quoted',
    ])
  })

  it('prints each severity in the terminal form and as the matching GitHub annotation', () => {
    const { messages } = buildInMemory({
      'participants.yml': registry,
      'index.md': `# A\n\n### Deep\n\n${finding}\n![](gone.png)\n`,
    })
    const byRule = (id: string) => messages.find((m) => m.ruleId === id)!
    expect(formatMessage(byRule('heading-level-sequential'))).toBe(
      'content/index.md:3:1  warning  The heading level jumps from 1 to 3: ### follows a level-1 heading  heading-level-sequential\n' +
        '    hint: Use ## here, so that the outline and screen readers can follow the structure.',
    )
    expect(formatAnnotation(byRule('image-has-alt'))).toBe(
      '::error file=content/index.md,line=12,col=1,title=image-has-alt::The image `gone.png` has no alt text%0A' +
        'Say what the image shows between the brackets, such as `![Bar chart of survey responses by role](chart.png)`.',
    )
    expect(formatAnnotation(byRule('heading-level-sequential'))).toMatch(/^::warning file=content\/index\.md,line=3,col=1,title=heading-level-sequential::/)
    expect(formatAnnotation(byRule('participant-quoted'))).toMatch(/^::notice file=content\/participants\.yml,line=5,col=5,title=participant-quoted::P02 is in/)
  })
})
