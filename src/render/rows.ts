// The long lists of the generated index pages, made in code rather than in a
// template, as the contents sidebar is (nav.ts): a report of 10,000 chapters has
// 20,000 findings, and a Liquid loop over them took most of the time the pages
// made from the index take (about 2.7 s for the findings index alone). The built-in
// templates call these as filters (render/templates.ts); the data each row is
// made from stays in the page's data, for a template override to use as it likes.
// Each makes exactly what the Liquid it replaces made, whitespace included
// (tests/rows.test.ts keeps that Liquid and compares the two).

import { escapeHtml } from './nav.js'

/** A finding as the findings index and the evidence map have it (render/pages.ts). */
export interface FindingRow {
  anchor: string | null
  number: number
  title: string
  summary: string
  url: string
  quoteCount: number
  participantCount: number
  recommendations: { number: number; label: string; title: string; url: string }[]
}

/** A recommendation as the recommendations index has it. */
export interface RecommendationRow {
  anchor: string | null
  number: number
  title: string
  url: string
  audience: string | null
  horizons: string
  findings: { label: string; title: string; url: string }[]
}

const plural = (count: number, one: string, many: string) => `${count} ${count === 1 ? one : many}`

/** The findings index's themes: a section each, with its findings in a list. */
export function findingSections(themes: readonly { title: string; url: string; findings: readonly FindingRow[] }[], root: string): string {
  let html = ''
  themes.forEach((theme, at) => {
    const id = `theme-${at + 1}`
    html += `\n  <section aria-labelledby="${id}">\n    <h2 id="${id}"><a href="${escapeHtml(root + theme.url)}">${escapeHtml(theme.title)}</a></h2>\n    <ol class="finding-list">\n`
    for (const f of theme.findings) {
      html += `\n      <li${f.anchor !== null ? ` id="${escapeHtml(f.anchor)}"` : ''}>\n        <a class="finding-link" href="${escapeHtml(root + f.url)}"><span class="item-number">Finding ${f.number}</span> ${escapeHtml(f.title)}</a>\n`
      if (f.summary !== '') html += `\n        <p class="finding-summary">${escapeHtml(f.summary)}</p>\n`
      html += `\n        <p class="evidence-count">${plural(f.quoteCount, 'quote', 'quotes')} from ${plural(f.participantCount, 'participant', 'participants')}</p>\n`
      if (f.recommendations.length > 0) {
        const links = f.recommendations.map((r) => ` <a class="compact-ref" href="${escapeHtml(root + r.url)}">${escapeHtml(r.label)}<span class="visually-hidden">: ${escapeHtml(r.title)}</span></a>`)
        html += `\n        <p class="addressed-by">Addressed by\n${links.join(',')}</p>\n`
      } else html += '\n        <p class="addressed-by">Not yet addressed by a recommendation.</p>\n'
      html += '\n      </li>\n'
    }
    html += '\n    </ol>\n  </section>\n'
  })
  return html
}

/** The evidence map's body: a group of rows per theme, in a grid of findings by recommendations or, past its limit, a list. */
export function evidenceBodies(
  page: { matrix: boolean; columns: readonly unknown[]; most: { quotes: number; participants: number }; themes: readonly { title: string; rows: readonly (FindingRow & { cells: readonly boolean[] })[] }[] },
  root: string,
): string {
  const { most } = page
  const span = page.matrix ? page.columns.length + 3 : 4
  let html = ''
  for (const theme of page.themes) {
    html += `\n    <tbody>\n      <tr class="theme-row"><th scope="rowgroup" colspan="${span}">${escapeHtml(theme.title)}</th></tr>\n`
    for (const row of theme.rows) {
      html += `\n      <tr>\n        <th scope="row"><a href="${escapeHtml(root + row.url)}">${row.number}. ${escapeHtml(row.title)}</a></th>`
      html += `\n        <td data-label="Quotes">${row.quoteCount} <meter aria-hidden="true" value="${row.quoteCount}" max="${most.quotes}"></meter></td>`
      html += `<td data-label="Participants">${row.participantCount} <meter aria-hidden="true" value="${row.participantCount}" max="${most.participants}"></meter></td>\n`
      if (page.matrix) {
        for (const cell of row.cells) html += cell ? '<td class="hit"><span class="sr-only">Addressed</span></td>' : '<td><span class="sr-only">Not addressed</span></td>'
      } else {
        const links = row.recommendations.map((r) => `<a href="${escapeHtml(root + r.url)}" title="Recommendation ${r.number}: ${escapeHtml(r.title)}">R${r.number}</a>`)
        html += `        <td data-label="Addressed by">${links.length > 0 ? links.join(', ') : 'Not addressed yet'}</td>`
      }
      html += '\n      </tr>\n'
    }
    html += '\n    </tbody>\n'
  }
  return html
}

/** The recommendations index's table rows. */
export function recommendationRows(recommendations: readonly RecommendationRow[], root: string): string {
  let html = ''
  for (const r of recommendations) {
    html += `\n      <tr${r.anchor !== null ? ` id="${escapeHtml(r.anchor)}"` : ''}>\n        <td data-label="No.">${r.number}</td>\n        <th scope="row"><a href="${escapeHtml(root + r.url)}">${escapeHtml(r.title)}</a></th>`
    html += `\n        <td data-label="Audience">${escapeHtml(r.audience || '—')}</td>\n        <td data-label="Horizon">${escapeHtml(r.horizons || '—')}</td>\n        <td data-label="Addresses">\n`
    const links = r.findings.map((f) => `<a class="compact-ref" href="${escapeHtml(root + f.url)}">${escapeHtml(f.label)}<span class="visually-hidden">: ${escapeHtml(f.title)}</span></a>`)
    html += links.length > 0 ? `\n${links.join(', ')}\n` : '—'
    html += '\n        </td>\n      </tr>\n'
  }
  return html
}
