// The privacy guard on what would be published (src/privacy/output.ts), called
// directly on the files of a site: every page, JSON file, the search index,
// the sitemap, CITATION.cff, images and static files, and the PDF's text. A
// roster name of someone who did not agree to be named is reported without
// being printed in full; a participant who declined to be quoted appears
// nowhere, not even by label. The same guard in real builds, on a real search
// index and on a PDF printed by Chromium, is tests/privacy-site.test.ts.

import { deflateSync, gzipSync } from 'node:zlib'
import { describe, expect, it } from 'vitest'
import { scanOutput } from '../src/privacy/output.js'
import { parseRoster } from '../src/privacy/roster.js'
import { placeOfByte, png } from './bytes.js'

const rosterText = [
  'participants:',
  '  - id: P01',
  '    names: [Jane Doe]',
  '    other: [the Oslo hub]',
  '  - id: P03',
  '    names: [Grace Hopper]',
  '  - id: P05',
  '    names: [Kim Park]',
  '',
].join('\n')

const roster = parseRoster('roster.yml', rosterText).roster!
const consents = [
  { id: 'P01', consent: 'anonymous' as const },
  { id: 'P03', consent: 'named' as const },
  { id: 'P05', consent: 'no-quotes' as const },
]

/** Every message, as the author would read it: it must never spell out a secret. */
function printed(messages: readonly { reason: string; hint?: string }[]): string {
  return messages.map((m) => `${m.reason} ${m.hint ?? ''}`).join('\n')
}

const nul = Buffer.alloc(1)
const latin1 = (text: string) => Buffer.from(text, 'latin1')
const utf16be = (text: string) => Buffer.from(text, 'utf16le').swap16()
const dropIt = (id: string) => `Find where it comes from (a chapter, report.yml, a template, an image's metadata) and remove it; ${id} did not agree to be named.`
/** Each message as `file:line:column rule-id`, and whose string it reports. */
const where = (messages: readonly { file: string; line: number; column: number; ruleId: string; reason: string }[]) =>
  messages.map((m) => `${m.file}:${m.line}:${m.column} ${m.ruleId} ${/\bP\d\d\b/.exec(m.reason)?.[0]}`)

describe('what the scan says', () => {
  it('reports each roster string and label once per file, at its first place, file by file, saying whose it is but not what', () => {
    const files = new Map<string, string>([
      ['b.html', '<p>Kim Park</p>'],
      ['a.txt', 'Jane Doe\nJane Doe and the Oslo hub, with P05.\nP05 again, and the Oslo hub.'],
    ])
    const found = scanOutput({ files, participants: consents, roster })
    const error = { severity: 'error', ruleId: 'private-name-absent' }
    expect(found).toEqual([
      { file: 'dist/a.txt', line: 1, column: 1, ...error, reason: 'A real name of P01 from the private roster, J******* (8 characters), would be published in this file', hint: dropIt('P01') },
      { file: 'dist/a.txt', line: 2, column: 14, ...error, reason: 'An identifying detail of P01 from the private roster, t*********** (12 characters), would be published in this file', hint: dropIt('P01') },
      {
        file: 'dist/a.txt',
        line: 2,
        column: 33,
        severity: 'error',
        ruleId: 'no-quotes-participant-absent',
        reason: 'P05 has consent `no-quotes`, but their label would be published in this file',
        hint: 'Take every mention of P05 out of the report: a participant who declined to be quoted appears nowhere in it.',
      },
      { file: 'dist/b.html', line: 1, column: 4, ...error, reason: 'A real name of P05 from the private roster, K******* (8 characters), would be published in this file', hint: dropIt('P05') },
    ])
    expect(where(scanOutput({ files, participants: consents, roster, displayDir: 'site' }))[0]).toBe('site/a.txt:1:1 private-name-absent P01')
  })

  it('checks the label of anyone who declined to be quoted without a roster, every roster entry not named in participants.yml, and no one who agreed to be named', () => {
    const files = new Map([['a.txt', 'Grace Hopper, P03, P05 and Ahmed Khan']])
    const withOthers = parseRoster('roster.yml', `${rosterText}  - id: P09\n    names: [Ahmed Khan]\n`).roster!
    expect(where(scanOutput({ files, participants: consents, roster: withOthers }))).toEqual([
      'dist/a.txt:1:20 no-quotes-participant-absent P05',
      'dist/a.txt:1:28 private-name-absent P09',
    ])
    expect(where(scanOutput({ files, participants: consents, roster: undefined }))).toEqual(['dist/a.txt:1:20 no-quotes-participant-absent P05'])
    // Without participants.yml, no one agreed to be named.
    expect(where(scanOutput({ files, participants: [], roster: withOthers }))).toEqual(['dist/a.txt:1:1 private-name-absent P03', 'dist/a.txt:1:28 private-name-absent P09'])
    const named = [{ id: 'P03', consent: 'named' as const }]
    expect(scanOutput({ files, participants: named, roster: parseRoster('roster.yml', 'participants:\n  - id: P03\n    names: [Grace Hopper]\n').roster })).toEqual([])
  })

  it('reads nothing, and so reports nothing, when there is nothing to look for', () => {
    const files = new Map([['assets/data.json.gz', gzipSync(Buffer.alloc(40 * 1024 * 1024, 0x20))]])
    expect(scanOutput({ files, participants: [{ id: 'P03', consent: 'named' }], roster: undefined })).toEqual([])
    expect(where(scanOutput({ files, participants: consents, roster: undefined }))).toEqual(['dist/assets/data.json.gz:1:1 content-size-within-limit undefined'])
  })
})

describe('what the scan reads', () => {
  it('reads HTML as its visible text: tags and character references do not hide a name', () => {
    const files = new Map<string, string>([
      ['a.html', '<p>Jane <em>Doe</em></p>'],
      ['b.html', '<p>J&#x61;ne&nbsp;D&#111;e</p>'],
      ['c.json', '{"title":"jane   doe"}'],
      ['d.html', '<p>Janet Doerr and Mary-Jane Doet</p>'],
    ])
    const found = scanOutput({ files, participants: consents, roster })
    expect(found.map((m) => `${m.file}:${m.line}:${m.column}`)).toEqual(['dist/a.html:1:4', 'dist/b.html:1:4', 'dist/c.json:1:11'])
  })

  it('reads compressed files, such as the search index, uncompressed', () => {
    const files = new Map<string, Uint8Array>([
      ['pagefind/fragment/en_1.pf_fragment', gzipSync(Buffer.from('pagefind_dcd{"content":"Jane Doe ran the hub"}'))],
      ['raw.bin', deflateSync(Buffer.from('Jane Doe'))],
    ])
    expect(scanOutput({ files, participants: consents, roster }).map((m) => m.file)).toEqual(['dist/pagefind/fragment/en_1.pf_fragment'])
  })

  it('reads markup as written, without its tags, and with its tags as spaces, and any other file only as written', () => {
    const page = '<p>J<b></b>ane Doe,\n<td>Ed</td><td>Wu</td> <img alt="Kim Park"></p>'
    const names = parseRoster('roster.yml', 'participants:\n  - id: P01\n    names: [Jane Doe, Ed Wu]\n  - id: P05\n    names: [Kim Park]\n').roster!
    const kim = `2:${page.indexOf('Kim') - page.indexOf('\n')}`
    // Found as written (the attribute), then without the tags (Jane Doe), then with the tags as spaces (Ed Wu).
    const markup = (file: string) => [`dist/${file}:${kim} private-name-absent P05`, `dist/${file}:1:4 private-name-absent P01`, `dist/${file}:2:5 private-name-absent P01`]
    const plain = (file: string) => [`dist/${file}:${kim} private-name-absent P05`]
    const kinds = ['a.html', 'b.htm', 'c.xml', 'd.svg', 'E.HTML', 'f.txt', 'g.json', 'h.html.txt', 'i.html5']
    const found = scanOutput({ files: new Map(kinds.map((file) => [file, page])), participants: consents, roster: names })
    expect(where(found)).toEqual([...markup('E.HTML'), ...markup('a.html'), ...markup('b.htm'), ...markup('c.xml'), ...markup('d.svg'), ...plain('f.txt'), ...plain('g.json'), ...plain('h.html.txt'), ...plain('i.html5')])
  })

  it('places a match in markup where it was written, after character references and tags', () => {
    const files = new Map([
      ['a.html', '<p>&#x1D400; Jane Doe</p>'],
      ['b.html', '<div>\n<p>x&amp;y &lt;<br>J&#97;ne Doe</p>'],
      ['c.html', '<p>&#x1D400;<br>Jane Doe</p>'],
      // As browsers do, a numeric reference is read without its `;`.
      ['d.html', '<p>J&#97ne Doe</p>'],
    ])
    expect(where(scanOutput({ files, participants: consents, roster }))).toEqual([
      'dist/a.html:1:14 private-name-absent P01',
      'dist/b.html:2:20 private-name-absent P01',
      'dist/c.html:1:17 private-name-absent P01',
      'dist/d.html:1:4 private-name-absent P01',
    ])
  })

  it('reads a compressed file as what it inflates to, a page as a page, and a file that only looks compressed as it is', () => {
    const files = new Map<string, Uint8Array>([
      ['a/page.html.gz', gzipSync('<p>J<b></b>ane Doe</p>')],
      ['b/PAGE.HTM.GZ', gzipSync('<p>\nJ<b></b>ane Doe</p>')],
      ['c/notes.gz', Buffer.concat([Buffer.from([0x1f, 0x8b]), latin1('Jane Doe')])],
      // Only the last `.gz` is taken off: this is a page.
      ['d/page.gz.html.gz', gzipSync('<p>J<b></b>ane Doe</p>')],
    ])
    expect(where(scanOutput({ files, participants: consents, roster }))).toEqual([
      'dist/a/page.html.gz:1:4 private-name-absent P01',
      'dist/b/PAGE.HTM.GZ:2:1 private-name-absent P01',
      'dist/c/notes.gz:1:3 private-name-absent P01',
      'dist/d/page.gz.html.gz:1:4 private-name-absent P01',
    ])
  })

  it('reads a gzip inside a gzip through, and refuses one nested deeper than any tool makes', () => {
    let nested: Uint8Array = Buffer.from('Notes by Jane Doe')
    for (let i = 0; i < 4; i++) nested = gzipSync(nested)
    const deeper = gzipSync(nested)
    const found = scanOutput({ files: new Map([['data/notes.txt.gz.gz.gz.gz', nested], ['data/deeper.gz', deeper]]), participants: consents, roster })
    expect(where(found)).toEqual(['dist/data/deeper.gz:1:1 content-size-within-limit undefined', 'dist/data/notes.txt.gz.gz.gz.gz:1:10 private-name-absent P01'])
    expect(found[0]!.reason).toBe('The privacy guard cannot read this file in full: it is compressed more than 4 times over')
  })

  it('reads a file four gzips deep that only starts like a gzip as it is', () => {
    const nest = (content: Buffer) => [0, 1, 2, 3].reduce<Uint8Array>((inner) => gzipSync(inner), content)
    const files = new Map([
      ['data/first.gz.gz.gz.gz', nest(latin1('\x1f Jane Doe'))],
      ['data/second.gz.gz.gz.gz', nest(latin1('x\x8b Jane Doe'))],
    ])
    expect(where(scanOutput({ files, participants: consents, roster }))).toEqual([
      'dist/data/first.gz.gz.gz.gz:1:3 private-name-absent P01',
      'dist/data/second.gz.gz.gz.gz:1:4 private-name-absent P01',
    ])
  })

  it('reads gzips inside a gzip within one limit for all of them, not one limit each', () => {
    // 17 MB stored as it is, gzipped again: each layer inflates to 17 MB, 34 MB in all.
    const nested = gzipSync(gzipSync(Buffer.alloc(17 * 1024 * 1024, 0x20), { level: 0 }))
    const found = scanOutput({ files: new Map([['data/blank.txt.gz.gz', nested]]), participants: consents, roster })
    expect(where(found)).toEqual(['dist/data/blank.txt.gz.gz:1:1 content-size-within-limit undefined'])
    expect(found[0]!.reason).toBe('The privacy guard cannot read this file in full: its compressed text inflates to more than 32 MB')
  })

  it('reads a PDF as the text it shows', () => {
    const pdf = latin1('%PDF-1.7\n%\u00e2\u00e3\n1 0 obj\n<< /Author (Jane Doe) >>\nendobj\ntrailer\n<< /Root 1 0 R >>\n')
    const notPdf = latin1('%PDF1.7\n%\u00e2\u00e3\n1 0 obj\n<< /Author (Jane Doe) >>\nendobj\n')
    expect(where(scanOutput({ files: new Map([['report.pdf', pdf], ['report.txt', notPdf]]), participants: consents, roster }))).toEqual([
      'dist/report.pdf:1:1 private-name-absent P01',
      'dist/report.txt:4:13 private-name-absent P01',
    ])
  })

  it('reads a file of UTF-8 as text, in characters, and as UTF-16 too', () => {
    const files = new Map<string, Uint8Array>([
      ['a.txt', Buffer.from('\u00e9\nx\u00e9 Jane Doe')],
      ['b.html', Buffer.from('<p>\u00e9 J<b></b>ane Doe</p>')],
      ['c.bin', Buffer.concat([latin1('xy\n'), Buffer.from('Kim Park', 'utf16le')])],
    ])
    expect(where(scanOutput({ files, participants: consents, roster }))).toEqual([
      'dist/a.txt:2:4 private-name-absent P01',
      'dist/b.html:1:6 private-name-absent P01',
      'dist/c.bin:2:1 private-name-absent P05',
    ])
  })

  it('places a match in a binary file at its line, counting line feeds before it, and its byte', () => {
    const maltese = parseRoster('roster.yml', 'participants:\n  - id: P01\n    names: [Ċensu Borg]\n').roster!
    // In UTF-16LE, the first byte of `Ċ` is a line feed's: it does not start a line.
    const file = Buffer.concat([Buffer.from([0xff, 0xd8, 0x0a, 0xff]), latin1('ab\nxy'), Buffer.from('Ċensu Borg', 'utf16le'), Buffer.from([0xff, 0xd9])])
    const offset = file.indexOf(Buffer.from('Ċ', 'utf16le'))
    expect(file[offset]).toBe(0x0a)
    expect(where(scanOutput({ files: new Map([['photo.jpg', file]]), participants: consents, roster: maltese }))).toEqual([`dist/photo.jpg:3:3 private-name-absent P01`])
    expect(placeOfByte(file, offset)).toBe('3:3')
    const first = Buffer.concat([Buffer.from([0x0a, 0xff]), latin1(' Jane Doe')])
    expect(where(scanOutput({ files: new Map([['photo.jpg', first]]), participants: consents, roster }))).toEqual([`dist/photo.jpg:2:3 private-name-absent P01`])
  })

  it('reads UTF-16 text in a binary file in the scripts of the roster\'s own strings', () => {
    const roster = parseRoster('roster.yml', 'participants:\n  - id: P01\n    names: [王伟]\n    other: [مركز النور]\n').roster!
    const file = (text: string) => Buffer.concat([Buffer.from([0xff, 0xd8, 0xff]), Buffer.from(text, 'utf16le'), Buffer.from([0xff, 0xd9])])
    const files = new Map([
      ['a.jpg', file('王伟')],
      ['b.jpg', file('مركز النور')],
    ])
    expect(where(scanOutput({ files, participants: consents, roster }))).toEqual(['dist/a.jpg:1:4 private-name-absent P01', 'dist/b.jpg:1:4 private-name-absent P01'])
  })

  it('reads markup in time linear in its length, whatever the markup', () => {
    // Timed against ordinary prose of the same length, so that a slow or busy machine (or a mutation run) does not
    // matter: at these lengths, a path that is not linear is hundreds of times slower, not a few.
    const cost = (page: string) => {
      let best = Infinity
      for (let run = 0; run < 3; run++) {
        const started = performance.now()
        scanOutput({ files: new Map([['page.html', page]]), participants: consents, roster })
        best = Math.min(best, performance.now() - started)
      }
      return best
    }
    const prose = (length: number) => 'We talked about reviews. '.repeat(Math.ceil(length / 25)).slice(0, length)
    for (const page of ['<'.repeat(20_000), '<a '.repeat(10_000), '&#x'.repeat(10_000), `${'<b>'.repeat(10_000)}`, `${'&amp;'.repeat(6_000)}`]) {
      expect(cost(page)).toBeLessThan(20 * cost(prose(page.length)) + 50)
    }
  })

  it('finds nothing when no roster is given and no one declined to be quoted', () => {
    const files = new Map([['index.html', '<p>Jane Doe and P05</p>']])
    expect(scanOutput({ files, participants: [{ id: 'P01', consent: 'anonymous' }], roster: undefined })).toEqual([])
  })
})


describe('recognisable spellings in the output', () => {
  it('reads attribute values, URL encodings, character references, invisible characters and look-alike letters', () => {
    const files = new Map<string, string>([
      ['a.html', '<p>Her <a href="https://linkedin.com/in/jane&#45;doe">profile</a>.</p>'],
      ['b.json', '{"url":"https://example.org/J%61ne%2Edoe"}'],
      ['c.html', '<p>\n  As Ja&shy;ne Doe said.</p>'],
      ['d.html', '<p>Filed as Jane_Doe.</p>'],
      ['e.html', '<p>Thanks to J&#x430;ne D\u043ee.</p>'],
      ['f.json', '{"slug":"J%EF%BD%81ne-%EF%BC%A4oe"}'],
      ['g.html', '<p>&Jopf;ane Doe</p>'],
      ['h.svg', '<svg><title>Kim\u00a0P&#x0430;rk</title></svg>'],
      ['i.css', '/* by the_Oslo-hub */'],
      ['j.txt', 'jane.doe2@example.org'],
      ['k.html', `${'<'.repeat(100_000)} Jane Doe`],
    ])
    const found = scanOutput({ files, participants: consents, roster })
    const at = (file: string, written: string) => {
      const text = files.get(file)!
      const offset = text.indexOf(written)
      const line = text.slice(0, offset).split('\n').length
      return `dist/${file}:${line}:${offset - text.lastIndexOf('\n', offset - 1)} private-name-absent`
    }
    expect(found.map((m) => `${m.file}:${m.line}:${m.column} ${m.ruleId}`)).toEqual([
      at('a.html', 'jane&#45;doe'),
      at('b.json', 'J%61ne'),
      at('c.html', 'Ja&shy;ne'),
      at('d.html', 'Jane_Doe'),
      at('e.html', 'J&#x430;ne'),
      at('f.json', 'J%EF%BD%81ne'),
      at('g.html', '&Jopf;ane'),
      at('h.svg', 'Kim'),
      at('i.css', 'the_Oslo'),
      at('j.txt', 'jane.doe2'),
      at('k.html', 'Jane Doe'),
    ])
    expect(printed(found)).not.toMatch(/jane|doe|kim|park|oslo/i)
  })

  it('reads the label of a participant who declined to be quoted in full-width, look-alike and invisible spellings, and only in its own case', () => {
    const files = new Map<string, string>([
      ['a.html', '<p>As Ｐ０５ said.</p>'],
      ['b.html', '<p>As P&#8203;05 said.</p>'],
      ['c.json', '{"by":"\u042005"}'],
      ['d.html', '<p>p05, P050 and XP05 are not labels.</p>'],
    ])
    const found = scanOutput({ files, participants: consents, roster })
    expect(found.map((m) => `${m.file}:${m.line}:${m.column} ${m.ruleId}`)).toEqual([
      'dist/a.html:1:7 no-quotes-participant-absent',
      'dist/b.html:1:7 no-quotes-participant-absent',
      'dist/c.json:1:8 no-quotes-participant-absent',
    ])
    expect(found.map((m) => m.reason)).toEqual(Array(3).fill('P05 has consent `no-quotes`, but their label would be published in this file'))
  })

  it('reads image metadata in every encoding: PNG text chunks, compressed or not, an ICC profile, and UTF-16 strings', () => {
    const ztxt = png([['zTXt', Buffer.concat([latin1('Author'), nul, nul, deflateSync(latin1('Jane Doe'))])]])
    const itxt = png([['iTXt', Buffer.concat([latin1('Comment'), nul, Buffer.from([1, 0]), latin1('en'), nul, nul, deflateSync(Buffer.from('K\u0456m Park, photographer'))])]])
    const plainItxt = png([['iTXt', Buffer.concat([latin1('Title'), nul, Buffer.from([0, 0]), nul, nul, Buffer.from('The Oslo hub, at night')])]])
    const icc = png([['iCCP', Buffer.concat([latin1('Profile'), nul, nul, deflateSync(Buffer.concat([latin1('desc mluc'), utf16be('by Jane Doe')]))])]])
    const jpegLe = Buffer.concat([Buffer.from('ffd8ffe1', 'hex'), latin1('Exif\0\0\x9c\x9d'), Buffer.from('Jane Doe\0', 'utf16le'), Buffer.from('ffd9', 'hex')])
    const jpegBe = Buffer.concat([Buffer.from('ffd8ffe1', 'hex'), latin1('xmp\n'), utf16be('\u041aim Park'), Buffer.from('ffd9', 'hex')])
    const jpegOdd = Buffer.concat([Buffer.from('ffd8ffe1', 'hex'), latin1('odd'), Buffer.from('the Oslo hub', 'utf16le'), Buffer.from('ffd9', 'hex')])
    const files = new Map<string, Uint8Array>([
      ['a.png', ztxt],
      ['b.png', itxt],
      ['c.png', plainItxt],
      ['d.png', icc],
      ['e.jpg', jpegLe],
      ['f.jpg', jpegBe],
      ['g.jpg', jpegOdd],
    ])
    const found = scanOutput({ files, participants: consents, roster })
    expect(found.map((m) => `${m.file}:${m.line}:${m.column} ${m.reason.slice(0, m.reason.indexOf(' from'))}`)).toEqual([
      `dist/a.png:${placeOfByte(ztxt, ztxt.indexOf('zTXt') + 4)} A real name of P01`,
      `dist/b.png:${placeOfByte(itxt, itxt.indexOf('iTXt') + 4)} A real name of P05`,
      `dist/c.png:${placeOfByte(plainItxt, plainItxt.indexOf('The Oslo'))} An identifying detail of P01`,
      `dist/d.png:${placeOfByte(icc, icc.indexOf('iCCP') + 4)} A real name of P01`,
      `dist/e.jpg:${placeOfByte(jpegLe, jpegLe.indexOf(Buffer.from('Jane', 'utf16le')))} A real name of P01`,
      `dist/f.jpg:${placeOfByte(jpegBe, jpegBe.indexOf(utf16be('\u041aim')))} A real name of P05`,
      `dist/g.jpg:${placeOfByte(jpegOdd, jpegOdd.indexOf(Buffer.from('the', 'utf16le')))} An identifying detail of P01`,
    ])
    expect(printed(found)).not.toMatch(/jane|doe|kim|park|oslo/i)
  })

  it('does not take bytes that happen to read as accented letters for a short name', () => {
    const short = parseRoster('roster.yml', 'participants:\n  - id: P01\n    names: [Al]\n').roster!
    const noise = Buffer.concat([Buffer.from('ffd8', 'hex'), Buffer.from('\u00c0\u0141', 'utf16le'), latin1(' \u00c1L '), Buffer.from('ffd9', 'hex')])
    const named = Buffer.concat([Buffer.from('ffd8', 'hex'), latin1(' by Al '), Buffer.from('ffd9', 'hex')])
    // In a page, accented and look-alike letters are letters a reader reads, and a short name written with them is found.
    const page = '<p>\u00c1l and \u00c0\u0141 said</p>'
    const found = scanOutput({ files: new Map<string, string | Uint8Array>([['noise.jpg', noise], ['named.jpg', named], ['page.html', page]]), participants: consents, roster: short })
    expect(found.map((m) => `${m.file}:${m.line}:${m.column} ${m.ruleId}`)).toEqual([`dist/named.jpg:1:${named.indexOf('Al') + 1} private-name-absent`, 'dist/page.html:1:4 private-name-absent'])
  })

  it('does not inflate compressed text without limit, and fails rather than publish what it could not read', () => {
    const bomb = png([
      ['tEXt', Buffer.concat([latin1('Author'), nul, latin1('Jane Doe')])],
      ['zTXt', Buffer.concat([latin1('Comment'), nul, nul, deflateSync(Buffer.alloc(64 * 1024 * 1024, 0x20))])],
    ])
    const gzipped = gzipSync(Buffer.alloc(64 * 1024 * 1024, 0x20))
    const found = scanOutput({ files: new Map([['bomb.png', bomb], ['assets/data.json.gz', gzipped]]), participants: consents, roster })
    const unread = 'Publish it uncompressed or smaller, or leave it out: a file the guard cannot read could name a participant.'
    expect(found.map((m) => `${m.file}:${m.line}:${m.column} ${m.severity} ${m.ruleId} ${m.reason} | ${m.hint}`)).toEqual([
      `dist/assets/data.json.gz:1:1 error content-size-within-limit The privacy guard cannot read this file in full: its compressed text inflates to more than 32 MB | ${unread}`,
      `dist/bomb.png:${placeOfByte(bomb, bomb.indexOf('zTXt') + 4)} error content-size-within-limit The privacy guard cannot read this file in full: its compressed text inflates to more than 4 MB | ${unread}`,
      // What it could read, it still reads.
      `dist/bomb.png:${placeOfByte(bomb, bomb.indexOf('Jane'))} error private-name-absent A real name of P01 from the private roster, J******* (8 characters), would be published in this file | ${dropIt('P01')}`,
    ])
  })
})
