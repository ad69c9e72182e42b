// Long reports: the sidebar shows a window of a long contents list, the landing
// page shows all of it, and the evidence map turns into a list when a grid
// would have too many columns.

import { selectAll } from 'hast-util-select'
import { toString } from 'hast-util-to-string'
import { describe, expect, it } from 'vitest'
import { navWindow } from '../src/render/nav.js'
import { evidenceGridLimit } from '../src/render/pages.js'
import type { Element } from 'hast'
import { buildInMemory, select } from './helpers.js'

const prop = (node: Element, name: string) => node.properties[name] as string | undefined

const pad = (n: number) => String(n).padStart(3, '0')

function manyChapters(count: number, recommendations = 1): Record<string, string> {
  const files: Record<string, string> = { 'report.yml': 'title: Long report\n' }
  for (let i = 1; i <= count; i++) files[`c${pad(i)}.md`] = `# Chapter ${i}\n\nText of chapter ${i}.\n`
  const findings = Array.from({ length: recommendations }, (_, i) => `:::finding{#f-${i + 1}}\n### Finding ${i + 1}\n\nWhat we found.\n:::\n`)
  const recs = Array.from(
    { length: recommendations },
    (_, i) => `:::recommendation{#r-${i + 1} addresses="f-${i + 1}"}\n### Recommendation ${i + 1}\n\nWhat to do.\n:::\n`,
  )
  files['c001.md'] = `# Chapter 1\n\n${findings.join('\n')}\n${recs.join('\n')}`
  return files
}

const sidebarLinks = (site: ReturnType<typeof buildInMemory>, page: string) =>
  selectAll('nav.sidebar a', site.page(page)).map((a) => ({ text: toString(a), href: prop(a, 'href'), current: prop(a, 'ariaCurrent') }))

describe('the contents sidebar of a long report', () => {
  const count = navWindow.limit + 20
  const site = buildInMemory(manyChapters(count))

  it('shows every chapter while the list is short', () => {
    const short = buildInMemory(manyChapters(navWindow.limit))
    expect(sidebarLinks(short, 'c020/index.html')).toHaveLength(navWindow.limit)
  })

  it('shows a window around the current chapter, with links to the rest of the contents', () => {
    const links = sidebarLinks(site, 'c030/index.html')
    const chapters = links.filter((l) => l.text.startsWith('Chapter'))
    expect(chapters.map((l) => l.text)).toEqual(Array.from({ length: 2 * navWindow.span + 1 }, (_, i) => `Chapter ${30 - navWindow.span + i}`))
    expect(links.find((l) => l.current === 'page')?.text).toBe('Chapter 30')
    const more = links.filter((l) => !l.text.startsWith('Chapter'))
    expect(more.map((l) => l.text)).toEqual([`${30 - navWindow.span - 1} earlier entries in the contents`, `${count - 30 - navWindow.span} later entries in the contents`])
    expect(more.map((l) => l.href)).toEqual(['../#contents-heading', '../#contents-heading'])
  })

  it('keeps the window full at the ends of the list', () => {
    const first = sidebarLinks(site, 'c001/index.html').filter((l) => l.text.startsWith('Chapter'))
    expect(first[0]?.text).toBe('Chapter 1')
    expect(first).toHaveLength(2 * navWindow.span + 1)
    const last = sidebarLinks(site, `c${pad(count)}/index.html`).filter((l) => l.text.startsWith('Chapter'))
    expect(last.at(-1)?.text).toBe(`Chapter ${count}`)
    expect(last).toHaveLength(2 * navWindow.span + 1)
  })

  it('lists every chapter on the landing page, which the window links to', () => {
    const landing = site.page('index.html')
    expect(select('#contents-heading', landing)).toBeDefined()
    expect(selectAll('a', selectAll('.landing-contents > ul', landing)[0]!)).toHaveLength(count)
  })
})

describe('the evidence map', () => {
  it('is a grid up to the limit of recommendations', () => {
    const site = buildInMemory(manyChapters(1, 3))
    const page = site.page('evidence/index.html')
    expect(select('table.evidence-table', page)).toBeDefined()
    expect(selectAll('table.evidence-table td.hit', page)).toHaveLength(3)
  })

  it('lists the recommendations of each finding when a grid would be too wide', () => {
    const n = evidenceGridLimit + 1
    const site = buildInMemory(manyChapters(1, n))
    const page = site.page('evidence/index.html')
    expect(select('table.evidence-table', page)).toBeUndefined()
    const rows = selectAll('table.evidence-list tbody tr:not(.theme-row)', page)
    expect(rows).toHaveLength(n)
    expect(toString(select('td[data-label="Addressed by"]', rows[4]!)!)).toBe('R5')
    expect(prop(select('td a', rows[4]!)!, 'href')).toBe('../c001/#r-5')
  })
})
