// How the privacy guard reads files that are not text (src/privacy/binary.ts
// and pdf.ts): every text a tool could show in them, each unit placed at the
// byte it was read from, with compressed text inflated only up to a limit.

import { deflateSync, gzipSync } from 'node:zlib'
import { describe, expect, it } from 'vitest'
import { inflateWithin, readBinary, readUtf16, readUtf8OrLatin1, unitsWorthReading, type ByteText } from '../src/privacy/binary.js'
import { pdfText } from '../src/privacy/pdf.js'
import { png } from './bytes.js'

const worth = unitsWorthReading([])
const bytes = (...values: number[]) => Buffer.from(values)
const units = (little: boolean, ...codes: number[]) => Buffer.concat(codes.map((code) => (little ? Buffer.from([code & 0xff, code >> 8]) : Buffer.from([code >> 8, code & 0xff]))))
const shown = (text: ByteText) => ({ text: text.text, at: [...text.at] })
const nul = Buffer.alloc(1)
const latin1 = (text: string) => Buffer.from(text, 'latin1')

describe('bytes read as UTF-8, or as Latin-1 where they are not UTF-8', () => {
  it('reads UTF-8 sequences of every length, each unit placed at the byte its character starts at', () => {
    const read = readUtf8OrLatin1(Buffer.concat([latin1('A'), bytes(0xc3, 0xa9, 0xe2, 0x82, 0xac, 0xf0, 0x9d, 0x90, 0x89), latin1('z')]))
    expect(shown(read)).toEqual({ text: 'Aé€𝐉z', at: [0, 1, 3, 6, 6, 10] })
    // A sequence ends at its length, even when more continuation bytes follow.
    expect(shown(readUtf8OrLatin1(bytes(0xc3, 0xa9, 0x80, 0xe2, 0x82, 0xac, 0xbf)))).toEqual({ text: 'é\u0080€¿', at: [0, 2, 3, 6] })
  })

  it('reads the first and last character of each length of sequence', () => {
    const cases: [number[], string][] = [
      [[0x7f], '\u007f'],
      [[0xc2, 0x80], '\u0080'],
      [[0xdf, 0xbf], '\u07ff'],
      [[0xe0, 0xa0, 0x80], '\u0800'],
      [[0xed, 0x9f, 0xbf], '\ud7ff'],
      [[0xee, 0x80, 0x80], '\ue000'],
      [[0xef, 0xbf, 0xbf], '\uffff'],
      [[0xf0, 0x90, 0x80, 0x80], '\u{10000}'],
      [[0xf4, 0x8f, 0xbf, 0xbf], '\u{10ffff}'],
    ]
    for (const [sequence, char] of cases) expect(shown(readUtf8OrLatin1(bytes(...sequence))), char).toEqual({ text: char, at: Array(char.length).fill(0) })
  })

  it('reads each byte that does not start a whole, shortest UTF-8 sequence as Latin-1', () => {
    const cases: number[][] = [
      [0x80],
      [0xbf, 0x41],
      [0xc0, 0x80],
      [0xc1, 0xbf],
      [0xc3],
      [0xc3, 0x41],
      [0xc3, 0xc3],
      [0xe0, 0x80, 0x80],
      [0xe0, 0x9f, 0xbf],
      [0xe2, 0x82],
      [0xed, 0xa0, 0x80],
      [0xed, 0xbf, 0xbf],
      [0xf0, 0x80, 0x80, 0x80],
      [0xf0, 0x8f, 0xbf, 0xbf],
      [0xf4, 0x90, 0x80, 0x80],
      [0xf5, 0x80, 0x80, 0x80],
      [0xfc, 0x80, 0x80, 0x80],
      [0xff],
    ]
    for (const sequence of cases) {
      expect(shown(readUtf8OrLatin1(bytes(...sequence))), sequence.join(' ')).toEqual({ text: Buffer.from(sequence).toString('latin1'), at: sequence.map((_, k) => k) })
    }
  })

  it('places every unit at one byte when given one', () => {
    expect(shown(readUtf8OrLatin1(Buffer.from('Jé𝐉'), 40))).toEqual({ text: 'Jé𝐉', at: [40, 40, 40, 40] })
  })
})

describe('bytes read as UTF-16', () => {
  it('reads runs of text in both byte orders, from even and from odd offsets', () => {
    expect(readUtf16(Buffer.from('Jane Doe', 'utf16le'), worth).map(shown)).toEqual([
      { text: 'Jane Doe', at: [0, 2, 4, 6, 8, 10, 12, 14] },
      { text: 'ane Doe', at: [1, 3, 5, 7, 9, 11, 13] },
    ])
    // Big-endian text at an odd offset is little-endian text at an even one, but for its first and last byte.
    expect(readUtf16(Buffer.concat([bytes(1), units(false, ...Buffer.from('Kim'))]), worth).map(shown)).toEqual([
      { text: 'Ki', at: [2, 4] },
      { text: 'Kim', at: [1, 3, 5] },
    ])
    expect(readUtf16(Buffer.from('Jane Doe', 'utf16le'), worth, 7).map(shown)[0]).toEqual({ text: 'Jane Doe', at: Array(8).fill(7) })
  })

  it('ends a run at a unit that is not text, with a line break, and drops a unit alone', () => {
    const first = (data: Buffer) => shown(readUtf16(data, worth)[0]!)
    expect(first(units(true, 0x4a, 0x6f, 0x01, 0x58, 0x01, 0x4b, 0x69, 0x6d))).toEqual({ text: 'Jo\nKim', at: [0, 2, 4, 10, 12, 14] })
    expect(first(units(true, 0x41, 0x20, 0x7e, 0x7f, 0x41, 0xa0, 0x9f, 0x41, 0x42, 0x1f, 0x43))).toEqual({ text: 'A ~\nA\u00a0\nAB\n', at: [0, 2, 4, 6, 8, 10, 12, 14, 16, 18] })
    expect(first(Buffer.concat([units(true, 0x4a, 0x6f), latin1('e')]))).toEqual({ text: 'Jo', at: [0, 2] })
    expect(readUtf16(units(true, 0x4a, 0x01, 0x6f), worth)).toEqual([])
  })

  it('reads the units of the scripts names are written in, and those of the roster\'s own strings', () => {
    const cyrillic = units(false, 0x41a, 0x69, 0x6d)
    expect(readUtf16(cyrillic, worth).map((t) => t.text)).toContain('\u041aim')
    const chinese = Buffer.from('王伟', 'utf16le')
    expect(readUtf16(chinese, worth).map((t) => t.text)).not.toContain('王伟')
    expect(readUtf16(chinese, unitsWorthReading(['王伟'])).map((t) => t.text)).toContain('王伟')
    // A Korean name is found whether the roster and the file compose its syllables or not.
    const composed = '김민준'
    const decomposed = composed.normalize('NFD')
    expect(decomposed).not.toBe(composed)
    expect(readUtf16(Buffer.from(decomposed, 'utf16le'), unitsWorthReading([composed])).map((t) => t.text)).toContain(decomposed)
    expect(readUtf16(Buffer.from(composed, 'utf16le'), unitsWorthReading([decomposed])).map((t) => t.text)).toContain(composed)
  })
})

describe('the text chunks of a PNG', () => {
  const reading = (file: Buffer, inflateLimit = 1 << 20) => readBinary(file, { worth, inflateLimit })
  /** The texts that were inflated out of chunks: every unit of each is placed at one byte. */
  const inflated = (file: Buffer, inflateLimit?: number) =>
    reading(file, inflateLimit)
      .texts.filter((t) => t.at.length > 1 && t.at.every((at) => at === t.at[0]))
      .map((t) => `${t.at[0]} ${t.text}`)
  const dataOf = (file: Buffer, type: string, from = 0) => file.indexOf(type, from) + 4

  it('inflates zTXt, compressed iTXt and iCCP chunks, each text placed at its chunk\'s data', () => {
    const file = png([
      ['zTXt', Buffer.concat([latin1('Author'), nul, nul, deflateSync('Jane Doe')])],
      ['iTXt', Buffer.concat([latin1('Comment'), nul, bytes(1, 0), latin1('en'), nul, latin1('Kommentar'), nul, deflateSync('Kim Park')])],
      ['iCCP', Buffer.concat([latin1('Profile'), nul, nul, deflateSync(Buffer.concat([latin1('desc mluc'), Buffer.from('by Ed Wu', 'utf16le').swap16()]))])],
    ])
    expect(reading(file).tooLarge).toBeUndefined()
    const iccp = dataOf(file, 'iCCP')
    // An ICC profile's descriptions are UTF-16, and read as such (with some noise from the other byte orders).
    expect(inflated(file)).toEqual(expect.arrayContaining([`${dataOf(file, 'zTXt')} Jane Doe`, `${dataOf(file, 'iTXt')} Kim Park`, `${iccp} by Ed Wu`]))
  })

  it('reads only those chunks: an uncompressed iTXt, pixels and unknown chunks are not inflated', () => {
    const file = png([
      ['iTXt', Buffer.concat([latin1('Title'), nul, bytes(0, 0), nul, nul, deflateSync('Jane Doe')])],
      ['IDAT', deflateSync('Kim Park')],
      ['teXt', Buffer.concat([latin1('Note'), nul, nul, deflateSync('Ed Wu')])],
    ])
    expect(inflated(file)).toEqual([])
    // So a large picture does not count against the limit.
    const picture = png([['IDAT', deflateSync(Buffer.alloc(200_000))]])
    expect(reading(picture, 1000)).toMatchObject({ tooLarge: undefined })
  })

  it('reads a chunk whose keyword is empty', () => {
    const file = png([['zTXt', Buffer.concat([nul, nul, deflateSync('Jane Doe')])]])
    expect(inflated(file)).toEqual([`${dataOf(file, 'zTXt')} Jane Doe`])
  })

  it('skips chunks whose text is not where it should be or does not inflate', () => {
    const file = png([
      ['zTXt', latin1('No keyword and no text')],
      ['zTXt', Buffer.concat([latin1('Author'), nul, nul, latin1('not deflated')])],
      ['iTXt', Buffer.concat([latin1('Comment'), nul, bytes(1, 0), latin1('en')])],
      ['iTXt', Buffer.concat([latin1('Comment'), nul, bytes(1, 0), latin1('en'), nul, latin1('Kommentar')])],
    ])
    expect(reading(file).tooLarge).toBeUndefined()
    expect(inflated(file)).toEqual([])
  })

  it('walks the chunks by their lengths, past large ones, up to IEND or the end of the file', () => {
    const large = Buffer.alloc(70_000, 0x41)
    const file = png([
      ['IDAT', large],
      ['zTXt', Buffer.concat([latin1('Author'), nul, nul, deflateSync('Jane Doe')])],
    ])
    expect(inflated(file)).toEqual([`${dataOf(file, 'zTXt', 70_000)} Jane Doe`])
    // A chunk that claims more bytes than the file has is read as far as the file goes.
    const cut = Buffer.concat([png([]).subarray(0, 33), bytes(0, 0, 0x10, 0), latin1('zTXtAuthor'), nul, nul, deflateSync('Kim Park')])
    expect(reading(cut)).toMatchObject({ tooLarge: undefined })
    expect(inflated(cut)).toEqual(['41 Kim Park'])
    // However many: a length of gigabytes, in all four of its bytes.
    const huge = Buffer.concat([png([]).subarray(0, 33), bytes(0x7f, 0, 0, 0), latin1('zTXtAuthor'), nul, nul, deflateSync('Kim Park')])
    expect(inflated(huge)).toEqual(['41 Kim Park'])
  })

  it('inflates all chunks of a file within one limit, and says where the text that passes it starts', () => {
    const text = (letter: string) => ['zTXt', Buffer.concat([latin1('Comment'), nul, nul, deflateSync(Buffer.alloc(600, letter))])] as [string, Buffer]
    const file = png([text('a'), text('b')])
    const first = dataOf(file, 'zTXt')
    const second = dataOf(file, 'zTXt', first)
    expect(reading(file, 1200).tooLarge).toBeUndefined()
    expect(reading(file, 1199).tooLarge).toBe(second)
    expect(reading(file, 1000).tooLarge).toBe(second)
    expect(reading(file, 600).tooLarge).toBe(second)
    expect(inflated(file, 600)).toEqual([`${first} ${'a'.repeat(600)}`])
    expect(reading(file, 599).tooLarge).toBe(first)
  })

  it('reads only a file with the whole PNG signature as a PNG', () => {
    const file = png([['zTXt', Buffer.concat([latin1('Author'), nul, nul, deflateSync('Jane Doe')])]])
    expect(inflated(file)).toHaveLength(1)
    for (let at = 0; at < 8; at++) {
      const changed = Buffer.from(file)
      changed[at] = 0x00
      expect(inflated(changed), `byte ${at}`).toEqual([])
    }
  })
})

describe('inflating compressed data', () => {
  const data = deflateSync(Buffer.alloc(600, 0x61))

  it('inflates up to its limit and no further', () => {
    expect(inflateWithin(data, 600, 'zlib')).toEqual(Buffer.alloc(600, 0x61))
    expect(inflateWithin(data, 599, 'zlib')).toBe('too large')
    expect(inflateWithin(gzipSync(Buffer.alloc(600, 0x61)), 600, 'gzip')).toEqual(Buffer.alloc(600, 0x61))
    expect(inflateWithin(gzipSync(Buffer.alloc(600, 0x61)), 599, 'gzip')).toBe('too large')
    // Nothing left of the limit is read as a byte left, the least zlib takes: more is too much.
    expect(inflateWithin(deflateSync(Buffer.alloc(2)), 0, 'zlib')).toBe('too large')
    expect(inflateWithin(deflateSync(Buffer.alloc(0)), 0, 'zlib')).toEqual(Buffer.alloc(0))
  })

  it('gives nothing for data that does not inflate in the given format', () => {
    expect(inflateWithin(data, 600, 'gzip')).toBeUndefined()
    expect(inflateWithin(gzipSync('Jane Doe'), 600, 'zlib')).toBeUndefined()
    expect(inflateWithin(latin1('not deflated'), 600, 'zlib')).toBeUndefined()
    expect(inflateWithin(data.subarray(0, 8), 600, 'zlib')).toBeUndefined()
  })
})

/** A PDF of the given objects, numbered from 10 (so that every reference has two digits), each a dictionary and, if given, a stream. */
function pdf(...objects: { dict: string; stream?: Buffer | string; newline?: string; end?: boolean }[]): Buffer {
  const parts: Buffer[] = [latin1('%PDF-1.7\n%\u00e2\u00e3\u00cf\u00d3\n')]
  objects.forEach(({ dict, stream, newline = '\n', end = true }, k) => {
    parts.push(latin1(`${k + 10} 0 obj\n${dict}`))
    if (stream !== undefined) parts.push(latin1(`\nstream${newline}`), typeof stream === 'string' ? latin1(stream) : stream, latin1(end ? '\nendstream' : ''))
    parts.push(latin1('\nendobj\n'))
  })
  parts.push(latin1('trailer\n<< /Root 10 0 R >>\n%%EOF\n'))
  return Buffer.concat(parts)
}

const cmap = `/CIDInit /ProcSet findresource begin
begincmap
3 beginbfchar
<0000> <0058>
<0001> <004a>
<0002><0061>
endbfchar
1 beginbfchar
<0006> <0065> <0007> <0020>
endbfchar
2 beginbfrange
<0003> <0004> <006E>
<0010> <0012> [<0044> <006F> <0065>]
<0020><0021>[<D835DC09>]
endbfrange
endcmap`

/** A page drawing `content` with font F1, whose map is `cmap`. */
const page = (content: string | Buffer, dict = '') => [
  { dict: `<< /Resources << /Font << /F1 11 0 R >> >> ${dict}>>`, stream: content },
  { dict: '<< /Type /Font /ToUnicode 12 0 R >>' },
  { dict: '<< >>', stream: cmap },
]

describe('the text of a PDF', () => {
  it('reads text drawn with a font through the font\'s ToUnicode map, block by block', () => {
    const file = pdf(
      { dict: '<< /Type /Page /Resources << /Font << /F1 11 0 R /F2 14 0 R >> >> /Contents 13 0 R >>' },
      { dict: '<< /Type /Font /Subtype /Type0 /ToUnicode 12 0 R >>' },
      { dict: '<< /Filter /FlateDecode >>', stream: deflateSync(cmap) },
      { dict: '<< >>', stream: 'BT /F1 12 Tf <0001000200030006> Tj [<0007> -120 <00100011 0012>] TJ ET\nBT /F1 10.5 Tf <0004 0099 0020 0021> Tj ET\nBT /F2 -3 Tf <0001> Tj (Kim \\(P\\) Park\\\\) Tj ET' },
      { dict: '<< /Type /Font /Subtype /Type0 /ToUnicode 99 0 R >>' },
    )
    expect(pdfText(file)).toBe('Jane Doe\no𝐉\nKim (P) Park\\')
  })

  it('reads its objects however they are spaced, and whatever their generation', () => {
    // Every space here is a CR LF: two white space characters. Objects updated in place have a generation above 0.
    const spaced = (text: string) => text.replaceAll(' ', '\r\n')
    const file = latin1(
      spaced(
        `%PDF-1.7 10 12 obj << /Resources << /Font << /F1 11 12 R >> >> >> stream\nBT /F1 12.5 Tf <00010002 0003 0006> Tj ET\nendstream endobj 11 12 obj << /Type /Font /ToUnicode 12 12 R >> endobj 12 12 obj << >> stream\n`,
      ) + `${cmap}\nendstream\nendobj\n`,
    )
    expect(pdfText(file)).toBe('Jane')
  })

  it('reads a stream cut short, with no `ET` and no `endstream`, to its object\'s end', () => {
    const file = Buffer.concat([pdf(...page('BT /F1 12 Tf <0003> Tj ET BT /F1 12 Tf <00010002>', '').map((o, k) => (k === 0 ? { ...o, end: false } : o)))])
    const cut = Buffer.from(file.toString('latin1').replace('<00010002>\n', '<00010002>'), 'latin1')
    expect(pdfText(cut)).toBe('n\nJa')
  })

  it('reads a content stream compressed or not, after a CR LF or a LF, and to its object\'s end when `endstream` is missing', () => {
    for (const newline of ['\n', '\r\n']) expect(pdfText(pdf(...page(deflateSync('BT /F1 12 Tf <00010002> Tj ET'), '/Filter /FlateDecode ').map((o, k) => (k === 0 ? { ...o, newline } : o)))), JSON.stringify(newline)).toBe('Ja')
    expect(pdfText(pdf(...page('BT /F1 12 Tf <00010002> Tj ET')))).toBe('Ja')
    expect(pdfText(pdf(...page('BT /F1 12 Tf <00010002> Tj ET').map((o, k) => (k === 0 ? { ...o, end: false } : o))))).toBe('Ja')
  })

  it('reads only whole codes of a hex string, and nothing for codes its font does not map', () => {
    expect(pdfText(pdf(...page('BT /F1 12 Tf <000100020> Tj <0099> Tj <> Tj ET')))).toBe('Ja')
  })

  it('reads the strings of its dictionaries, such as the title and author, in every encoding PDF writes them', () => {
    const info = [
      '/Title (A \\(private\\) report \\\\ \\n)',
      '/Author (\u00fe\u00ff\u0000J\u0000a\u0000n\u0000e)',
      '/Subject <FEFF004B0069006D>',
      '/Keywords <feff00450064>',
      '/Creator (\u00fe\u00ff\u0000J\u0000)',
      '/Company (\u00fe\u00ff\u0000Z\u0000o\u0000\u00eb)',
      '/Producer <48656C6C6F>',
    ].join(' ')
    expect(pdfText(pdf({ dict: `<< ${info} >>` })).split('\n')).toEqual(['A (private) report \\ \\n', 'Jane', '\u00fe\u00ff\u0000J\u0000', 'Zoë', 'Kim', 'Ed'])
  })

  it('reads an object that ends right after its last string, with no space before `endobj`', () => {
    expect(pdfText(latin1('%PDF-1.7\n10 0 obj (Jane Doe)endobj\n11 0 obj<< /Author (Kim Park) >>endobj\n'))).toBe('Jane Doe\nKim Park')
  })

  it('reads a stream that does not inflate as it is, and no text out of a stream that selects no font', () => {
    const file = pdf(
      { dict: '<< /Resources << /Font << /F1 11 0 R >> >> /Filter /FlateDecode >>', stream: 'BT /F1 12 Tf (Jane Doe) Tj ET' },
      { dict: '<< /Type /Font /ToUnicode 12 0 R >>' },
      { dict: '<< /Filter /FlateDecode >>', stream: latin1('not deflated') },
      { dict: '<< /Subtype /Image >>', stream: '(Kim Park) <0001> BT ET' },
      { dict: '<< /Subtype /Form >>', stream: '(Ed Wu) /Tfx 1 Tj' },
    )
    expect(pdfText(file)).toBe('Jane Doe')
  })

  it('reads a range that runs past the last code point up to it, instead of failing', () => {
    const file = pdf(
      { dict: '<< /Resources << /Font << /F1 11 0 R >> >> >>', stream: 'BT /F1 12 Tf <0001 0002 0003> Tj ET' },
      { dict: '<< /Type /Font /ToUnicode 12 0 R >>' },
      { dict: '<< >>', stream: '1 beginbfrange\n<0001> <0003> <10FFFE>\nendbfrange' },
    )
    expect(pdfText(file)).toBe('\u{10FFFE}\u{10FFFF}')
  })

  it('reads a character map of billions of codes in bounded time', () => {
    const hostile = '2 beginbfrange\n<0000> <FFFFFFFF> <0041>\n<0100> <FFFFFFFF> [<0043>]\nendbfrange'
    const file = pdf(
      { dict: '<< /Resources << /Font << /F1 11 0 R >> >> >>', stream: 'BT /F1 12 Tf <0000 0001 0100 0101 FFFF> Tj ET' },
      { dict: '<< /Type /Font /ToUnicode 12 0 R >>' },
      { dict: '<< >>', stream: hostile },
    )
    expect(pdfText(file)).toBe('ABC')
  })
})
