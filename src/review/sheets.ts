// Consent review sheets: for each participant, every passage of the report
// that quotes them, with the finding and chapter it supports and where it will
// be on the site, so the research team can send it for approval. Built from
// the site index alone; one participant's sheet never holds another's words.

import type { SiteModel } from '../render/model.js'
import { urlPath } from '../render/urls.js'
import { matchParticipant, participantLike, type SiteIndex } from '../site/index.js'

export interface SheetQuote {
  text: string
  paraphrased: boolean
  finding: { id: string; number: number; title: string } | null
  chapter: { title: string; file: string }
  /** Where the quote is read: file, line. For the research team. */
  source: string
  /** The quote's place on the site: absolute when report.yml has `site_url`, else from the site's root. */
  url: string
}

export interface QuoteSheet {
  id: string
  role: string | null
  /** How the report shows them under a quote. */
  shownAs: string
  consent: string | null
  quotes: SheetQuote[]
}

export interface ReportSummary {
  title: string
  version: string | null
  date: string | null
}

/** One sheet per participant who may be quoted, in registry order (or by label when there is no registry). */
export function collectSheets(index: SiteIndex, site: SiteModel): QuoteSheet[] {
  const sheets = new Map<string, QuoteSheet>()
  if (index.hasRegistry) {
    for (const p of index.participants.values()) {
      if (p.consent === 'no-quotes') continue
      const name = p.consent === 'named' && p.name ? `, ${p.name}` : ''
      sheets.set(p.id, { id: p.id, role: p.role, shownAs: `${p.id}${name}, ${p.role}`, consent: p.consent, quotes: [] })
    }
  }
  for (const page of index.pages) {
    for (const quote of page.quotes) {
      // `P07` or `P07, second interview`; without a registry, any label of that shape.
      const label = matchParticipant(quote.attribution, sheets)?.id ?? quote.attribution.split(/[\s,;:(]/)[0] ?? ''
      let sheet = sheets.get(label)
      if (!sheet && !index.hasRegistry && participantLike.test(label)) {
        sheet = { id: label, role: null, shownAs: label, consent: null, quotes: [] }
        sheets.set(label, sheet)
      }
      if (!sheet) continue
      const finding = quote.finding ? index.findings.get(quote.finding) : undefined
      const anchor = finding ? `#${encodeURIComponent(finding.id)}` : ''
      const path = `${urlPath(page.slug)}${anchor}`
      sheet.quotes.push({
        text: quote.text,
        paraphrased: quote.paraphrased,
        finding: finding ? { id: finding.id, number: finding.number, title: finding.title } : null,
        chapter: { title: page.title, file: page.file },
        source: `${page.file}:${quote.place.line}`,
        url: site.siteUrl ? new URL(path, site.siteUrl).href : path === '' ? './' : path,
      })
    }
  }
  const list = [...sheets.values()]
  return index.hasRegistry ? list : list.sort((a, b) => a.id.localeCompare(b.id, 'en', { numeric: true }))
}

export function summarize(site: SiteModel): ReportSummary {
  return { title: site.title, version: site.version, date: site.dateText }
}

export const instructions =
  'Please read each passage below. For each one, tick whether we may publish it as it stands, ' +
  'with the changes you note, or not at all. Paraphrased passages are our summary of what you said, ' +
  'not your exact words; tell us if the summary is unfair to you.'

export function sheetMarkdown(sheet: QuoteSheet, report: ReportSummary): string {
  const lines: string[] = [`# Your quotes in "${report.title}"`, '']
  lines.push(`- Participant: ${sheet.id}`)
  lines.push(`- Shown in the report as: ${sheet.shownAs}`)
  if (report.version || report.date) lines.push(`- Report: ${[report.version && `version ${report.version}`, report.date].filter(Boolean).join(', ')}`)
  lines.push('')
  if (sheet.quotes.length === 0) {
    lines.push('The report does not quote you at present. There is nothing for you to approve.', '')
    return lines.join('\n')
  }
  lines.push(instructions, '')
  sheet.quotes.forEach((quote, i) => {
    lines.push(`## Passage ${i + 1} of ${sheet.quotes.length}`, '')
    for (const paragraph of quote.text.split('\n\n')) lines.push(`> ${paragraph}`, '>')
    lines.pop()
    lines.push('')
    lines.push(`- ${quote.paraphrased ? 'Paraphrased: our summary of what you said' : 'Verbatim: your words as written'}`)
    lines.push(`- Supports: ${quote.finding ? `Finding ${quote.finding.number}: ${quote.finding.title}` : 'no single finding'}`)
    lines.push(`- Chapter: ${quote.chapter.title}`)
    lines.push(`- On the site: ${quote.url}`)
    lines.push(`- In the source: ${quote.source}`)
    lines.push('')
    lines.push('- [ ] Publish as it stands', '- [ ] Publish with the changes noted below', '- [ ] Do not publish', '')
    lines.push('Changes or comments:', '', '')
  })
  return lines.join('\n')
}
