// The data every template sees about the report as a whole: metadata, the
// contents tree, citation. Built once per build; URLs are relative to the
// site root, and templates prefix them with the page's `root`.

import type { ReportConfig } from '../config/report.js'
import type { ContentsNode } from '../load/toc.js'
import type { SiteIndex } from '../site/index.js'
import { citeReport, type Citation } from './cite.js'
import { describeReport, type ReportMetadata } from './metadata.js'
import { urlPath } from './urls.js'

export interface NavEntry {
  /** A part's url is empty unless the part is a page too; a link's url leaves the site. */
  kind: 'chapter' | 'part' | 'link'
  title: string
  slug: string
  url: string
  children: NavEntry[]
}

export interface SiteModel {
  title: string
  subtitle: string | null
  description: string | null
  lang: string
  date: string | null
  dateText: string | null
  version: string | null
  license: { id: string; url: string | null } | null
  funder: string | null
  publisher: string | null
  authors: { name: string; orcid: string | null; orcidUrl: string | null; affiliations: string }[]
  source: { title: string; authors: string | null; year: string | null; publisher: string | null; license: string | null; url: string | null } | null
  siteUrl: string | null
  repository: string | null
  citation: Citation
  doi: { id: string; url: string } | null
  keywords: string[]
  /** Images from the content folder, as paths from the site's root. */
  logo: string | null
  logoDark: string | null
  favicon: string | null
  thumbnail: string | null
  /** Offered on the landing page; `external` links leave the site, the others are paths from its root. */
  downloads: { title: string; url: string; external: boolean }[]
  /** Citation tags, JSON-LD and the PDF's address, for the page head. */
  meta: ReportMetadata
  nav: NavEntry[]
  /** Stylesheets every page links after the site's own (the theme's, then the report's custom CSS), as paths from the site's root. */
  stylesheets: string[]
  generated: { title: string; url: string }[]
  /** Whether the site has the interview pages (findings, recommendations, evidence map, participants) and their counts. */
  interview: boolean
  counts: { findings: number; recommendations: number; participants: number; quotes: number; paraphrased: number }
}

/** The pages made from a report's findings, recommendations and participants: a site that uses none of them has none of them. */
export const interviewPages: ReadonlySet<string> = new Set(['findings', 'recommendations', 'evidence', 'participants'])

export const generatedPages = [
  { slug: 'findings', title: 'Findings' },
  { slug: 'recommendations', title: 'Recommendations' },
  { slug: 'evidence', title: 'Evidence map' },
  { slug: 'participants', title: 'Participants' },
  { slug: 'full-report', title: 'Full report' },
] as const

const licenseUrls: Record<string, string> = {
  'CC0-1.0': 'https://creativecommons.org/publicdomain/zero/1.0/',
  'CC-BY-4.0': 'https://creativecommons.org/licenses/by/4.0/',
  'CC-BY-SA-4.0': 'https://creativecommons.org/licenses/by-sa/4.0/',
  'CC-BY-NC-4.0': 'https://creativecommons.org/licenses/by-nc/4.0/',
  MIT: 'https://opensource.org/license/mit',
}

export function buildSiteModel(
  report: ReportConfig,
  index: SiteIndex,
  contents: ContentsNode[],
  fallbackTitle: string,
  options: { pdf: boolean; docx?: boolean; bibliography?: boolean; stylesheets?: string[]; interview?: boolean } = { pdf: false },
): SiteModel {
  const interview = options.interview ?? true
  const title = report.title ?? fallbackTitle
  const siteUrl = report.site_url ? report.site_url.replace(/\/?$/, '/') : null
  const nav = (nodes: ContentsNode[]): NavEntry[] =>
    nodes.map((node) => {
      if (node.kind === 'link') return { kind: 'link', title: node.title, slug: '', url: node.url, children: [] }
      if (node.kind === 'part') {
        const slug = node.slug ?? ''
        return { kind: 'part', title: node.title, slug, url: node.slug === undefined ? '' : urlPath(slug) || './', children: nav(node.children) }
      }
      const page = index.pagesBySlug.get(node.slug)
      return { kind: 'chapter', title: page?.shortTitle ?? node.slug, slug: node.slug, url: urlPath(node.slug), children: [] }
    })
  let quotes = 0
  for (const p of index.participants.values()) quotes += p.quoteCount
  const paraphrased = index.pages.reduce((sum, page) => sum + page.quotes.filter((q) => q.paraphrased).length, 0)
  return {
    title,
    subtitle: report.subtitle ?? null,
    description: report.description ?? null,
    lang: report.language ?? 'en',
    date: report.date ?? null,
    dateText: report.date ? formatDate(report.date) : null,
    version: report.version ?? null,
    license: report.license ? { id: report.license, url: licenseUrls[report.license] ?? null } : null,
    funder: report.funder ?? null,
    publisher: report.publisher ?? null,
    authors: (report.authors ?? []).map((a) => ({
      name: a.name,
      orcid: a.orcid ?? null,
      orcidUrl: a.orcid ? `https://orcid.org/${a.orcid}` : null,
      affiliations: (a.affiliations ?? []).join(', '),
    })),
    source: report.source
      ? {
          title: report.source.title,
          authors: report.source.authors ?? null,
          year: report.source.year ?? null,
          publisher: report.source.publisher ?? null,
          license: report.source.license ?? null,
          url: report.source.url ?? null,
        }
      : null,
    siteUrl,
    repository: report.repository ?? null,
    citation: citeReport(report, title, siteUrl ?? undefined),
    doi: report.doi ? { id: report.doi, url: `https://doi.org/${report.doi}` } : null,
    keywords: report.keywords ?? [],
    logo: report.logo ? sitePath(report.logo) : null,
    logoDark: report.logo_dark ? sitePath(report.logo_dark) : null,
    favicon: report.favicon ? sitePath(report.favicon) : null,
    thumbnail: report.thumbnail ? sitePath(report.thumbnail) : null,
    downloads: (report.downloads ?? []).map((d) =>
      'url' in d ? { title: d.title, url: d.url, external: true } : { title: d.title, url: sitePath(d.file), external: false },
    ),
    meta: describeReport(report, title, siteUrl, { ...options, licenseUrl: report.license ? (licenseUrls[report.license] ?? null) : null }),
    nav: nav(contents),
    stylesheets: options.stylesheets ?? [],
    // A generated page that a chapter became is in the contents where the author put it, so not listed here again.
    generated: [...generatedPages, ...(options.bibliography ? [bibliographyPage] : [])]
      .filter((g) => !index.pagesBySlug.has(g.slug) && (interview || !interviewPages.has(g.slug)))
      .map((g) => ({ title: g.title, url: urlPath(g.slug) })),
    interview,
    counts: {
      findings: index.findings.size,
      recommendations: index.recommendations.size,
      participants: [...index.participants.values()].filter((p) => p.quoteCount > 0).length,
      quotes,
      paraphrased,
    },
  }
}

/** Shown in the indexes when the report has a bibliography. */
export const bibliographyPage = { slug: 'bibliography', title: 'Bibliography' } as const

/** A content file's path as a URL path from the site's root (it is published where it sits). */
function sitePath(file: string): string {
  return file
    .replace(/^\.?\//, '')
    .split('/')
    .map(encodeURIComponent)
    .join('/')
}

function formatDate(date: string): string {
  const parsed = new Date(`${date}T00:00:00Z`)
  if (Number.isNaN(parsed.getTime())) return date
  return parsed.toLocaleDateString('en-GB', { day: 'numeric', month: 'long', year: 'numeric', timeZone: 'UTC' })
}
