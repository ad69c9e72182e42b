// Turn a content file's bytes into the text every later stage reads. Content
// must be UTF-8: a byte sequence that is not, or a NUL byte (a binary file
// saved as `.md`), is an error at its line and column rather than a silent
// replacement character. A byte-order mark is dropped, Windows (CRLF) and old
// Mac (CR) line endings become LF (lines keep their numbers), and the text is
// put in Unicode normalization form C, so that ids and names typed with
// composed or decomposed accents are the same id or name.

import { Buffer, isUtf8 } from 'node:buffer'
import { createMessage, type Message } from '../messages.js'

export function decodeSource(bytes: Uint8Array, file: string): { text: string; messages: Message[] } {
  const messages: Message[] = []
  // Almost every file is valid: check it natively, and look for the bad byte only when there is one.
  const invalid = isUtf8(bytes) ? undefined : firstInvalidUtf8(bytes)
  if (invalid !== undefined) {
    messages.push(
      createMessage(
        'content-encoding-valid',
        file,
        placeOfByte(bytes, invalid),
        `This file is not valid UTF-8: byte 0x${bytes[invalid]!.toString(16).padStart(2, '0')} at offset ${invalid} cannot start or continue a character`,
        'Save the file as UTF-8 (most editors offer it under "Save with encoding").',
      ),
    )
  }
  const nul = bytes.indexOf(0)
  if (nul >= 0) {
    messages.push(
      createMessage(
        'content-encoding-valid',
        file,
        placeOfByte(bytes, nul),
        'This file contains a NUL byte, so it is binary rather than text',
        'Only text files belong among the chapters; give other files an extension other than .md or .yml.',
      ),
    )
  }
  const text = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('utf8').replace(/^\uFEFF/, '').replace(/\r\n?/g, '\n').normalize('NFC')
  return { text, messages }
}

/** Offset of the first byte that breaks UTF-8, or undefined when the bytes are valid. */
export function firstInvalidUtf8(bytes: Uint8Array): number | undefined {
  let i = 0
  while (i < bytes.length) {
    const b = bytes[i]!
    if (b < 0x80) {
      i++
      continue
    }
    let needed: number
    let min: number
    if (b >= 0xc2 && b <= 0xdf) [needed, min] = [1, 0x80]
    else if (b >= 0xe0 && b <= 0xef) [needed, min] = [2, 0x800]
    else if (b >= 0xf0 && b <= 0xf4) [needed, min] = [3, 0x10000]
    else return i
    let code = b & (0x3f >> needed)
    for (let k = 1; k <= needed; k++) {
      const next = bytes[i + k]
      if (next === undefined || (next & 0xc0) !== 0x80) return i
      code = (code << 6) | (next & 0x3f)
    }
    // Overlong forms, UTF-16 surrogates and code points past U+10FFFF are not UTF-8 either.
    if (code < min || (code >= 0xd800 && code <= 0xdfff) || code > 0x10ffff) return i
    i += needed + 1
  }
  return undefined
}

/** Line and column (in characters) of a byte offset. */
function placeOfByte(bytes: Uint8Array, offset: number): { line: number; column: number } {
  let line = 1
  let lineStart = 0
  for (let i = 0; i < offset; i++) {
    if (bytes[i] === 0x0a || (bytes[i] === 0x0d && bytes[i + 1] !== 0x0a)) {
      line++
      lineStart = i + 1
    }
  }
  const before = new TextDecoder('utf-8').decode(bytes.subarray(lineStart, offset))
  return { line, column: [...before].length + 1 }
}
