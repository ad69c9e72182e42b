// The text inside a binary file (an image, a font, a download), read every way
// a tool could show it: as UTF-8, with Latin-1 for bytes that are not UTF-8; as
// UTF-16 in either byte order (EXIF's XP fields, ICC profiles, XMP written as
// UTF-16); and, for a PNG, the text of its zTXt and iTXt chunks and of its ICC
// profile, inflated (uncompressed tEXt and iTXt text is read with the rest of
// the file). Each text remembers the byte each of its code units was read
// from, so that a match can be placed in the file.
//
// The work is linear in the size of the file. Compressed text is inflated up
// to a limit; past it, the file is reported as too large to read, rather than
// read in part.

import { inflateSync, gunzipSync } from 'node:zlib'

export interface ByteText {
  text: string
  /** For each code unit of `text`, the offset of the byte it was read from. */
  at: Uint32Array
}

export interface BinaryOptions {
  /** Which UTF-16 code units are worth reading, by their high byte (see `unitsWorthReading`). */
  worth: Uint8Array
  /** How many bytes the compressed text of one file may inflate to, in all. */
  inflateLimit: number
}

export interface BinaryReading {
  texts: ByteText[]
  /** Where compressed text starts that would inflate past the limit, if any does. */
  tooLarge: number | undefined
}

export function readBinary(bytes: Uint8Array, options: BinaryOptions): BinaryReading {
  const texts = [readUtf8OrLatin1(bytes), ...readUtf16(bytes, options.worth)]
  const tooLarge = isPng(bytes) ? readPngText(bytes, options, texts) : undefined
  return { texts, tooLarge }
}

/**
 * UTF-16 code units worth reading: those of Latin, Greek, Cyrillic, Armenian,
 * Cherokee and Lisu letters, small capitals, punctuation, full-width forms and
 * mathematical letters, and those of every given string (the roster's). Any
 * other unit ends a run of text. Random bytes rarely make two such units in a
 * row, so the text read from a photo's pixels stays short.
 */
export function unitsWorthReading(strings: Iterable<string>): Uint8Array {
  const pages = new Uint8Array(256)
  for (const page of [0x00, 0x01, 0x02, 0x03, 0x04, 0x05, 0x13, 0x1d, 0x1e, 0x1f, 0x20, 0x21, 0xa4, 0xa7, 0xd8, 0xdc, 0xdd, 0xde, 0xdf, 0xff]) pages[page] = 1
  for (const text of strings) {
    for (const form of [text, text.normalize('NFC'), text.normalize('NFD')]) {
      for (let i = 0; i < form.length; i++) pages[form.charCodeAt(i) >> 8] = 1
    }
  }
  return pages
}

/** The bytes as UTF-8 where they are UTF-8, and as Latin-1 where they are not. `base`, if given, is the place of every code unit. */
export function readUtf8OrLatin1(bytes: Uint8Array, base?: number): ByteText {
  const units = new Uint16Array(bytes.length)
  const at = new Uint32Array(bytes.length)
  let n = 0
  for (let i = 0; i < bytes.length; ) {
    const first = bytes[i]!
    let code = first
    let size = 1
    if (first >= 0xc2 && first <= 0xf4) {
      const length = first < 0xe0 ? 2 : first < 0xf0 ? 3 : 4
      let value = first & (0xff >> (length + 1))
      let k = 1
      for (; k < length && i + k < bytes.length && (bytes[i + k]! & 0xc0) === 0x80; k++) value = (value << 6) | (bytes[i + k]! & 0x3f)
      const least = length === 2 ? 0x80 : length === 3 ? 0x800 : 0x10000
      if (k === length && value >= least && value <= 0x10ffff && (value < 0xd800 || value > 0xdfff)) {
        code = value
        size = length
      }
    }
    if (code > 0xffff) {
      units[n] = 0xd800 + ((code - 0x10000) >> 10)
      at[n++] = base ?? i
      units[n] = 0xdc00 + ((code - 0x10000) & 0x3ff)
    } else units[n] = code
    at[n++] = base ?? i
    i += size
  }
  return { text: Buffer.from(units.buffer, 0, n * 2).toString('utf16le'), at: at.subarray(0, n) }
}

/** Runs of text in the bytes read as UTF-16, little- and big-endian, from even and from odd offsets. */
export function readUtf16(bytes: Uint8Array, worth: Uint8Array, base?: number): ByteText[] {
  const texts: ByteText[] = []
  for (const bigEndian of [false, true]) {
    for (const shift of [0, 1]) {
      const text = utf16Runs(bytes, bigEndian, shift, worth, base)
      if (text.text !== '') texts.push(text)
    }
  }
  return texts
}

function utf16Runs(bytes: Uint8Array, bigEndian: boolean, shift: number, worth: Uint8Array, base: number | undefined): ByteText {
  const units = new Uint16Array((bytes.length >> 1) + 1)
  const at = new Uint32Array(units.length)
  let n = 0
  let run = 0
  for (let i = shift; i + 1 < bytes.length; i += 2) {
    const unit = bigEndian ? (bytes[i]! << 8) | bytes[i + 1]! : bytes[i]! | (bytes[i + 1]! << 8)
    if (unit >= 0x20 && (unit < 0x7f || unit >= 0xa0) && worth[unit >> 8] === 1) {
      units[n] = unit
      at[n++] = base ?? i
      run++
      continue
    }
    // A lone unit is noise; a run of two or more ends with a line break.
    if (run === 1) n--
    else if (run > 1) {
      units[n] = 0x0a
      at[n++] = base ?? i
    }
    run = 0
  }
  if (run === 1) n--
  return { text: Buffer.from(units.buffer, 0, n * 2).toString('utf16le'), at: at.subarray(0, n) }
}

const pngSignature = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]

function isPng(bytes: Uint8Array): boolean {
  return pngSignature.every((byte, i) => bytes[i] === byte)
}

/** Add the inflated text of a PNG's chunks to `texts`, each placed at its chunk's data; say where inflating went past the limit, if it did. */
function readPngText(bytes: Uint8Array, options: BinaryOptions, texts: ByteText[]): number | undefined {
  const budget = { left: options.inflateLimit }
  for (let at = pngSignature.length; at + 8 <= bytes.length; ) {
    const length = bytes[at]! * 0x1000000 + ((bytes[at + 1]! << 16) | (bytes[at + 2]! << 8) | bytes[at + 3]!)
    const type = String.fromCharCode(bytes[at + 4]!, bytes[at + 5]!, bytes[at + 6]!, bytes[at + 7]!)
    const start = at + 8
    // A chunk that runs past the end of the file is read as far as it goes (subarray stops at the end).
    const data = bytes.subarray(start, start + length)
    const compressed = compressedTextAt(type, data)
    if (compressed !== undefined) {
      const inflated = inflateWithin(data.subarray(compressed), budget.left, 'zlib')
      if (inflated === 'too large') return start
      if (inflated) {
        budget.left -= inflated.length
        texts.push(readUtf8OrLatin1(inflated, start))
        // An ICC profile's descriptions are UTF-16 (`mluc`).
        if (type === 'iCCP') texts.push(...readUtf16(inflated, options.worth, start))
      }
    }
    if (type === 'IEND') break
    at = start + length + 4
  }
  return undefined
}

/** Where a chunk's compressed text starts, for the chunks that hold some: zTXt, iCCP, and iTXt with its compression flag set. */
function compressedTextAt(type: string, data: Uint8Array): number | undefined {
  if (type !== 'zTXt' && type !== 'iCCP' && type !== 'iTXt') return undefined
  const keywordEnd = data.indexOf(0)
  if (keywordEnd < 0) return undefined
  // The keyword, then the compression method.
  if (type !== 'iTXt') return keywordEnd + 2
  if (data[keywordEnd + 1] !== 1) return undefined
  // The keyword, the compression flag and method, a language tag and a translated keyword.
  const languageEnd = data.indexOf(0, keywordEnd + 3)
  const translatedEnd = languageEnd < 0 ? -1 : data.indexOf(0, languageEnd + 1)
  return translatedEnd < 0 ? undefined : translatedEnd + 1
}

/** Inflate at most `limit` bytes: `too large` past that, undefined for data that does not inflate. */
export function inflateWithin(data: Uint8Array, limit: number, format: 'zlib' | 'gzip'): Buffer | 'too large' | undefined {
  try {
    const options = { maxOutputLength: Math.max(limit, 1) }
    return format === 'gzip' ? gunzipSync(data, options) : inflateSync(data, options)
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'ERR_BUFFER_TOO_LARGE' ? 'too large' : undefined
  }
}
