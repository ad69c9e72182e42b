// The per-chapter work shared among worker threads gives the very site one
// thread builds: every file, byte for byte, and the same messages.

import { readdirSync, rmSync, writeFileSync } from 'node:fs'
import { mkdir, writeFile } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { pathToFileURL } from 'node:url'
import { describe, expect, it, vi } from 'vitest'
import { generateCorpus, writeCorpus } from '../bench/corpus.js'
import { build } from '../src/build.js'
import { startPool, threadsFor, threadThreshold, workerHeapMb } from '../src/parallel/pool.js'
import { loadSources } from '../src/load/files.js'
import { allEntries, settleEntries, writeEntry } from '../src/cache/packs.js'
import { loadTemplates } from '../src/load/templates.js'
import { buildSite, buildSiteInParallel } from '../src/pipeline.js'
import { parseChapter } from '../src/markdown/parse.js'
import { loadPlugins } from '../src/plugins/load.js'
import { Spool } from '../src/parallel/spool.js'
import { bytesOf, textOf, TextFiles } from '../src/parallel/text.js'
import type { SourceFile } from '../src/load/files.js'
import { readSite, repoRoot, tempDir } from './helpers.js'

// Pools are counted: a build whose chapters the parse store holds needs none.
vi.mock('../src/parallel/pool.js', async (importOriginal) => {
  const pool = await importOriginal<typeof import('../src/parallel/pool.js')>()
  return { ...pool, startPool: vi.fn(pool.startPool) }
})

async function buildBoth(contentDir: string) {
  const dir = await tempDir()
  const one = await build({ contentDir, outDir: path.join(dir, 'one'), threads: 1 })
  const two = await build({ contentDir, outDir: path.join(dir, 'two'), threads: 2 })
  return { one, two, files: { one: await readSite(path.join(dir, 'one')), two: await readSite(path.join(dir, 'two')) } }
}

/** A synthetic report of `pages` chapters written to a folder of its own, loaded, with the built-in templates. */
async function corpus(pages: number, seed: number) {
  const dir = await tempDir()
  await writeCorpus(path.join(dir, 'report'), generateCorpus({ pages, seed }).report)
  return { dir, sources: await loadSources({ contentDir: path.join(dir, 'report') }), templates: await loadTemplates(path.join(repoRoot, 'templates')) }
}

function expectSameSite(built: Awaited<ReturnType<typeof buildBoth>>) {
  expect(built.one.written).toBe(true)
  expect(built.two.written).toBe(true)
  expect(built.two.messages).toEqual(built.one.messages)
  expect([...built.files.two.keys()].sort()).toEqual([...built.files.one.keys()].sort())
  const differing = [...built.files.one].filter(([name, bytes]) => !bytes.equals(built.files.two.get(name)!)).map(([name]) => name)
  expect(differing).toEqual([])
}

describe('building with worker threads', () => {
  it('gives the default report byte for byte', async () => {
    expectSameSite(await buildBoth(path.join(repoRoot, 'content')))
  }, 120_000)

  it('gives a generated report with findings, quotes and cross-references byte for byte', async () => {
    const content = path.join(await tempDir(), 'content')
    await writeCorpus(content, generateCorpus({ pages: 40, seed: 7 }).report)
    const built = await buildBoth(content)
    expectSameSite(built)
    expect(built.one.pages.length).toBeGreaterThan(40)
  }, 120_000)

  it('gives a MyST project byte for byte', async () => {
    expectSameSite(await buildBoth(path.join(repoRoot, 'tests', 'fixtures', 'myst-all')))
  }, 120_000)

  it('starts threads only for reports long enough to gain from them, one per half threshold, up to the cores and 8', () => {
    const file = (size: number) => ({ path: 'a.md', display: 'content/a.md', text: 'x'.repeat(size) })
    // The choice depends on the machine: pretend to be one with 4 cores, then one with 16.
    const cores = vi.spyOn(os, 'availableParallelism').mockReturnValue(4)
    try {
      expect(threadsFor([file(threadThreshold - 1)])).toBe(1)
      expect(threadsFor([file(threadThreshold)])).toBe(2)
      expect(threadsFor([file(threadThreshold / 2), file(threadThreshold)])).toBe(3)
      expect(threadsFor([file(threadThreshold * 4)])).toBe(4)
      cores.mockReturnValue(16)
      expect(threadsFor([file(threadThreshold * 4)])).toBe(8)
      expect(threadsFor([file(threadThreshold * 40)])).toBe(8)
      cores.mockReturnValue(1)
      expect(threadsFor([file(threadThreshold * 4)])).toBe(1)
    } finally {
      cores.mockRestore()
    }
    expect(threadsFor([file(10)], 3)).toBe(3)
    expect(threadsFor([file(threadThreshold * 4)], 0)).toBe(1)
  })

  it('holds each worker to a heap that grows with its share of the text', () => {
    expect(workerHeapMb(0)).toBe(384)
    expect(workerHeapMb(40 * 1024 * 1024)).toBe(384 + 240)
  })

  it('does the work again in one thread when a worker runs out of its heap, and gives the same site', async () => {
    const { sources, templates } = await corpus(40, 5)
    // A heap this small cannot hold a worker's share: the pool reports it as such.
    const pool = await startPool(2, [], 0, 4)
    const chapters = sources.markdown.map((source, i) => ({ chapter: { source, slug: `c${i}` } as never, i }))
    const failure = await pool.collect({ dialect: 'report', chapters, markdown: [], outsideLinks: [] }).catch((error: NodeJS.ErrnoException) => error.code)
    await pool.close()
    expect(failure).toBe('ERR_WORKER_OUT_OF_MEMORY')

    const alone = buildSite(sources, templates)
    const fallen = await buildSiteInParallel(sources, templates, { threads: 2, workerHeapMb: 4 })
    expect(fallen.messages).toEqual(alone.messages)
    expect([...fallen.files]).toEqual([...alone.files])

    // A build keeps the chapter pages as bytes, in this thread too: the same pages.
    const compact = buildSite(sources, templates, { pagesAsBytes: true })
    expect([...compact.files]).toEqual([...alone.files])
    const kept = new Map(compact.files.raw())
    expect(kept.get('chapters/ch-00001/index.html')).toBeInstanceOf(Uint8Array)
    expect(new Map(alone.files.raw()).get('chapters/ch-00001/index.html')).toBeTypeOf('string')
  }, 120_000)
})

describe('pages set aside while the threads run', () => {
  /** Run `test` with the temporary folder at `dir`. */
  const inTemporary = async (dir: string, test: () => void | Promise<void>) => {
    const tmp = process.env['TMPDIR']
    process.env['TMPDIR'] = dir
    try {
      await test()
    } finally {
      if (tmp === undefined) delete process.env['TMPDIR']
      else process.env['TMPDIR'] = tmp
    }
  }

  it('writes bytes and text aside in a file gone from its folder, leaves them empty in the page, and puts them back whole', async () => {
    const tmp = await tempDir()
    await inTemporary(tmp, () => {
      const spool = new Spool()
      const pages = [
        { html: bytesOf('<p>One — a dash</p>'), section: bytesOf('<p>Body</p>') },
        { html: bytesOf('<p>Two</p>'), section: undefined },
        { html: 'text — with a dash, and “quotes”', section: new Uint8Array(0) },
        { html: '', section: 7 },
      ]
      const before = pages.map((page) => ({ ...page }))
      for (const page of pages) spool.setAside(page, ['html', 'section'])
      expect(pages[0]!.html).toHaveLength(0)
      expect(pages[0]!.section).toHaveLength(0)
      expect(pages[2]!.html).toBe('')
      expect(pages[3]!.section).toBe(7)
      // Open, the file is gone from its folder already: a build killed now leaves nothing behind.
      expect(readdirSync(tmp)).toEqual(process.platform === 'win32' ? [expect.stringMatching(/^fieldnotes-pages-/)] : [])
      spool.restore()
      expect(pages).toEqual(before)
      expect(textOf(pages[0]!.html)).toBe('<p>One — a dash</p>')
      expect(pages[2]!.html).toBe('text — with a dash, and “quotes”')
      expect(readdirSync(tmp)).toEqual([])
    })
  })

  it('keeps the bytes where they are when no temporary folder can be written', async () => {
    await inTemporary(path.join(os.tmpdir(), 'no-such-folder', 'below'), () => {
      const spool = new Spool()
      const page = { html: bytesOf('<p>Stays</p>') }
      spool.setAside(page, ['html'])
      expect(textOf(page.html)).toBe('<p>Stays</p>')
      spool.restore()
      expect(textOf(page.html)).toBe('<p>Stays</p>')
    })
  })

  it('sets the finish round’s pages aside in a build on two threads, which gives the site one thread gives', async () => {
    const { sources, templates } = await corpus(12, 6)
    const setAside = vi.spyOn(Spool.prototype, 'setAside')
    try {
      const two = await buildSiteInParallel(sources, templates, { threads: 2, pagesAsBytes: true })
      expect(setAside.mock.calls.length).toBeGreaterThanOrEqual(12)
      const one = buildSite(sources, templates, { pagesAsBytes: true })
      expect([...two.files]).toEqual([...one.files])
    } finally {
      setAside.mockRestore()
    }
  }, 60_000)
})

describe('the chapters’ text let go of once collected', () => {
  it('is emptied in a build on two threads that asks for it, which gives the site one thread gives', async () => {
    const { sources, templates } = await corpus(12, 8)
    const one = buildSite(sources, templates, { pagesAsBytes: true })
    const texts = sources.markdown.map((file) => file.text)
    const two = await buildSiteInParallel(sources, templates, { threads: 2, pagesAsBytes: true, releaseTexts: true })
    expect([...two.files]).toEqual([...one.files])
    expect(two.messages).toEqual(one.messages)
    expect(texts.every((text) => text.length > 0)).toBe(true)
    expect(sources.markdown.map((file) => file.text)).toEqual(texts.map(() => ''))
  }, 60_000)

  it('is put back for the one-thread build when a worker runs out of its heap in the finish round', async () => {
    const { dir, sources, templates } = await corpus(12, 9)
    // A rehype plugin (it runs in the finish round only) that fills a worker thread's heap, and does nothing in this one.
    const file = path.join(dir, 'hog.mjs')
    writeFileSync(
      file,
      "import { isMainThread } from 'node:worker_threads'\nconst kept = []\nexport default function hog() { return () => { if (!isMainThread) for (;;) kept.push(new Array(100000).fill(kept.length)) } }\n",
    )
    const spec = { phase: 'rehype', name: './hog.mjs', options: undefined, file: 'report/report.yml', place: { line: 1, column: 1 }, url: pathToFileURL(file).href, version: 'test' } as const
    const loaded = await loadPlugins([spec])
    const plugins = { specs: loaded.loaded, loaded: loaded.plugins }
    const texts = sources.markdown.map((file) => file.text)
    const alone = buildSite(sources, templates, { pagesAsBytes: true, plugins })
    const fallen = await buildSiteInParallel(sources, templates, { threads: 2, workerHeapMb: 64, pagesAsBytes: true, releaseTexts: true, plugins })
    expect([...fallen.files]).toEqual([...alone.files])
    expect(fallen.messages).toEqual(alone.messages)
    // The one-thread build had the text back, and the caller is left with what one thread leaves it.
    expect(sources.markdown.map((file) => file.text)).toEqual(texts)
  }, 120_000)
})

describe('the full report', () => {
  it('takes the sections kept as bytes into the generator’s own template as they are, and renders an overridden one from their text', async () => {
    const { sources, templates } = await corpus(6, 4)
    const file = 'full-report/index.html'
    const asText = buildSite(sources, templates)
    const asBytes = buildSite(sources, templates, { pagesAsBytes: true })
    expect(new Map(asBytes.files.raw()).get(file)).toBeInstanceOf(Uint8Array)
    expect(asBytes.files.get(file)).toBe(asText.files.get(file))
    // The other pages made in this thread, and the files for machines, are kept as bytes too, and are the same.
    const kept = new Map(asBytes.files.raw())
    for (const made of ['findings/index.html', 'evidence/index.html', 'assets/previews.json']) expect(kept.get(made), made).toBeInstanceOf(Uint8Array)
    expect([...kept].filter(([, text]) => typeof text === 'string').map(([name]) => name)).toEqual([])
    expect([...asBytes.files]).toEqual([...asText.files])
    expect(asBytes.files.get(file)).toContain('id="chapters-ch-00001--background"')

    // An override may do anything with a section's text: it is given the text.
    const shouting = templates.get('full-report.liquid')!.replaceAll('{{ s.content | raw }}', '{{ s.content | raw | replace: "Background", "BACKGROUND" }}')
    const overridden = buildSite(sources, new Map([...templates, ['full-report.liquid', shouting]]), { pagesAsBytes: true, templateOverrides: { 'full-report.liquid': 'report/templates/full-report.liquid' } })
    expect(overridden.files.get(file)).toContain('BACKGROUND')
    expect(overridden.files.get(file)).not.toContain('Background')
  })
})

describe('a build with a parse store', () => {
  it('starts no threads when the store holds every chapter, and makes the same site from it', async () => {
    const dir = await tempDir()
    // Four chapters of long text: together past the threshold where threads pay for themselves.
    const paragraph = (n: number) => `Paragraph ${n} says what the interview said about waiting for reviews, at length.\n\n`
    const chapter = (c: number) => `# Chapter ${c}\n\n${Array.from({ length: Math.ceil(threadThreshold / 4 / paragraph(0).length) + 1 }, (_, n) => paragraph(n)).join('')}`
    await mkdir(path.join(dir, 'report'), { recursive: true })
    await writeFile(path.join(dir, 'report', 'report.yml'), 'title: Long chapters\ntoc:\n  - file: c1.md\n  - file: c2.md\n  - file: c3.md\n  - file: c4.md\n')
    for (let c = 1; c <= 4; c++) await writeFile(path.join(dir, 'report', `c${c}.md`), chapter(c))
    const sources = await loadSources({ contentDir: path.join(dir, 'report') })
    const templates = await loadTemplates(path.join(repoRoot, 'templates'))
    expect(threadsFor(sources.markdown)).toBeGreaterThanOrEqual(2)
    const parsed = { folder: path.join(dir, 'parses'), keys: new Map(sources.markdown.map((file, i) => [file.path, `parse-${i}`])) }
    const pools = vi.mocked(startPool)
    const before = pools.mock.calls.length

    const first = await buildSiteInParallel(sources, templates, { parsed, keepParses: true })
    expect(pools.mock.calls.length - before).toBe(1)
    expect([...allEntries(parsed.folder).keys()].sort()).toEqual([...parsed.keys.values()].sort())
    const again = await buildSiteInParallel(sources, templates, { parsed, keepParses: true })
    expect(pools.mock.calls.length - before).toBe(1)
    expect([...again.files.keys()]).toEqual([...first.files.keys()])
    for (const [name, text] of first.files) expect(again.files.get(name), name).toBe(text)
  }, 120_000)
})

describe('between the rounds', () => {
  // A chapter's tree is read back from the parse store for its page, not held from the collect round: what the
  // store holds when the page is made is what the page shows, and a parse gone from it is made again.
  it('takes each tree from the parse store for its page, and parses a chapter again whose parse is gone', async () => {
    const { dir, sources, templates } = await corpus(6, 3)
    const [first, second] = sources.markdown.filter((file) => file.path.startsWith('chapters/'))
    const keys = new Map(sources.markdown.map((file, i) => [file.path, `parse-${i}`]))
    const parsed = (name: string) => ({ folder: path.join(dir, name), keys })
    const word = /^## Background$/m
    expect(first!.text).toMatch(word)
    expect(second!.text).toMatch(word)

    // Once the last chapter is parsed, every other parse is in the store: the first one's is changed there, the
    // second one's taken away.
    const last = sources.markdown.at(-1)!
    const parses: string[] = []
    const parse = (file: SourceFile) => {
      parses.push(file.path)
      if (file === last && parses.length === sources.markdown.length) {
        // What the round has written so far is sealed, and the store made again without the second chapter's.
        const store = parsed('store').folder
        settleEntries()
        const entries = allEntries(store)
        expect(entries.has(keys.get(second!.path)!)).toBe(true)
        for (const name of readdirSync(store)) rmSync(path.join(store, name))
        for (const [key, json] of entries) {
          if (key === keys.get(first!.path)) writeEntry(store, key, json.replaceAll('Background', 'CHANGED-IN-STORE'))
          else if (key !== keys.get(second!.path)) writeEntry(store, key, json)
        }
        settleEntries()
      }
      return parseChapter(file)
    }
    const site = buildSite(sources, templates, { parse, parsed: parsed('store'), keepParses: true })
    const plain = buildSite(sources, templates)
    const page = (built: typeof site, file: SourceFile) => built.files.get(`${file.path.replace(/\.md$/, '')}/index.html`)
    expect(page(plain, first!)).toBeDefined()
    expect(page(site, first!)).toContain('CHANGED-IN-STORE')
    expect(page(plain, first!)).not.toContain('CHANGED-IN-STORE')
    // The second chapter was parsed twice, and its page is as a build without the store makes it.
    expect(parses.filter((p) => p === second!.path)).toHaveLength(2)
    expect(parses.filter((p) => p === first!.path)).toHaveLength(1)
    expect(page(site, second!)).toBe(page(plain, second!))
  }, 60_000)
})

describe('the site files', () => {
  it('keeps pages given as bytes as bytes, and gives them out as text, in order', () => {
    const files = new TextFiles()
    const bytes = new TextEncoder().encode('<p>“Quoted” — bytes</p>')
    files.set('a.html', '<p>a</p>')
    files.setText('b.html', bytes)
    files.setText('c.html', '<p>c</p>')
    expect(files.get('b.html')).toBe('<p>“Quoted” — bytes</p>')
    expect([...files]).toEqual([['a.html', '<p>a</p>'], ['b.html', '<p>“Quoted” — bytes</p>'], ['c.html', '<p>c</p>']])
    expect([...files.values()]).toEqual(['<p>a</p>', '<p>“Quoted” — bytes</p>', '<p>c</p>'])
    expect(new Map(files)).toEqual(new Map([['a.html', '<p>a</p>'], ['b.html', '<p>“Quoted” — bytes</p>'], ['c.html', '<p>c</p>']]))
    const seen: string[] = []
    files.forEach((text, file) => seen.push(`${file}=${text}`))
    expect(seen).toEqual(['a.html=<p>a</p>', 'b.html=<p>“Quoted” — bytes</p>', 'c.html=<p>c</p>'])
    // As kept: the bytes themselves, not a copy.
    expect(new Map(files.raw()).get('b.html')).toBe(bytes)
    // Text set over bytes replaces them; a removed file is gone from both.
    files.set('b.html', 'text')
    expect(files.get('b.html')).toBe('text')
    expect(new Map(files.raw()).get('b.html')).toBe('text')
    files.setText('c.html', bytes)
    files.delete('c.html')
    expect(files.has('c.html')).toBe(false)
    expect(files.get('c.html')).toBeUndefined()
    expect([...files.raw()].map(([file]) => file)).toEqual(['a.html', 'b.html'])
    expect(textOf(bytesOf('“x”'))).toBe('“x”')
  })
})

