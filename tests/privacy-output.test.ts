// The privacy guard on what would be published: every page, JSON file, the
// search index, the sitemap, CITATION.cff, images and static files, and the
// PDF's text. A roster name of someone who did not agree to be named fails
// the build without being printed in full; a participant who declined to be
// quoted appears nowhere, not even by label.

import { crc32, deflateSync, gzipSync } from 'node:zlib'
import { readdir, readFile } from 'node:fs/promises'
import path from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { build } from '../src/build.js'
import { scanOutput } from '../src/privacy/output.js'
import { pdfText } from '../src/privacy/pdf.js'
import { parseRoster } from '../src/privacy/roster.js'
import { indexSearch } from '../src/write/search.js'
import { launchBrowser, type Browser } from './browser.js'
import { buildProject, tempDir, writeFiles } from './helpers.js'

const participants = [
  'participants:',
  '  - id: P01',
  '    role: Maintainer',
  '    consent: anonymous',
  '  - id: P03',
  '    role: Founder',
  '    consent: named',
  '    name: Grace Hopper',
  '  - id: P05',
  '    role: Release manager',
  '    consent: no-quotes',
  '',
].join('\n')

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

const report = 'title: Private report\ndate: 2025-01-31\nsite_url: https://example.org/report/\n'
const chapter = (extra = '') =>
  `# Home\n\n:::finding{#slow-review}\n## Reviews are slow\n\n> Waiting is hard.\n> — P01\n\n> As the founder said, it was always so.\n> — P03\n:::\n\n${extra}\n`

async function project(files: Record<string, string | Buffer>, publicFiles?: Record<string, string>) {
  const dir = await tempDir()
  await writeFiles(dir, { 'roster.yml': rosterText })
  for (const [name, data] of Object.entries(files)) await writeFiles(path.join(dir, 'content'), { [name]: data as string })
  if (publicFiles) await writeFiles(path.join(dir, 'public'), publicFiles)
  const result = await build({
    contentDir: path.join(dir, 'content'),
    outDir: path.join(dir, 'dist'),
    privateRoster: path.join(dir, 'roster.yml'),
    ...(publicFiles ? { publicDir: path.join(dir, 'public') } : {}),
  })
  return { dir, result, out: path.join(dir, 'dist') }
}

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

describe('the output scan in a real build', () => {
  it('fails the build on a roster name that only the rendered page spells out, masking it', async () => {
    // Empty inline tags hide the name from the content check (which reads character references); the page shows it in full.
    const { result } = await project({ 'report.yml': report, 'participants.yml': participants, 'index.md': chapter('Thanks to J<b></b>ane D<i></i>oe for the photos.') })
    expect(result.written).toBe(false)
    const found = result.messages.filter((m) => m.ruleId === 'private-name-absent')
    expect(found.map((m) => m.file)).toContain('dist/index.html')
    expect(found.find((m) => m.file === 'dist/index.html')!.reason).toBe(
      'A real name of P01 from the private roster, J******* (8 characters), would be published in this file',
    )
    expect(found.every((m) => m.line > 1)).toBe(true)
    expect(printed(result.messages)).not.toMatch(/Jane|Doe/)
  })

  it('finds a name in an image the report publishes, and in a static file', async () => {
    const png = Buffer.concat([Buffer.from('89504e470d0a1a0a', 'hex'), Buffer.from('tEXtAuthor\u0000Jane Doe\u0000'), Buffer.alloc(16)])
    const image = await project({ 'report.yml': report, 'participants.yml': participants, 'index.md': chapter('![The hub at night](night.png)'), 'night.png': png })
    expect(image.result.written).toBe(false)
    expect(image.result.messages.filter((m) => m.ruleId === 'private-name-absent').map((m) => m.file)).toEqual(['dist/night.png'])
    const statics = await project({ 'report.yml': report, 'participants.yml': participants, 'index.md': chapter() }, { 'assets/style.css': '/* styles by the Oslo hub team */\nbody {}\n' })
    expect(statics.result.messages.filter((m) => m.ruleId === 'private-name-absent').map((m) => `${m.file} ${m.reason.slice(0, 33)}`)).toEqual([
      'dist/assets/style.css An identifying detail of P01 from',
    ])
    expect(printed(statics.result.messages)).not.toContain('Oslo')
  })

  it('publishes the name of a participant who agreed to be named, and no roster string of anyone else', async () => {
    const { result, out } = await project({ 'report.yml': report, 'participants.yml': participants, 'index.md': chapter() })
    expect(result.messages.filter((m) => m.severity !== 'info')).toEqual([])
    expect(result.written).toBe(true)
    const everything = await readAll(out)
    expect([...everything.keys()]).toEqual(expect.arrayContaining(['sitemap.xml', 'CITATION.cff', 'assets/previews.json', 'participants/index.html']))
    expect([...everything.keys()].some((file) => file.startsWith('pagefind/fragment/'))).toBe(true)
    const all = [...everything.values()].join('\n')
    expect(all).toContain('Grace Hopper')
    expect(all).not.toMatch(/Jane Doe|Oslo hub|Kim Park/)
  })
})

describe('a participant who declined to be quoted', () => {
  it('appears nowhere in the published site, not even by label', async () => {
    const { result, out } = await project({ 'report.yml': report, 'participants.yml': participants, 'index.md': chapter() })
    expect(result.written).toBe(true)
    const everything = await readAll(out)
    const mentions = [...everything].filter(([, text]) => /(?<![\p{L}\p{N}])P05(?![\p{L}\p{N}])|Release manager/u.test(text)).map(([file]) => file)
    expect(mentions).toEqual([])
    // Their label is in participants.yml; the participants page still lists the others.
    expect(everything.get('participants/index.html')).toContain('P01')
  })

  it('fails the build when a chapter mentions their label, at its place in the page', async () => {
    const { result } = await project({ 'report.yml': report, 'participants.yml': participants, 'index.md': chapter('As P05 put it, the rota never worked.') })
    expect(result.written).toBe(false)
    const found = result.messages.filter((m) => m.ruleId === 'no-quotes-participant-absent')
    expect(found.map((m) => m.file).sort()).toEqual(['dist/full-report/index.html', 'dist/index.html'])
    expect(found[0]!.reason).toBe('P05 has consent `no-quotes`, but their label would be published in this file')
  })
})

describe('what the scan reads', () => {
  let browser: Browser | undefined
  afterAll(async () => {
    await browser?.close()
  })

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

  it('finds a name in a real Pagefind index made from the pages', async () => {
    const search = await indexSearch({ files: new Map([['index.html', '<html><body><main><h1>Notes</h1><p>Interview with Kim Park in March.</p></main></body></html>']]), items: [] })
    expect(search.messages).toEqual([])
    const found = scanOutput({ files: search.files, participants: consents, roster })
    expect(found.length).toBeGreaterThan(0)
    expect(found.every((m) => m.file.startsWith('dist/pagefind/'))).toBe(true)
    expect(printed(found)).not.toContain('Park')
  })

  it('reads the text of a PDF printed by Chromium, where glyphs are not letters', async () => {
    browser = await launchBrowser()
    const page = await browser.context.newPage()
    await page.setContent('<h1>Full report</h1><p>We thank Jane Doe, Zoë Åström and the café team.</p><p style="font-family: serif">Later, Kim</p><p>Park wrote.</p>')
    const pdf = await page.pdf({ format: 'A4' })
    await page.close()
    expect(Buffer.from(pdf).toString('latin1')).not.toContain('Jane Doe')
    const text = pdfText(pdf)
    expect(text).toContain('We thank Jane Doe, Zoë Åström and the café team.')
    const found = scanOutput({ files: new Map([['report.pdf', pdf]]), participants: consents, roster })
    expect(found.map((m) => m.reason.slice(0, 28)).sort()).toEqual(['A real name of P01 from the ', 'A real name of P05 from the '])
  })

  it('finds nothing when no roster is given and no one declined to be quoted', () => {
    const files = new Map([['index.html', '<p>Jane Doe and P05</p>']])
    expect(scanOutput({ files, participants: [{ id: 'P01', consent: 'anonymous' }], roster: undefined })).toEqual([])
  })
})

async function readAll(dir: string): Promise<Map<string, string>> {
  const { gunzipSync } = await import('node:zlib')
  const files = new Map<string, string>()
  for (const entry of await readdir(dir, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile()) continue
    const full = path.join(entry.parentPath, entry.name)
    const bytes = await readFile(full)
    const text = bytes[0] === 0x1f && bytes[1] === 0x8b ? gunzipSync(bytes).toString('utf8') : bytes.toString('utf8')
    files.set(path.relative(dir, full).split(path.sep).join('/'), text)
  }
  return files
}

/** Where a byte of a binary file is, counting lines at line feeds and columns in bytes, as the scan reports it. */
function placeOfByte(bytes: Buffer, offset: number): string {
  const before = bytes.subarray(0, offset)
  return `${before.filter((b) => b === 0x0a).length + 1}:${offset - (before.lastIndexOf(0x0a) + 1) + 1}`
}

/** A PNG made of the given chunks, each with its length and checksum. */
function png(chunks: [string, Buffer][]): Buffer {
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

const nul = Buffer.alloc(1)
const latin1 = (text: string) => Buffer.from(text, 'latin1')
const utf16be = (text: string) => Buffer.from(text, 'utf16le').swap16()

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
    const started = performance.now()
    const found = scanOutput({ files, participants: consents, roster })
    expect(performance.now() - started).toBeLessThan(3000)
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
    const found = scanOutput({ files: new Map([['noise.jpg', noise], ['named.jpg', named]]), participants: consents, roster: short })
    expect(found.map((m) => `${m.file}:${m.line}:${m.column} ${m.ruleId}`)).toEqual([`dist/named.jpg:1:${named.indexOf('Al') + 1} private-name-absent`])
  })

  it('does not inflate compressed text without limit, and fails rather than publish what it could not read', () => {
    const bomb = png([['zTXt', Buffer.concat([latin1('Comment'), nul, nul, deflateSync(Buffer.alloc(64 * 1024 * 1024, 0x20))])]])
    const gzipped = gzipSync(Buffer.alloc(64 * 1024 * 1024, 0x20))
    const started = performance.now()
    const found = scanOutput({ files: new Map([['bomb.png', bomb], ['assets/data.json.gz', gzipped]]), participants: consents, roster })
    expect(performance.now() - started).toBeLessThan(5000)
    expect(found.map((m) => `${m.file}:${m.line}:${m.column} ${m.ruleId}`)).toEqual([
      'dist/assets/data.json.gz:1:1 content-size-within-limit',
      `dist/bomb.png:${placeOfByte(bomb, bomb.indexOf('zTXt') + 4)} content-size-within-limit`,
    ])
  })

  it('fails a real build on a name in an image\'s compressed metadata, which only the output shows', async () => {
    const photo = png([['zTXt', Buffer.concat([latin1('Author'), nul, nul, deflateSync(latin1('J\u00e1ne_D\u00f3e'))])]])
    const { result } = await buildProject(
      { 'report.yml': report, 'participants.yml': participants, 'index.md': chapter('![The hub at night](night.png)'), 'night.png': photo as unknown as string },
      { roster: rosterText },
    )
    expect(result.written).toBe(false)
    expect(result.messages.filter((m) => m.severity === 'error').map((m) => `${m.file}:${m.line}:${m.column} ${m.ruleId}`)).toEqual([
      `dist/night.png:${placeOfByte(photo, photo.indexOf('zTXt') + 4)} private-name-absent`,
    ])
    expect(printed(result.messages)).not.toMatch(/jane|jáne|doe|dóe/i)
  })
})
