// Just enough of a PDF reader to check what Chromium prints: the text of each
// page (through each font's ToUnicode map), the document's named
// destinations, and its link annotations. It reads the classic layout Chromium
// writes (numbered objects, Flate streams, Type0 fonts), not every PDF.

import { inflateSync } from 'node:zlib'

class Ref {
  constructor(readonly ref: number) {}
}
class Name {
  constructor(readonly name: string) {}
}
type Value = number | string | boolean | null | Ref | Name | Value[] | Dict
type Dict = { [key: string]: Value }

export interface PdfLink {
  /** Named destination of an internal link. */
  dest?: string
  /** Target of an external link. */
  uri?: string
}

export interface PdfDocument {
  /** Each page's text, in page order, with runs of white space made single spaces. */
  pages: string[]
  /** Names of the destinations internal links can jump to, each mapped to the index of its page. */
  destinations: Map<string, number>
  links: PdfLink[]
  title: string | undefined
}

export function readPdf(bytes: Uint8Array): PdfDocument {
  const source = Buffer.from(bytes).toString('latin1')
  const objects = new Map<number, { dict: Value; stream: Buffer | undefined }>()
  const objectPattern = /(\d+) 0 obj\s*/g
  for (let match = objectPattern.exec(source); match; match = objectPattern.exec(source)) {
    const parser = new Parser(source, objectPattern.lastIndex)
    const dict = parser.value()
    let stream: Buffer | undefined
    const after = /^\s*stream\r?\n/.exec(source.slice(parser.at, parser.at + 20))
    if (after && isDict(dict)) {
      const start = parser.at + after[0].length
      const length = typeof dict['Length'] === 'number' ? dict['Length'] : source.indexOf('endstream', start) - start
      const raw = Buffer.from(source.slice(start, start + length), 'latin1')
      stream = isName(dict['Filter'], 'FlateDecode') ? inflateSync(raw) : raw
    }
    objects.set(Number(match[1]), { dict, stream })
  }
  const resolve = (value: Value | undefined): Value | undefined => (isRef(value) ? objects.get(value.ref)?.dict : value)
  const dictOf = (value: Value | undefined): Dict => {
    const resolved = resolve(value)
    return isDict(resolved) ? resolved : {}
  }

  const catalog = [...objects.values()].map((o) => o.dict).find((d) => isDict(d) && isName(d['Type'], 'Catalog')) as Dict | undefined
  if (!catalog) throw new Error('No document catalog: not a PDF this reader understands')

  // Pages in order, by walking the page tree.
  const pageRefs: number[] = []
  const walk = (ref: Value | undefined) => {
    if (!isRef(ref)) return
    const node = dictOf(ref)
    if (isName(node['Type'], 'Page')) pageRefs.push(ref.ref)
    else for (const kid of asArray(node['Kids'])) walk(kid)
  }
  walk(catalog['Pages'])

  const fonts = new Map<number, Map<string, string>>()
  const unicodeOf = (fontRef: Value | undefined): Map<string, string> => {
    if (!isRef(fontRef)) return new Map()
    const cached = fonts.get(fontRef.ref)
    if (cached) return cached
    const toUnicode = dictOf(fontRef)['ToUnicode']
    const cmap = isRef(toUnicode) ? objects.get(toUnicode.ref)?.stream?.toString('latin1') : undefined
    const map = cmap ? parseCMap(cmap) : new Map<string, string>()
    fonts.set(fontRef.ref, map)
    return map
  }

  const pages = pageRefs.map((ref) => {
    const page = dictOf(new Ref(ref))
    const fontDict = dictOf(dictOf(page['Resources'])['Font'])
    const contents = asArray(isRef(page['Contents']) ? page['Contents'] : page['Contents'] ?? [])
    const text = (isRef(page['Contents']) ? [page['Contents']] : contents)
      .map((c) => (isRef(c) ? objects.get(c.ref)?.stream?.toString('latin1') ?? '' : ''))
      .map((stream) => pageText(stream, (name) => unicodeOf(fontDict[name])))
      .join(' ')
    return text.replace(/\s+/g, ' ').trim()
  })

  const pageIndex = new Map(pageRefs.map((ref, i) => [ref, i]))
  const destinations = new Map<string, number>()
  for (const [name, target] of Object.entries(dictOf(catalog['Dests']))) {
    const array = asArray(resolve(target))
    const first = array[0]
    if (isRef(first) && pageIndex.has(first.ref)) destinations.set(name, pageIndex.get(first.ref)!)
  }

  const links: PdfLink[] = []
  for (const ref of pageRefs) {
    for (const annotation of asArray(resolve(dictOf(new Ref(ref))['Annots']))) {
      const a = dictOf(annotation)
      if (!isName(a['Subtype'], 'Link')) continue
      const dest = a['Dest']
      const action = dictOf(a['A'])
      if (isName(dest)) links.push({ dest: dest.name })
      else if (typeof action['URI'] === 'string') links.push({ uri: action['URI'] })
    }
  }

  const info = [...objects.values()].map((o) => o.dict).find((d) => isDict(d) && typeof d['Title'] === 'string' && 'Producer' in d) as Dict | undefined
  return { pages, destinations, links, title: info ? (info['Title'] as string) : undefined }
}

/**
 * The text a content stream draws, each string through its font's map.
 * Chromium places glyphs one by one and draws spaces as glyphs, so a space is
 * added only where the text moves to another line.
 */
function pageText(stream: string, fontMap: (name: string) => Map<string, string>): string {
  let map = new Map<string, string>()
  let out = ''
  let operands: number[] = []
  let lineY: number | undefined
  const newLine = (y: number | undefined) => {
    if (y === undefined || y !== lineY) out += ' '
    lineY = y
  }
  const tokens = /\/([^\s/<>[\]()]+)|<([0-9A-Fa-f\s]*)>|(-?\d*\.?\d+)|([A-Za-z*'"]+)|\[|\]/g
  for (let m = tokens.exec(stream); m; m = tokens.exec(stream)) {
    if (m[1] !== undefined) {
      const name = m[1]
      const next = /^\s+[-\d.]+\s+Tf/.exec(stream.slice(tokens.lastIndex, tokens.lastIndex + 30))
      if (next) map = fontMap(name)
      operands = []
    } else if (m[2] !== undefined) out += decodeHex(m[2].replace(/\s+/g, ''), map)
    else if (m[3] !== undefined) operands.push(Number(m[3]))
    else if (m[4] !== undefined) {
      const op = m[4]
      if (op === 'Tm') newLine(operands[5])
      else if (op === 'Td' || op === 'TD') {
        if ((operands[1] ?? 0) !== 0) newLine((lineY ?? 0) + operands[1]!)
      } else if (op === 'T*' || op === "'" || op === '"') newLine(undefined)
      else if (op === 'TJ') {
        // Inside TJ, a large negative adjustment is a gap between words.
      }
      operands = []
    }
  }
  return out
}

function decodeHex(hex: string, map: Map<string, string>): string {
  const width = map.size > 0 ? [...map.keys()][0]!.length : 4
  let text = ''
  for (let i = 0; i + width <= hex.length; i += width) text += map.get(hex.slice(i, i + width).toUpperCase()) ?? ''
  return text
}

/** A ToUnicode CMap: source codes (hex) to the text they stand for. */
export function parseCMap(cmap: string): Map<string, string> {
  const map = new Map<string, string>()
  const utf16 = (hex: string) => {
    const units: number[] = []
    for (let i = 0; i + 4 <= hex.length; i += 4) units.push(parseInt(hex.slice(i, i + 4), 16))
    return String.fromCharCode(...units)
  }
  for (const block of cmap.matchAll(/beginbfchar([\s\S]*?)endbfchar/g)) {
    for (const pair of block[1]!.matchAll(/<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>/g)) map.set(pair[1]!.toUpperCase(), utf16(pair[2]!))
  }
  for (const block of cmap.matchAll(/beginbfrange([\s\S]*?)endbfrange/g)) {
    for (const range of block[1]!.matchAll(/<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>\s*(<[0-9A-Fa-f]+>|\[[^\]]*\])/g)) {
      const width = range[1]!.length
      const low = parseInt(range[1]!, 16)
      const high = parseInt(range[2]!, 16)
      const targets = range[3]!.startsWith('[') ? [...range[3]!.matchAll(/<([0-9A-Fa-f]+)>/g)].map((t) => t[1]!) : undefined
      for (let code = low; code <= high; code++) {
        const key = code.toString(16).toUpperCase().padStart(width, '0')
        if (targets) map.set(key, utf16(targets[code - low] ?? ''))
        else {
          const base = range[3]!.slice(1, -1)
          const last = parseInt(base.slice(-4), 16) + (code - low)
          map.set(key, utf16(base.slice(0, -4) + last.toString(16).padStart(4, '0')))
        }
      }
    }
  }
  return map
}

/** Reads one PDF value (dictionary, array, name, number, string, reference) from a position. */
class Parser {
  constructor(
    private readonly text: string,
    public at: number,
  ) {}

  value(): Value {
    this.skip()
    const rest = this.text.slice(this.at, this.at + 2)
    if (rest === '<<') return this.dict()
    const c = this.text[this.at]
    if (c === '[') {
      this.at++
      const items: Value[] = []
      for (this.skip(); this.text[this.at] !== ']'; this.skip()) items.push(this.value())
      this.at++
      return items
    }
    if (c === '/') {
      const m = /^\/([^\s/<>[\]()]*)/.exec(this.text.slice(this.at, this.at + 200))!
      this.at += m[0].length
      return new Name(m[1]!)
    }
    if (c === '(') return this.literal()
    if (c === '<') {
      const end = this.text.indexOf('>', this.at)
      const hex = this.text.slice(this.at + 1, end).replace(/\s+/g, '')
      this.at = end + 1
      const bytes = Buffer.from(hex, 'hex')
      return bytes[0] === 0xfe && bytes[1] === 0xff ? bytes.subarray(2).swap16().toString('utf16le') : bytes.toString('latin1')
    }
    const ref = /^(\d+)\s+(\d+)\s+R\b/.exec(this.text.slice(this.at, this.at + 40))
    if (ref) {
      this.at += ref[0].length
      return new Ref(Number(ref[1]))
    }
    const word = /^[^\s/<>[\]()]+/.exec(this.text.slice(this.at, this.at + 40))
    if (!word) throw new Error(`Unreadable PDF at byte ${this.at}`)
    this.at += word[0].length
    if (word[0] === 'true' || word[0] === 'false') return word[0] === 'true'
    if (word[0] === 'null') return null
    return Number(word[0])
  }

  private dict(): Dict {
    this.at += 2
    const dict: Dict = {}
    for (this.skip(); this.text.slice(this.at, this.at + 2) !== '>>'; this.skip()) {
      const key = this.value()
      if (!isName(key)) throw new Error(`Expected a name at byte ${this.at}`)
      dict[key.name] = this.value()
    }
    this.at += 2
    return dict
  }

  private literal(): string {
    let depth = 0
    let out = ''
    for (this.at++; this.at < this.text.length; this.at++) {
      const c = this.text[this.at]!
      if (c === '\\') {
        const next = this.text[++this.at]!
        out += ({ n: '\n', r: '\r', t: '\t', b: '\b', f: '\f' } as Record<string, string>)[next] ?? next
      } else if (c === '(') {
        depth++
        out += c
      } else if (c === ')') {
        if (depth === 0) break
        depth--
        out += c
      } else out += c
    }
    this.at++
    return out
  }

  private skip(): void {
    const m = /^(\s|%[^\n]*\n)*/.exec(this.text.slice(this.at, this.at + 200))
    this.at += m ? m[0].length : 0
  }
}

const isRef = (v: Value | undefined): v is Ref => v instanceof Ref
const isName = (v: Value | undefined, name?: string): v is Name => v instanceof Name && (name === undefined || v.name === name)
const isDict = (v: Value | undefined): v is Dict => typeof v === 'object' && v !== null && !Array.isArray(v) && !isRef(v) && !isName(v)
const asArray = (v: Value | undefined): Value[] => (Array.isArray(v) ? v : [])
