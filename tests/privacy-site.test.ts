// The privacy guard on what would be published, in real builds: a name that
// only the rendered pages, an image, a static file, the search index or the PDF
// spell out fails the build without being printed in full, and a participant
// who declined to be quoted appears nowhere in a site that is written, not
// even by label. The scan itself, called directly, is tests/privacy-output.test.ts.

import { deflateSync } from 'node:zlib'
import { readdir, readFile } from 'node:fs/promises'
import path from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { build } from '../src/build.js'
import { scanOutput } from '../src/privacy/output.js'
import { pdfText } from '../src/privacy/pdf.js'
import { parseRoster } from '../src/privacy/roster.js'
import { indexSearch } from '../src/write/search.js'
import { launchBrowser, type Browser } from './browser.js'
import { placeOfByte, png } from './bytes.js'
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

const nul = Buffer.alloc(1)
const latin1 = (text: string) => Buffer.from(text, 'latin1')

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
    expect([...everything.keys()].some((file) => /^pagefind\/[0-9a-f]+\/fragment\//.test(file))).toBe(true)
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

describe('what the published files show', () => {
  let browser: Browser | undefined
  afterAll(async () => {
    await browser?.close()
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
