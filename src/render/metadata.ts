// How the report describes itself to machines: citation managers and
// scholarly indexes (Highwire `citation_*`, Dublin Core, CITATION.cff),
// search engines (schema.org JSON-LD, sitemap.xml, robots.txt) and link
// previews (Open Graph). Built from report.yml alone; pure.

import { stringify } from 'yaml'
import type { ReportConfig } from '../config/report.js'
import { previewsFile, type ItemExcerpt, type PreviewsMemo } from './previews.js'

export interface ReportMetadata {
  /** Title with subtitle, as cited. */
  citationTitle: string
  /** Who publishes it: `publisher`, else the first author's first affiliation. */
  publisher: string | null
  /** `2025/09/03`, the form Highwire tags use. */
  citationDate: string | null
  /** The PDF's address from the site root (`report.pdf`), when the build makes one. */
  pdf: string | null
  /** The PDF's full URL, when there is a PDF and a site URL. */
  pdfUrl: string | null
  /** The Word document's address from the site root (`report.docx`), when the build makes one. */
  docx: string | null
  /** schema.org `Report` as JSON, safe to place inside a `<script>` element. */
  jsonLd: string
}

export const pdfFileName = 'report.pdf'
export const docxFileName = 'report.docx'

export function describeReport(
  report: ReportConfig,
  title: string,
  siteUrl: string | null,
  options: { pdf: boolean; docx?: boolean; licenseUrl?: string | null },
): ReportMetadata {
  const publisher = report.publisher ?? report.authors?.find((a) => a.affiliations?.length)?.affiliations?.[0] ?? null
  const pdf = options.pdf ? pdfFileName : null
  const pdfUrl = pdf && siteUrl ? new URL(pdf, siteUrl).href : null
  return {
    citationTitle: report.subtitle ? `${title}: ${report.subtitle}` : title,
    publisher,
    citationDate: report.date ? report.date.replace(/-/g, '/') : null,
    pdf,
    pdfUrl,
    docx: options.docx ? docxFileName : null,
    jsonLd: scriptSafeJson(reportJsonLd(report, title, siteUrl, publisher, pdfUrl, options.licenseUrl ?? null)),
  }
}

function reportJsonLd(
  report: ReportConfig,
  title: string,
  siteUrl: string | null,
  publisher: string | null,
  pdfUrl: string | null,
  licenseUrl: string | null,
): object {
  const organization = (name: string) => ({ '@type': 'Organization', name })
  const data: Record<string, unknown> = {
    '@context': 'https://schema.org',
    '@type': 'Report',
    name: title,
  }
  const set = (key: string, value: unknown) => {
    if (value !== undefined && value !== null) data[key] = value
  }
  set('alternativeHeadline', report.subtitle)
  set('description', report.description)
  set('datePublished', report.date)
  set('version', report.version)
  set('inLanguage', report.language ?? 'en')
  if (report.authors?.length) {
    data['author'] = report.authors.map((a) => {
      const person: Record<string, unknown> = { '@type': 'Person', name: a.name }
      if (a.orcid) person['identifier'] = `https://orcid.org/${a.orcid}`
      if (a.affiliations?.length) person['affiliation'] = a.affiliations.map(organization)
      return person
    })
  }
  if (publisher) data['publisher'] = organization(publisher)
  if (report.funder) data['funder'] = organization(report.funder)
  set('license', licenseUrl ?? report.license)
  set('url', siteUrl)
  if (report.source?.url) data['isBasedOn'] = report.source.url
  if (pdfUrl) data['encoding'] = { '@type': 'MediaObject', contentUrl: pdfUrl, encodingFormat: 'application/pdf' }
  return data
}

/**
 * JSON for a `<script type="application/ld+json">` element. `<`, `>` and `&`
 * become escapes, so no value (a title with `</script>` in it) can end the
 * element early, and the line separators that old parsers reject are escaped too.
 */
export function scriptSafeJson(value: unknown): string {
  return JSON.stringify(value)
    .replace(/</g, '\\u003c')
    .replace(/>/g, '\\u003e')
    .replace(/&/g, '\\u0026')
    .replace(/\u2028/g, '\\u2028')
    .replace(/\u2029/g, '\\u2029')
}

/**
 * The site's files for machines, next to its pages: the reference previews,
 * CITATION.cff, and, when the site's URL is known, sitemap.xml and robots.txt.
 */
export function machineFiles(
  report: ReportConfig,
  site: { title: string; siteUrl: string | null; date: string | null },
  items: readonly ItemExcerpt[],
  outputPaths: Iterable<string>,
  /** Generated pages that hold a chapter's text; the search page is listed in the sitemap only then. Default: none. */
  authored: ReadonlySet<string> = new Set(),
  /** The previews file a session made last, to be taken again while its entries are the same. Default: none. */
  memo?: PreviewsMemo,
): Map<string, string> {
  const files = new Map<string, string>([
    ['assets/previews.json', previewsFile(items, memo)],
    ['CITATION.cff', citationFile(report, site.title, site.siteUrl)],
  ])
  if (site.siteUrl) {
    const pages = [...outputPaths]
      .filter((p) => p.endsWith('index.html') && (p !== 'search/index.html' || authored.has(p)))
      .sort()
      .map((p) => p.replace(/index\.html$/, ''))
    files.set('sitemap.xml', sitemapFile(site.siteUrl, pages, site.date))
    files.set('robots.txt', robotsFile(site.siteUrl))
  }
  return files
}

/** CITATION.cff (format 1.2.0), which code hosts and reference managers read. */
export function citationFile(report: ReportConfig, title: string, siteUrl: string | null): string {
  const data: Record<string, unknown> = {
    'cff-version': '1.2.0',
    message: 'If you use this report, please cite it as below.',
    title: report.subtitle ? `${title}: ${report.subtitle}` : title,
  }
  // CFF requires at least one author; a report without any is credited to its publisher.
  const publisher = report.publisher ?? report.authors?.find((a) => a.affiliations?.length)?.affiliations?.[0]
  data['authors'] = report.authors?.length
    ? report.authors.map((a) => {
        const parts = a.name.trim().split(/\s+/)
        const person: Record<string, unknown> =
          parts.length > 1 ? { 'family-names': parts.at(-1), 'given-names': parts.slice(0, -1).join(' ') } : { name: a.name }
        if (a.affiliations?.length) person['affiliation'] = a.affiliations.join('; ')
        if (a.orcid) person['orcid'] = `https://orcid.org/${a.orcid}`
        if (a.email) person['email'] = a.email
        return person
      })
    : [{ name: publisher ?? title }]
  if (report.description) data['abstract'] = report.description
  if (report.date) data['date-released'] = report.date
  if (report.version) data['version'] = report.version
  if (report.license) data['license'] = report.license
  if (siteUrl) data['url'] = siteUrl
  if (report.repository) data['repository'] = report.repository
  const preferred: Record<string, unknown> = {
    type: 'report',
    title: data['title'],
    authors: data['authors'],
  }
  if (report.date) preferred['year'] = Number(report.date.slice(0, 4))
  if (publisher) preferred['institution'] = { name: publisher }
  if (siteUrl) preferred['url'] = siteUrl
  data['preferred-citation'] = preferred
  return `# Generated by fieldnotes from report.yml; edit that file instead.\n${stringify(data, { lineWidth: 0, aliasDuplicateObjects: false })}`
}

/** sitemap.xml: every published page, by its full URL. */
export function sitemapFile(siteUrl: string, pagePaths: readonly string[], lastModified: string | null): string {
  const urls = pagePaths.map((page) => {
    const loc = new URL(page, siteUrl).href
    return `  <url><loc>${escapeXml(loc)}</loc>${lastModified ? `<lastmod>${lastModified}</lastmod>` : ''}</url>`
  })
  return `<?xml version="1.0" encoding="UTF-8"?>\n<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n${urls.join('\n')}\n</urlset>\n`
}

export function robotsFile(siteUrl: string): string {
  return `User-agent: *\nAllow: /\n\nSitemap: ${new URL('sitemap.xml', siteUrl).href}\n`
}

function escapeXml(value: string): string {
  return value.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;')
}
