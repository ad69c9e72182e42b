// The text of a PDF, well enough to look for names in it. Chromium's PDFs draw
// text with embedded fonts whose glyph codes mean nothing without each font's
// ToUnicode map, so the codes are translated through those maps. Text runs of
// one text block are joined as they are drawn; blocks are separated by line
// breaks. Metadata strings (title, author) are kept as they are.

import { inflateSync } from 'node:zlib'

interface PdfObject {
  dict: string
  stream: Buffer | undefined
}

/** Every piece of text a reader could see or a tool could extract from the PDF. */
export function pdfText(bytes: Uint8Array): string {
  const objects = readObjects(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('latin1'))
  const cmaps = new Map<string, Map<number, string>>()
  const fonts = new Map<string, Map<number, string>>()
  for (const [number, object] of objects) {
    const ref = /\/ToUnicode\s+(\d+)\s+\d+\s+R/.exec(object.dict)?.[1]
    if (!ref) continue
    const target = objects.get(ref)
    if (target?.stream) cmaps.set(number, readCmap(target.stream.toString('latin1')))
  }
  // Font resources by name (`/F4 4 0 R`), merged across pages: Chromium numbers them uniquely.
  for (const object of objects.values()) {
    const resources = /\/Font\s*<<([\s\S]*?)>>/.exec(object.dict)?.[1]
    if (!resources) continue
    for (const [, name, ref] of resources.matchAll(/\/([^\s/<>]+)\s+(\d+)\s+\d+\s+R/g)) {
      const cmap = cmaps.get(ref!)
      if (cmap) fonts.set(name!, cmap)
    }
  }
  const parts: string[] = []
  for (const object of objects.values()) {
    parts.push(...literalStrings(object.dict))
    if (object.stream && /\bTf\b/.test(object.stream.toString('latin1'))) parts.push(showText(object.stream.toString('latin1'), fonts))
  }
  return parts.join('\n')
}

function readObjects(pdf: string): Map<string, PdfObject> {
  const objects = new Map<string, PdfObject>()
  for (const match of pdf.matchAll(/(\d+)\s+\d+\s+obj\b([\s\S]*?)\bendobj\b/g)) {
    const body = match[2]!
    const at = body.search(/\bstream\r?\n/)
    if (at < 0) {
      objects.set(match[1]!, { dict: body, stream: undefined })
      continue
    }
    const dict = body.slice(0, at)
    const start = at + (/^stream\r\n/.test(body.slice(at)) ? 8 : 7)
    const end = body.lastIndexOf('endstream')
    let stream = Buffer.from(body.slice(start, end < 0 ? body.length : end), 'latin1')
    if (/\/FlateDecode/.test(dict)) {
      try {
        stream = inflateSync(stream)
      } catch {
        // A stream we cannot inflate holds no text we could read either.
      }
    }
    objects.set(match[1]!, { dict, stream })
  }
  return objects
}

function readCmap(text: string): Map<number, string> {
  const map = new Map<number, string>()
  for (const [, body] of text.matchAll(/beginbfchar([\s\S]*?)endbfchar/g)) {
    for (const [, code, unicode] of body!.matchAll(/<([0-9a-fA-F]+)>\s*<([0-9a-fA-F]+)>/g)) map.set(parseInt(code!, 16), utf16(unicode!))
  }
  for (const [, body] of text.matchAll(/beginbfrange([\s\S]*?)endbfrange/g)) {
    for (const [, low, high, rest] of body!.matchAll(/<([0-9a-fA-F]+)>\s*<([0-9a-fA-F]+)>\s*(<[0-9a-fA-F]+>|\[[^\]]*\])/g)) {
      const from = parseInt(low!, 16)
      const to = Math.min(parseInt(high!, 16), from + 0xffff)
      if (rest!.startsWith('[')) {
        const list = [...rest!.matchAll(/<([0-9a-fA-F]+)>/g)].map((m) => utf16(m[1]!))
        for (let code = from; code <= to; code++) map.set(code, list[code - from] ?? '')
      } else {
        const start = parseInt(rest!.slice(1, -1), 16)
        // A range may run past the last code point: what lies beyond it stands for nothing.
        for (let code = from; code <= to; code++) map.set(code, start + code - from <= 0x10ffff ? String.fromCodePoint(start + code - from) : '')
      }
    }
  }
  return map
}

function utf16(hex: string): string {
  const units: number[] = []
  for (let i = 0; i + 4 <= hex.length; i += 4) units.push(parseInt(hex.slice(i, i + 4), 16))
  return String.fromCharCode(...units)
}

/** The text shown by a content stream's text operators, through the fonts' maps. */
function showText(content: string, fonts: Map<string, Map<number, string>>): string {
  const lines: string[] = []
  let line = ''
  let font: Map<number, string> | undefined
  const token = /\/([^\s/<>[\]()]+)\s+[-\d.]+\s+Tf|<([0-9a-fA-F\s]*)>|\(((?:\\.|[^\\)])*)\)|\b(ET|BT)\b/g
  for (const match of content.matchAll(token)) {
    if (match[1] !== undefined) font = fonts.get(match[1])
    else if (match[4] !== undefined) {
      if (line) lines.push(line)
      line = ''
    } else if (match[2] !== undefined) line += decode(match[2].replace(/\s+/g, ''), font)
    else if (match[3] !== undefined) line += match[3].replace(/\\(.)/g, '$1')
  }
  if (line) lines.push(line)
  return lines.join('\n')
}

function decode(hex: string, font: Map<number, string> | undefined): string {
  if (!font) return ''
  let text = ''
  for (let i = 0; i + 4 <= hex.length; i += 4) text += font.get(parseInt(hex.slice(i, i + 4), 16)) ?? ''
  return text
}

/** Strings written in an object's dictionary, such as the document's title and author. */
function literalStrings(dict: string): string[] {
  const found: string[] = []
  for (const [, value] of dict.matchAll(/\(((?:\\.|[^\\)])*)\)/g)) {
    const raw = value!.replace(/\\([()\\])/g, '$1')
    // UTF-16 with a byte-order mark, as PDF writes non-ASCII metadata.
    const utf16be = raw.startsWith('\u00fe\u00ff') && raw.length % 2 === 0
    found.push(utf16be ? Buffer.from(raw.slice(2), 'latin1').swap16().toString('utf16le') : raw)
  }
  for (const [, hex] of dict.matchAll(/<(FEFF[0-9a-fA-F]*)>/gi)) found.push(utf16(hex!.slice(4)))
  return found
}
