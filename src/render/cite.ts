// How to cite the report: an APA-style line and a BibTeX entry, built from
// report.yml alone.

import type { Author, ReportConfig } from '../config/report.js'

export interface Citation {
  plain: string
  bibtex: string
}

const months = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec']

export function citeReport(report: ReportConfig, title: string, url: string | undefined): Citation {
  const authors = report.authors ?? []
  const year = report.date?.slice(0, 4)
  const fullTitle = report.subtitle ? `${title}: ${report.subtitle}` : title
  const publisher = report.publisher ?? firstAffiliation(authors)

  const plain = [
    authors.length > 0 ? `${apaAuthors(authors)} ` : '',
    `(${year ?? 'n.d.'}). `,
    `${fullTitle}`,
    report.version ? ` (Version ${report.version})` : '',
    '. ',
    publisher ? `${publisher}. ` : '',
    url ?? '',
  ]
    .join('')
    .trim()

  const fields: [string, string | undefined][] = [
    ['title', fullTitle],
    ['author', authors.map((a) => bibtexName(a.name)).join(' and ') || undefined],
    ['year', year],
    ['institution', publisher],
    ['note', [report.version ? `Version ${report.version}` : '', report.license ? `License: ${report.license}` : ''].filter(Boolean).join('. ') || undefined],
    ['url', url],
  ]
  const month = report.date ? months[Number(report.date.slice(5, 7)) - 1] : undefined
  const lines = fields
    .filter((f): f is [string, string] => f[1] !== undefined && f[1] !== '')
    .map(([key, value]) => `  ${key} = {${bibtexEscape(value)}}`)
  if (month) lines.splice(3, 0, `  month = ${month}`)
  const key = `${(authors[0] ? familyName(authors[0].name) : 'report').toLowerCase().replace(/[^a-z0-9]/g, '')}${year ?? ''}${firstWord(title)}`
  const bibtex = `@techreport{${key},\n${lines.join(',\n')}\n}`
  return { plain, bibtex }
}

function apaAuthors(authors: Author[]): string {
  const names = authors.map((a) => apaName(a.name))
  if (names.length === 1) return names[0]!
  return `${names.slice(0, -1).join(', ')}, & ${names.at(-1)}`
}

function apaName(name: string): string {
  const parts = name.trim().split(/\s+/)
  const family = parts.pop() ?? name
  const initials = parts.map((p) => `${p.charAt(0).toUpperCase()}.`).join(' ')
  return initials ? `${family}, ${initials}` : family
}

function bibtexName(name: string): string {
  const parts = name.trim().split(/\s+/)
  const family = parts.pop() ?? name
  return parts.length > 0 ? `${family}, ${parts.join(' ')}` : family
}

function familyName(name: string): string {
  return name.trim().split(/\s+/).pop() ?? name
}

function firstWord(title: string): string {
  const stop = new Set(['a', 'an', 'the', 'of', 'on', 'in'])
  const words = title.toLowerCase().match(/[a-z0-9]+/g) ?? []
  return words.find((w) => !stop.has(w)) ?? ''
}

function firstAffiliation(authors: Author[]): string | undefined {
  return authors.find((a) => a.affiliations?.length)?.affiliations?.[0]
}

function bibtexEscape(value: string): string {
  return value.replace(/[\\{}]/g, '').replace(/([&%$#_])/g, '\\$1')
}
