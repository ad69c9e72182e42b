// The privacy guard on the output: after everything is rendered, and before
// anything is written, read every file the site would publish (pages, JSON,
// the search index, the sitemap, CITATION.cff, the PDF's text, static files)
// the way a reader or a tool would, and look for two things:
// - any real name or identifying string of the private roster, for every
//   participant who did not agree to be named;
// - the label of any participant whose consent is `no-quotes`: they appear
//   nowhere in the site, not even by label.
// Both are found in any spelling fold.ts reads alike. A match is an error in
// the output file, at its line, and never prints the secret itself.
// Compressed files are read uncompressed, and binary files as every text a
// tool could find in them (binary.ts); a file whose compressed text inflates
// past a limit is an error too, since the guard could not read it.

import { isUtf8 } from 'node:buffer'
import { createMessage, placeAt, type Message, type Place } from '../messages.js'
import { inflateWithin, readBinary, readUtf16, unitsWorthReading, type ByteText } from './binary.js'
import { characterReference } from './fold.js'
import { pdfText } from './pdf.js'
import { createMatcher, maskSecret, type Roster } from './roster.js'

export interface OutputScan {
  /** Every file to be published, by output path. */
  files: ReadonlyMap<string, string | Uint8Array>
  /** Participants from participants.yml, with their consent. */
  participants: Iterable<{ id: string; consent: 'named' | 'anonymous' | 'no-quotes' }>
  /** The private roster, when one was given. */
  roster: Roster | undefined
  /** How the output folder is named in messages. Default: `dist`. */
  displayDir?: string
}

// How far compressed text is inflated before the guard gives up on a file: a
// gzip file as a whole, and the metadata of an image (which is rarely more than a few kilobytes).
const gzipLimit = 32 * 1024 * 1024
/** Gzip files inside gzip files read through, at most. */
const gzipDepth = 4
const imageTextLimit = 4 * 1024 * 1024

export function scanOutput(input: OutputScan): Message[] {
  const consent = new Map<string, string>()
  for (const p of input.participants) consent.set(p.id, p.consent)
  const guarded = (input.roster?.participants ?? []).filter((p) => consent.get(p.id) !== 'named')
  const hidden = [...consent].filter(([, c]) => c === 'no-quotes').map(([id]) => id)
  if (guarded.length === 0 && hidden.length === 0) return []
  const matcher = createMatcher(guarded, hidden)
  const worth = unitsWorthReading([...guarded.flatMap((p) => [...p.names, ...p.other]), ...hidden])

  const messages: Message[] = []
  const displayDir = input.displayDir ?? 'dist'
  // File by file: a site's pages may be kept as bytes, each read as text only when it is scanned (parallel/text.ts).
  for (const file of [...input.files.keys()].sort((a, b) => (a < b ? -1 : 1))) {
    const content = input.files.get(file)!
    const display = `${displayDir}/${file}`
    const { views, tooLarge } = readable(file, content, worth)
    if (tooLarge) {
      messages.push(
        createMessage(
          'content-size-within-limit',
          display,
          tooLarge.place,
          tooLarge.nested
            ? `The privacy guard cannot read this file in full: it is compressed more than ${gzipDepth} times over`
            : `The privacy guard cannot read this file in full: its compressed text inflates to more than ${tooLarge.limit / 1024 / 1024} MB`,
          'Publish it uncompressed or smaller, or leave it out: a file the guard cannot read could name a participant.',
        ),
      )
    }
    const reported = new Set<string>()
    for (const view of views) {
      for (const match of matcher.find(view.text, view.binary ? 'binary' : 'text')) {
        const key = `${match.kind}:${match.id}:${match.secret}`
        if (reported.has(key)) continue
        reported.add(key)
        messages.push(
          match.kind === 'label'
            ? createMessage(
                'no-quotes-participant-absent',
                display,
                view.place(match.start),
                `${match.id} has consent \`no-quotes\`, but their label would be published in this file`,
                `Take every mention of ${match.id} out of the report: a participant who declined to be quoted appears nowhere in it.`,
              )
            : createMessage(
                'private-name-absent',
                display,
                view.place(match.start),
                `${match.kind === 'name' ? 'A real name' : 'An identifying detail'} of ${match.id} from the private roster, ${maskSecret(match.secret)}, would be published in this file`,
                `Find where it comes from (a chapter, report.yml, a template, an image's metadata) and remove it; ${match.id} did not agree to be named.`,
              ),
        )
      }
    }
  }
  return messages
}

interface View {
  text: string
  /** Read out of a binary file, where bytes spell short words by chance. */
  binary?: boolean
  place(offset: number): Place
}

interface Reading {
  views: View[]
  /** Where compressed text starts that inflates past the limit, and the limit. */
  tooLarge?: { place: Place; limit: number; nested?: boolean }
}

/**
 * The ways a file can be read: text as written, and markup also as its visible
 * text; compressed files uncompressed; PDFs as their text; binary files as
 * every text in them. Places in a text file are its lines and columns; in a
 * binary file, lines are counted at line feeds and columns in bytes.
 */
function readable(file: string, content: string | Uint8Array, worth: Uint8Array, budget = gzipLimit, depth = 0): Reading {
  if (typeof content === 'string') return { views: textViews(file, content) }
  if (content[0] === 0x1f && content[1] === 0x8b) {
    // A gzip inside a gzip is read through too, within one budget for all of them; one nested deeper
    // than any tool makes (or that inflates to itself) is not read, and so is not published.
    if (depth === gzipDepth) return { views: [], tooLarge: { place: { line: 1, column: 1 }, limit: gzipLimit, nested: true } }
    const inflated = inflateWithin(content, budget, 'gzip')
    if (inflated === 'too large') return { views: [], tooLarge: { place: { line: 1, column: 1 }, limit: gzipLimit } }
    if (inflated) return readable(file.replace(/\.gz$/i, ''), inflated, worth, budget - inflated.length, depth + 1)
  }
  if (Buffer.from(content.subarray(0, 5)).toString('latin1') === '%PDF-') return { views: [plain(pdfText(content))] }
  const inBytes = (text: ByteText): View => ({ text: text.text, binary: true, place: (offset) => placeOfByte(content, text.at[offset] ?? 0) })
  if (isUtf8(content)) return { views: [...textViews(file, Buffer.from(content).toString('utf8')), ...readUtf16(content, worth).map(inBytes)] }
  // Images and fonts: metadata such as an author's name is text inside them.
  const binary = readBinary(content, { worth, inflateLimit: imageTextLimit })
  return {
    views: binary.texts.map(inBytes),
    ...(binary.tooLarge === undefined ? {} : { tooLarge: { place: placeOfByte(content, binary.tooLarge), limit: imageTextLimit } }),
  }
}

function textViews(file: string, text: string): View[] {
  if (!/\.(html?|xml|svg)$/i.test(file)) return [{ text, place: (offset) => placeAt(text, offset) }]
  return [markupView(text, 'keep'), markupView(text, 'drop'), markupView(text, 'space')]
}

function plain(text: string): View {
  return { text, place: () => ({ line: 1, column: 1 }) }
}

function placeOfByte(bytes: Uint8Array, offset: number): Place {
  let line = 1
  let lineStart = 0
  for (let i = bytes.indexOf(0x0a); i >= 0 && i < offset; i = bytes.indexOf(0x0a, i + 1)) {
    line++
    lineStart = i + 1
  }
  return { line, column: offset - lineStart + 1 }
}

/**
 * Markup with its character references decoded, and its tags kept (so that
 * attribute values are read), dropped, or read as a space; each character
 * mapped back to where it was written. One pass: a `<` with no `>` after it
 * ends the tags.
 */
function markupView(html: string, tags: 'keep' | 'drop' | 'space'): View {
  const parts: string[] = []
  const from: number[] = []
  let copied = 0
  const copyTo = (end: number) => {
    parts.push(html.slice(copied, end))
    for (let k = copied; k < end; k++) from.push(k)
  }
  let tagsEnd = tags === 'keep' ? 0 : html.length
  for (let i = 0; i < html.length; ) {
    const code = html.charCodeAt(i)
    if (code === 0x3c && i < tagsEnd) {
      const close = html.indexOf('>', i)
      if (close < 0) {
        tagsEnd = i
        continue
      }
      copyTo(i)
      if (tags === 'space') {
        parts.push(' ')
        from.push(i)
      }
      i = copied = close + 1
      continue
    }
    const reference = code === 0x26 ? characterReference(html, i, true) : undefined
    if (reference) {
      copyTo(i)
      parts.push(reference.value)
      for (let k = 0; k < reference.value.length; k++) from.push(i)
      i = copied = reference.end
      continue
    }
    i++
  }
  copyTo(html.length)
  return { text: parts.join(''), place: (offset) => placeAt(html, from[offset] ?? 0) }
}
