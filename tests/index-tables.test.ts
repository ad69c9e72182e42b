// The index pages' tables as built: every field carries its column's name for
// the card layout on phones, the evidence map shows how much evidence each
// finding rests on, and the extra stylesheet and scripts are linked only by
// the pages that use them.

import { describe, expect, it } from 'vitest'
import { evidenceGridLimit } from '../src/render/pages.js'
import { attr, buildInMemory, select, selectAll, texts } from './helpers.js'

const participants = `participants:
  - id: P01
    role: Maintainer
    consent: anonymous
  - id: P02
    role: Deployer
    consent: anonymous
  - id: P03
    role: Teacher
    consent: anonymous
`

const quote = (who: string) => `> Something they said.\n> — ${who}\n`

function report(recommendations = 2): Record<string, string> {
  const recs = Array.from({ length: recommendations }, (_, i) => `:::recommendation{#r-${i + 1} addresses="${i % 2 ? 'busy' : 'quiet'}" audience="Maintainers" horizon="short"}\n### Do thing ${i + 1}\n\nWhat to do.\n:::\n`)
  return {
    'report.yml': 'title: Tables\n',
    'participants.yml': participants,
    'index.md': '# Home\n\nWelcome.\n',
    'themes.md': `# Themes\n\n## First part\n\nText.\n\n## Second part\n\n:::finding{#busy}\n## Busy finding\n\n${quote('P01')}\n${quote('P02')}\n${quote('P02')}\n${quote('P03')}\n:::\n\n:::finding{#quiet}\n## Quiet finding\n\n${quote('P01')}\n:::\n\n${recs.join('\n')}`,
  }
}

const rows = (page: ReturnType<ReturnType<typeof buildInMemory>['page']>, table: string) =>
  selectAll(`table.${table} tbody tr:not(.theme-row)`, page).map((row) => ({
    finding: texts({ type: 'root', children: [row] }, 'th').join(''),
    quotes: texts({ type: 'root', children: [row] }, 'td[data-label="Quotes"]').join(''),
    participants: texts({ type: 'root', children: [row] }, 'td[data-label="Participants"]').join(''),
    meters: selectAll('meter', row).map((m) => [m.properties['value'], m.properties['max'], m.properties['ariaHidden']]),
  }))

describe('the evidence map', () => {
  it('gives each finding its quotes and distinct participants, as numbers and as bars against the best-supported finding', () => {
    const page = buildInMemory(report()).page('evidence/index.html')
    expect(texts(page, 'table.evidence-table thead th')).toEqual(['Finding', 'Quotes', 'Participants', 'R1', 'R2'])
    expect(rows(page, 'evidence-table')).toEqual([
      { finding: '1. Busy finding', quotes: '4', participants: '3', meters: [['4', '4', 'true'], ['3', '3', 'true']] },
      { finding: '2. Quiet finding', quotes: '1', participants: '1', meters: [['1', '4', 'true'], ['1', '3', 'true']] },
    ])
    // The grid's cells say in words whether the recommendation addresses the finding; the dot is drawn by the stylesheet.
    expect(texts(page, 'table.evidence-table tbody tr:not(.theme-row) td:not([data-label])')).toEqual(['Not addressed', 'Addressed', 'Addressed', 'Not addressed'])
    expect(selectAll('table.evidence-table td.hit', page)).toHaveLength(2)
    expect(attr(page, 'table.evidence-table .theme-row th', 'colSpan')).toBe('5')
  })

  it('explains its marks in one legend, before the table', () => {
    const page = buildInMemory(report()).page('evidence/index.html')
    expect(selectAll('.evidence-key', page)).toHaveLength(1)
    expect(texts(page, '.evidence-key dt')).toEqual(['●', 'Quotes', 'Participants', 'Bar'])
    expect(texts(page, '.evidence-key dd').at(-1)).toBe('The count, against the finding with the most (4 quotes, 3 participants)')
    const order = selectAll('.generated-part > *', page).map((n) => (n.properties['className'] as string[] | undefined)?.[0])
    expect(order.indexOf('evidence-key')).toBeLessThan(order.indexOf('table-wrap'))
  })

  it('keeps the counts when it is a list of findings rather than a grid', () => {
    const page = buildInMemory(report(evidenceGridLimit + 1)).page('evidence/index.html')
    expect(select('table.evidence-table', page)).toBeUndefined()
    expect(texts(page, 'table.evidence-list thead th')).toEqual(['Finding', 'Quotes', 'Participants', 'Addressed by'])
    expect(rows(page, 'evidence-list').map((r) => [r.quotes, r.participants])).toEqual([['4', '3'], ['1', '1']])
    // The key has no dot to explain: a list has no grid.
    expect(texts(page, '.evidence-key dt')).toEqual(['Quotes', 'Participants', 'Bar'])
  })
})

describe('the index tables', () => {
  it('name every field by its column, so that phones can show each row as a card', () => {
    const site = buildInMemory(report())
    const recommendations = site.page('recommendations/index.html')
    expect(attr(recommendations, 'table', 'className')).toBe('recommendations-table cards')
    expect(selectAll('tbody tr', recommendations).map((row) => selectAll('td', row).map((td) => td.properties['dataLabel']))).toEqual([
      ['No.', 'Audience', 'Horizon', 'Addresses'],
      ['No.', 'Audience', 'Horizon', 'Addresses'],
    ])
    const people = site.page('participants/index.html')
    expect(attr(people, 'table', 'className')).toBe('participants-table cards')
    expect(selectAll('tbody tr', people).map((row) => selectAll('td', row).map((td) => td.properties['dataLabel']))).toEqual(
      Array.from({ length: 3 }, () => ['Role', 'Quotes', 'Quoted in']),
    )
    // Each label is the text of its column's header, so the card says what the table says.
    const headers = texts(people, 'thead th')
    for (const label of ['Role', 'Quotes', 'Quoted in']) expect(headers).toContain(label)
  })

  it('link their stylesheet and scripts only where they are used', () => {
    const site = buildInMemory(report())
    const links = (p: string) => selectAll('link[rel~="stylesheet"], script[src]', site.page(p)).map((n) => String(n.properties['href'] ?? n.properties['src']))
    for (const p of ['recommendations/index.html', 'participants/index.html', 'evidence/index.html']) expect(links(p)).toContain('../assets/tables.css')
    for (const p of ['index.html', 'themes/index.html', 'findings/index.html', 'search/index.html']) expect(links(p)).not.toContain('../assets/tables.css')
    expect(links('evidence/index.html')).toContain('../assets/evidence.js')
    expect(links('recommendations/index.html')).not.toContain('../assets/evidence.js')
    // The script that marks the current section comes with an "On this page" list, and only then.
    expect(select('nav.outline', site.page('themes/index.html'))).toBeDefined()
    expect(links('themes/index.html')).toContain('../assets/outline.js')
    expect(select('nav.outline', site.page('index.html'))).toBeUndefined()
    expect(links('index.html').filter((l) => l.endsWith('outline.js'))).toEqual([])
  })
})
