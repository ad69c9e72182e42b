// `fieldnotes quotes`: check the report, then write a review sheet (HTML and
// markdown) for each participant, or for one, into the review folder. Sheets
// are written only from a report without errors, so none is missing a quote.

import { mkdir, writeFile } from 'node:fs/promises'
import path from 'node:path'
import { packageRoot, unsafeOutput } from '../build.js'
import { buildSite } from '../pipeline.js'
import { loadSources } from '../load/files.js'
import { loadTemplates } from '../load/templates.js'
import { isFailing, sortMessages, type Message } from '../messages.js'
import { loadRoster } from '../privacy/roster.js'
import { writeSite } from '../write/output.js'
import { sheetHtml } from './html.js'
import { collectSheets, sheetMarkdown, summarize } from './sheets.js'

export interface QuoteSheetOptions {
  /** Folder holding report.yml, participants.yml and the chapters. Default: `content`. */
  contentDir?: string
  /** Folder the sheets are written to. Default: `review`. */
  outDir?: string
  /** Page templates. Default: the generator's own `templates/`. */
  templatesDir?: string
  /** Write only this participant's sheet, leaving the others in place. Default: everyone's, replacing the folder. */
  participant?: string
  /** A private roster of real names to keep out of the content. Default: none. */
  privateRoster?: string
}

export interface QuoteSheetResult {
  messages: Message[]
  /** Paths written, relative to the review folder. */
  written: string[]
  /** Set when `participant` is not someone who may be quoted. */
  unknownParticipant?: { id: string; known: string[] }
}

export async function writeQuoteSheets(options: QuoteSheetOptions = {}): Promise<QuoteSheetResult> {
  const contentDir = path.resolve(options.contentDir ?? 'content')
  const outDir = path.resolve(options.outDir ?? 'review')
  const templatesDir = path.resolve(options.templatesDir ?? path.join(packageRoot, 'templates'))
  const unsafe = unsafeOutput(outDir, [contentDir, templatesDir, process.cwd()])
  if (unsafe) return { messages: [unsafe], written: [] }

  const sources = await loadSources({ contentDir, history: false })
  const templates = await loadTemplates(templatesDir)
  const roster = options.privateRoster === undefined ? undefined : await loadRoster(options.privateRoster)
  const site = buildSite(sources, templates, { roster: roster?.roster })
  const messages = sortMessages([...(roster?.messages ?? []), ...site.messages])
  if (isFailing(messages, false)) return { messages, written: [] }

  let sheets = collectSheets(site.index, site.model)
  if (options.participant !== undefined) {
    const wanted = options.participant
    sheets = sheets.filter((s) => s.id === wanted)
    if (sheets.length === 0) return { messages, written: [], unknownParticipant: { id: wanted, known: collectSheets(site.index, site.model).map((s) => s.id) } }
  }

  const report = summarize(site.model)
  const files = new Map<string, string>()
  for (const sheet of sheets) {
    files.set(`${sheet.id}.html`, sheetHtml(sheet, report))
    files.set(`${sheet.id}.md`, sheetMarkdown(sheet, report))
  }
  if (options.participant === undefined) {
    await writeSite({ outDir, files, assetDirs: [] })
  } else {
    await mkdir(outDir, { recursive: true })
    for (const [name, text] of files) await writeFile(path.join(outDir, name), text)
  }
  return { messages, written: [...files.keys()] }
}
