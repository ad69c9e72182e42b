// The full report as a Word document: the full-report page, read from the
// pages in memory, converted by word.ts, with the report's metadata as the
// document's properties and Word's own styles for headings, quotes and
// captions. Nothing is written here; the document joins the site's files and
// is published with them, or not at all. Its dates and zip timestamps are
// the report's (reproducible.ts), so the same report gives the same bytes.

import { fromHtml } from 'hast-util-from-html'
import { AlignmentType, Document, LevelFormat, Packer } from 'docx'
import { createMessage, type Message } from '../messages.js'
import { textOf } from '../parallel/text.js'
import { stampDocx } from './reproducible.js'
import { convertReport } from './word.js'

export interface DocxInput {
  /** The site's pages and generated files, and the content files they show, by output path. */
  files: ReadonlyMap<string, string | Uint8Array>
  /** The report's metadata, for the document's properties. */
  title: string
  subtitle?: string | null
  authors?: readonly string[]
  description?: string | null
  keywords?: readonly string[]
  /** BCP 47 language tag of the text. Default: `en`. */
  language?: string
  /** The moment the document is dated (reproducible.ts's `sourceDate`). */
  date: Date
  /** The site's address, for links to its other pages. Default: none (those links become plain text). */
  siteUrl?: string | null
  /** The page to convert. Default: `full-report/index.html`. */
  page?: string
}

export interface DocxOutput {
  docx: Uint8Array | undefined
  messages: Message[]
}

export async function renderDocx(input: DocxInput): Promise<DocxOutput> {
  const page = input.page ?? 'full-report/index.html'
  const fail = (reason: string, hint: string): DocxOutput => ({
    docx: undefined,
    messages: [createMessage('docx-renders', page, undefined, `The Word document could not be made: ${reason}`, hint)],
  })
  // A long report's full report is kept as bytes (render/pages.ts).
  const html = input.files.get(page)
  if (html === undefined) return fail(`the site has no page ${page}`, 'The Word document is made from the full report, which every build makes.')
  try {
    const content = convertReport({ tree: fromHtml(textOf(html)), page, files: input.files, siteUrl: input.siteUrl ?? null })
    const authors = (input.authors ?? []).join('; ')
    const document = new Document({
      title: input.title,
      ...(input.subtitle ? { subject: input.subtitle } : {}),
      ...(authors ? { creator: authors, lastModifiedBy: authors } : {}),
      ...(input.description ? { description: input.description } : {}),
      ...(input.keywords?.length ? { keywords: input.keywords.join(', ') } : {}),
      revision: 1,
      styles: styles(input.language ?? 'en'),
      numbering: { config: [{ reference: 'ordered', levels: [0, 1, 2, 3, 4, 5].map(orderedLevel) }] },
      footnotes: content.footnotes,
      sections: [{ children: content.body }],
    })
    const packed = new Uint8Array(await Packer.toBuffer(document))
    return { docx: stampDocx(packed, input.date, input.language ?? 'en'), messages: [] }
  } catch (error) {
    return fail(error instanceof Error ? error.message.split('\n')[0]! : String(error), 'Run `fieldnotes check`; if it finds nothing, report this as a bug in fieldnotes.')
  }
}

function orderedLevel(level: number) {
  return {
    level,
    format: LevelFormat.DECIMAL,
    text: `%${level + 1}.`,
    alignment: AlignmentType.START,
    style: { paragraph: { indent: { left: 720 * (level + 1), hanging: 360 } } },
  }
}

/** Word's own heading styles stay, so its navigation pane and tables of contents work; these are ours. */
function styles(language: string) {
  return {
    default: {
      document: { run: { font: 'Calibri', size: 22, language: { value: language } }, paragraph: { spacing: { after: 120, line: 276 } } },
      title: { run: { font: 'Calibri Light', size: 56 }, paragraph: { spacing: { after: 120 } } },
      // Each chapter starts a page, as in the PDF; headings stay with the text they introduce.
      heading1: { run: { font: 'Calibri Light', size: 36, color: '1F3864' }, paragraph: { pageBreakBefore: true, keepNext: true, spacing: { before: 240, after: 160 } } },
      heading2: { run: { font: 'Calibri Light', size: 28, color: '1F3864' }, paragraph: { keepNext: true, spacing: { before: 240, after: 120 } } },
      heading3: { run: { size: 24, bold: true }, paragraph: { keepNext: true, spacing: { before: 200, after: 80 } } },
    },
    paragraphStyles: [
      { id: 'Subtitle', name: 'Subtitle', basedOn: 'Normal', next: 'Normal', quickFormat: true, run: { size: 28, color: '555555' } },
      { id: 'Quote', name: 'Quote', basedOn: 'Normal', next: 'Normal', quickFormat: true, run: { italics: true }, paragraph: { indent: { left: 720, right: 720 } } },
      { id: 'Attribution', name: 'Attribution', basedOn: 'Normal', next: 'Normal', quickFormat: true, run: { size: 20 }, paragraph: { indent: { left: 720 }, spacing: { after: 240 } } },
      { id: 'Caption', name: 'Caption', basedOn: 'Normal', next: 'Normal', quickFormat: true, run: { size: 20, italics: true } },
      { id: 'TableHeading', name: 'Table Heading', basedOn: 'Normal', next: 'Normal', run: { bold: true } },
      { id: 'Code', name: 'Code', basedOn: 'Normal', next: 'Normal', run: { font: 'Consolas', size: 20 } },
    ],
  }
}
