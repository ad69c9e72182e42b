// Binary files for the privacy guard's tests: a PNG made of the chunks a test
// needs, and where a byte lies in a file the way the guard reports it.

import { crc32 } from 'node:zlib'

/** Where a byte of a binary file is, counting lines at line feeds and columns in bytes, as the scan reports it. */
export function placeOfByte(bytes: Buffer, offset: number): string {
  const before = bytes.subarray(0, offset)
  return `${before.filter((b) => b === 0x0a).length + 1}:${offset - (before.lastIndexOf(0x0a) + 1) + 1}`
}

/** A PNG made of the given chunks, each with its length and checksum, between an IHDR and an IEND. */
export function png(chunks: [string, Buffer][]): Buffer {
  const parts: Buffer[] = [Buffer.from('89504e470d0a1a0a', 'hex')]
  for (const [type, data] of [['IHDR', Buffer.from('00000001000000010800000000', 'hex')] as [string, Buffer], ...chunks, ['IEND', Buffer.alloc(0)] as [string, Buffer]]) {
    const head = Buffer.alloc(8)
    head.writeUInt32BE(data.length, 0)
    head.write(type, 4, 'latin1')
    const crc = Buffer.alloc(4)
    crc.writeUInt32BE(crc32(Buffer.concat([head.subarray(4), data])))
    parts.push(head, data, crc)
  }
  return Buffer.concat(parts)
}
