// report.yml: the report's metadata and table of contents. Unknown keys are
// errors, since this file is ours alone.

import { z } from 'zod'
import type { Message } from '../messages.js'
import { pluginsSchema } from '../plugins/config.js'
import { themeSchema } from './theme.js'
import { readYaml, type Parsed } from './yaml.js'

/** Characters of one text value: titles, names and descriptions are shown on many pages, so a long one multiplies the site. */
export const maxTextLength = 1000

const text = z.string().trim().min(1, 'must not be empty').max(maxTextLength)
const url = z.url({ protocol: /^https?$/, error: 'must be a full http(s) URL' })

const author = z
  .object({
    name: text,
    orcid: z
      .string()
      .regex(/^\d{4}-\d{4}-\d{4}-\d{3}[\dX]$/, 'must look like 0000-0002-1825-0097')
      .optional(),
    affiliations: z.array(text).optional(),
    email: z.email().optional(),
    url: url.optional(),
  })
  .strict()

/** A chapter (with chapters under it), a titled part, a link to another site, or every file matching a glob. */
export type TocEntry =
  | { file: string; title?: string | undefined; children?: TocEntry[] | undefined }
  | { title: string; children: TocEntry[] }
  | { url: string; title?: string | undefined }
  | { pattern: string }

const tocEntry: z.ZodType<TocEntry> = z.lazy(() =>
  z.union([
    z.object({ file: text, title: text.optional(), children: z.array(tocEntry).optional() }).strict(),
    z.object({ title: text, children: z.array(tocEntry) }).strict(),
    z.object({ url, title: text.optional() }).strict(),
    z.object({ pattern: text }).strict(),
  ]),
)

const download = z.union([
  z.object({ title: text, file: text }).strict(),
  z.object({ title: text, url }).strict(),
])

const source = z
  .object({
    title: text,
    authors: text.optional(),
    year: z.union([z.number().int(), text]).transform(String).optional(),
    publisher: text.optional(),
    license: text.optional(),
    url: url.optional(),
  })
  .strict()

export const reportSchema = z
  .object({
    title: text.optional(),
    subtitle: text.optional(),
    description: text.optional(),
    date: z
      .string()
      .regex(/^\d{4}-\d{2}-\d{2}$/, 'must be a date written YYYY-MM-DD')
      .optional(),
    version: z.union([text, z.number()]).transform(String).optional(),
    authors: z.array(author).optional(),
    publisher: text.optional(),
    funder: text.optional(),
    license: text.optional(),
    source: source.optional(),
    repository: url.optional(),
    /** Branch that "Edit this page" links open. Default: main. */
    branch: text.optional(),
    /** The content folder's path inside the repository. Default: where it sits in the git checkout. */
    content_path: z.string().trim().optional(),
    site_url: url.optional(),
    /** BibTeX files, relative to the content folder. Default: references.bib when there is one. */
    bibliography: z.union([text.transform((t) => [t]), z.array(text)]).optional(),
    /** A CSL style file for citations. Default: APA. */
    citation_style: text.optional(),
    doi: z.string().regex(/^10\.\d{4,9}\/\S+$/, 'must be a DOI such as 10.5281/zenodo.1234').optional(),
    keywords: z.array(text).optional(),
    /** Images in the content folder: the site's logo (and one for dark mode), favicon, and preview image. */
    logo: text.optional(),
    logo_dark: text.optional(),
    favicon: text.optional(),
    thumbnail: text.optional(),
    /** Files or links offered on the landing page. */
    downloads: z.array(download).optional(),
    /** Files at the top of the content folder that configure the web host (`_redirects`, `_headers`, `CNAME`...), published as they are. Default: none; such files are refused. */
    host_files: z.array(text).optional(),
    /** Print the full report to `report.pdf` with Chromium on every build, as `--pdf` does. Default: false. */
    pdf: z.boolean().optional(),
    /** Convert the full report to a Word document, `report.docx`, on every build, as `--docx` does. Default: false. */
    docx: z.boolean().optional(),
    /** The chapters of the full report (and its PDF), in order. Default: every chapter. */
    full_report: z.array(text).optional(),
    language: z
      .string()
      .regex(/^[a-zA-Z]{2,3}(-[a-zA-Z0-9]{2,8})*$/, 'must be a language tag such as en or en-GB')
      .optional(),
    toc: z.array(tocEntry).optional(),
    /** remark and rehype plugins: `- name` or `- [name, {options}]` each (docs/plugins.md). Default: none. */
    plugins: pluginsSchema.optional(),
    /** Colours, fonts, width and logo placement (docs/theming.md). Default: the built-in look. */
    theme: themeSchema.optional(),
    /** A stylesheet in the content folder loaded after the site's own on every page. Default: custom.css when there is one. */
    style: text.optional(),
  })
  .strict()

export type ReportConfig = z.output<typeof reportSchema>
export type Author = z.output<typeof author>

export function readReportConfig(file: string, textContent: string): Parsed<ReportConfig> {
  return readYaml({ file, text: textContent }, reportSchema, { unknownKeyRule: 'config-key-known', what: 'report.yml' })
}

export type { Message }
