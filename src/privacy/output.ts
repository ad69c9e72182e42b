// The privacy guard on the output: after everything is rendered, and before
// anything is written, read every file the site would publish (pages, JSON,
// the search index, the sitemap, CITATION.cff, the PDF's text, static files)
// the way a reader or a tool would, and look for two things:
// - any real name or identifying string of the private roster, for every
//   participant who did not agree to be named;
// - the label of any participant whose consent is `no-quotes`: they appear
//   nowhere in the site, not even by label.
// A match is an error in the output file, at its line, and never prints the
// secret itself. Compressed files are read uncompressed.

import { gunzipSync } from 'node:zlib'
import { createMessage, placeAt, type Message, type Place } from '../messages.js'
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

export function scanOutput(input: OutputScan): Message[] {
  const consent = new Map<string, string>()
  for (const p of input.participants) consent.set(p.id, p.consent)
  const guarded = (input.roster?.participants ?? []).filter((p) => consent.get(p.id) !== 'named')
  const matcher = guarded.length > 0 ? createMatcher(guarded) : undefined
  const hidden = [...consent].filter(([, c]) => c === 'no-quotes').map(([id]) => id)
  const label = hidden.length > 0 ? new RegExp(`(?<![\\p{L}\\p{N}])(?:${hidden.map(escape).join('|')})(?![\\p{L}\\p{N}])`, 'gu') : undefined
  if (!matcher && !label) return []

  const messages: Message[] = []
  const displayDir = input.displayDir ?? 'dist'
  for (const [file, content] of [...input.files].sort(([a], [b]) => (a < b ? -1 : 1))) {
    const display = `${displayDir}/${file}`
    const reported = new Set<string>()
    for (const view of readable(file, content)) {
      for (const match of matcher?.find(view.text) ?? []) {
        const key = `${match.id}:${match.secret}`
        if (reported.has(key)) continue
        reported.add(key)
        messages.push(
          createMessage(
            'private-name-absent',
            display,
            view.place(match.start),
            `${match.kind === 'name' ? 'A real name' : 'An identifying detail'} of ${match.id} from the private roster, ${maskSecret(match.secret)}, would be published in this file`,
            `Find where it comes from (a chapter, report.yml, a template, an image's metadata) and remove it; ${match.id} did not agree to be named.`,
          ),
        )
      }
      for (const found of label ? view.text.matchAll(label) : []) {
        const key = `label:${found[0]}`
        if (reported.has(key)) continue
        reported.add(key)
        messages.push(
          createMessage(
            'no-quotes-participant-absent',
            display,
            view.place(found.index),
            `${found[0]} has consent \`no-quotes\`, but their label would be published in this file`,
            `Take every mention of ${found[0]} out of the report: a participant who declined to be quoted appears nowhere in it.`,
          ),
        )
      }
    }
  }
  return messages
}

interface View {
  text: string
  place(offset: number): Place
}

/** The ways a file can be read: as written, and for HTML also as its visible text; compressed files and PDFs as their text. */
function readable(file: string, content: string | Uint8Array): View[] {
  if (typeof content === 'string') return textViews(file, content)
  if (content[0] === 0x1f && content[1] === 0x8b) {
    try {
      return [plain(gunzipSync(content).toString('utf8'))]
    } catch {
      return [plain(Buffer.from(content).toString('latin1'))]
    }
  }
  if (Buffer.from(content.subarray(0, 5)).toString('latin1') === '%PDF-') return [plain(pdfText(content))]
  // Other files (images and fonts) are read as text too: metadata such as an author's name is text inside them.
  return textViews(file, Buffer.from(content).toString('utf8'))
}

function textViews(file: string, text: string): View[] {
  const views = [located(text)]
  if (/\.(html?|xml|svg)$/i.test(file)) views.push(visible(text, ''), visible(text, ' '))
  return views
}

function plain(text: string): View {
  return { text, place: () => ({ line: 1, column: 1 }) }
}

function located(text: string): View {
  return { text, place: (offset) => placeAt(text, offset) }
}

/** Markup without its tags and with its character references decoded, each character mapped back to where it was written. */
function visible(html: string, tagAs: string): View {
  let text = ''
  const from: number[] = []
  const pattern = /<[^>]*>|&(#x[0-9a-f]+|#\d+|[a-z]+);/gi
  let last = 0
  for (const match of html.matchAll(pattern)) {
    for (let i = last; i < match.index; i++) from.push(i)
    text += html.slice(last, match.index)
    const value = match[0].startsWith('<') ? tagAs : entity(match[1]!)
    for (let i = 0; i < value.length; i++) from.push(match.index)
    text += value
    last = match.index + match[0].length
  }
  for (let i = last; i < html.length; i++) from.push(i)
  text += html.slice(last)
  return { text, place: (offset) => placeAt(html, from[offset] ?? 0) }
}

const named: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: '\u00a0' }

function entity(name: string): string {
  if (name.startsWith('#')) {
    const code = name[1] === 'x' || name[1] === 'X' ? parseInt(name.slice(2), 16) : parseInt(name.slice(1), 10)
    return Number.isFinite(code) && code > 0 && code <= 0x10ffff ? String.fromCodePoint(code) : ''
  }
  return named[name.toLowerCase()] ?? `&${name};`
}


function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')
}
