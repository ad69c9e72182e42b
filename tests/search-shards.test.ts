// The search index in shards: which pages are indexed together, what names a
// shard, and that a shard made before is taken as it is, by the build from the
// site it replaces and by the preview from memory, so that Pagefind indexes
// only the shards whose pages changed. Pagefind is real; the requests sent to
// its services are watched to count the indexes they make.

import { mkdir, readdir, readFile, rm, symlink, writeFile } from 'node:fs/promises'
import path from 'node:path'
import { beforeAll, describe, expect, it, vi } from 'vitest'
import { build } from '../src/build.js'
import { PreviewSearch, type IndexedSearch, type SearchSource } from '../src/dev/search.js'
import type { SiteBuild } from '../src/pipeline.js'
import { indexSearch, pagefindEntry, pagefindVersion, searchedPart, shardList, type SearchInput } from '../src/write/search.js'
import { planShards, type ShardPage, type ShardRecord } from '../src/write/shards.js'
import { buildInMemory, buildProject, tempDir } from './helpers.js'

/**
 * Every copy of Pagefind's Node API the build loads (one per service: search.ts) sends its requests through the one
 * service module, found here by file as the build finds it.
 */
const { PagefindService } = (await import(new URL('service.js', (await pagefindEntry())!).href)) as {
  PagefindService: { prototype: { sendMessage: (message: { type: string }) => void; returnValue: (id: number, response: unknown) => void } }
}
const requests = vi.spyOn(PagefindService.prototype, 'sendMessage')
const answers = vi.spyOn(PagefindService.prototype, 'returnValue')

// The build and the preview make shards of about three chapters here, so that a short report has several.
vi.mock('../src/write/search.js', async (importOriginal) => {
  const search = await importOriginal<typeof import('../src/write/search.js')>()
  return { ...search, indexSearch: (input: SearchInput) => search.indexSearch({ shardSize: 3, ...input }) }
})

/** How many indexes Pagefind has been asked to make, so far. */
const indexesMade = () => requests.mock.calls.filter(([message]) => message.type === 'NewIndex').length

const participants = 'participants:\n  - id: P01\n    role: Tea maker\n    consent: anonymous\n'

const visit = (n: number, extra = '') => `# Visit ${n}

Notes from visit ${n} to the tea room.${extra}

:::finding{#visit-${n}}
## What visit ${n} showed

The kettle was full on visit ${n}.

> We always meet there.
> — P01
:::
`

/** A report of `count` chapters; `edits` adds a sentence to the chapters it names. */
const report = (count: number, edits: Record<number, string> = {}): Record<string, string> => ({
  'report.yml': 'title: Tea room visits\n',
  'participants.yml': participants,
  ...Object.fromEntries(Array.from({ length: count }, (_, i) => [`visits/v${String(i + 1).padStart(2, '0')}.md`, visit(i + 1, edits[i + 1] ?? '')])),
})

const pageText = (content: string | Uint8Array) => (typeof content === 'string' ? content : new TextDecoder().decode(content))

const inputOf = (site: SiteBuild): SearchInput => ({ files: site.files, items: site.items, language: site.model.lang, authored: site.authored, chapters: site.index.pages })

describe('planning shards', () => {
  const page = (file: string, text = file): [string, ShardPage] => [file, { url: `/${file.replace(/index\.html$/, '')}`, content: `<main>${text}</main>` }]
  const chapters = (count: number) => Array.from({ length: count }, (_, i) => `c${String(i).padStart(3, '0')}/index.html`)
  const others = ['index.html', 'participants/index.html']
  const plan = (ordered: string[], size: number, options: { basis?: string; texts?: Record<string, string>; records?: { page: string; record: ShardRecord }[] } = {}) =>
    planShards({
      pages: new Map([...others, ...ordered].map((file) => page(file, options.texts?.[file]))),
      chapters: ordered,
      records: options.records ?? [],
      size,
      basis: options.basis ?? 'pagefind 1.6.0',
    })
  const record = (page: string, title: string) => ({ page, record: { url: `/${page.replace(/index\.html$/, '')}#${title}`, content: title, language: 'en', meta: { title }, filters: {} } })

  it('keeps a site with no more pages than a shard holds in one shard', () => {
    const shards = plan(chapters(3), 5)
    expect(shards.map((s) => s.pages.map((p) => p.url))).toEqual([['/', '/participants/', '/c000/', '/c001/', '/c002/']])
  })

  it('cuts the chapters into runs in reading order, of half to twice the size, the other pages in the first', () => {
    const ordered = chapters(200)
    const shards = plan(ordered, 8)
    expect(shards.flatMap((s) => s.pages.map((p) => p.url))).toEqual(['/', '/participants/', ...ordered.map((c) => `/${c.replace('index.html', '')}`)])
    const runs = shards.map((s, at) => s.pages.length - (at === 0 ? others.length : 0))
    // The last run ends where the chapters do.
    for (const run of runs.slice(0, -1)) expect(run).toBeGreaterThanOrEqual(4)
    for (const run of runs) expect(run).toBeLessThanOrEqual(16)
    expect(shards.length).toBeGreaterThan(200 / 16)
    expect(new Set(shards.map((s) => s.hash)).size).toBe(shards.length)
  })

  it("puts each finding and recommendation in the shard of the page it is on, and one on a page not indexed in the first", () => {
    const ordered = chapters(40)
    const records = [record('c030/index.html', 'late'), record('c002/index.html', 'early'), record('findings/index.html', 'elsewhere')]
    const shards = plan(ordered, 4, { records })
    const holding = (title: string) => shards.find((s) => s.records.some((r) => r.meta['title'] === title))!
    expect(holding('late').pages.map((p) => p.url)).toContain('/c030/')
    expect(holding('early').pages.map((p) => p.url)).toContain('/c002/')
    expect(holding('elsewhere')).toBe(shards[0])
  })

  it('names a shard by all its index is made from: its pages, its records and the settings', () => {
    const ordered = chapters(40)
    const before = plan(ordered, 4).map((s) => s.hash)
    const edited = plan(ordered, 4, { texts: { 'c017/index.html': 'c017 and one more sentence' } }).map((s) => s.hash)
    expect(edited.filter((hash) => !before.includes(hash))).toHaveLength(1)
    const withRecord = plan(ordered, 4, { records: [record('c030/index.html', 'late')] }).map((s) => s.hash)
    expect(withRecord.filter((hash) => !before.includes(hash))).toHaveLength(1)
    const otherPagefind = plan(ordered, 4, { basis: 'pagefind 1.7.0' }).map((s) => s.hash)
    expect(otherPagefind.filter((hash) => before.includes(hash))).toEqual([])
  })

  it('names apart pages whose address and text join the same way, and pages that only swap them', () => {
    const one = (pages: ShardPage[]) => planShards({ pages: new Map(pages.map((p, i) => [`p${i}/index.html`, p])), chapters: [], records: [], size: 10, basis: 'b' })[0]!.hash
    expect(one([{ url: '/a', content: 'bc' }])).not.toBe(one([{ url: '/ab', content: 'c' }]))
    expect(one([{ url: '/a', content: 'b' }, { url: '/c', content: 'd' }])).not.toBe(one([{ url: '/a', content: 'b\npage 2 1\n/cd' }]))
    expect(one([{ url: '/a', content: 'x' }, { url: '/b', content: 'y' }])).not.toBe(one([{ url: '/b', content: 'y' }, { url: '/a', content: 'x' }]))
    expect(one([{ url: '/a', content: 'é' }])).not.toBe(one([{ url: '/a', content: 'e\u0301' }]))
    expect(one([{ url: '/a', content: 'x' }])).toBe(one([{ url: '/a', content: 'x' }]))
  })

  it('moves the ends of the runs around a chapter added in the middle, and no others', () => {
    const ordered = chapters(200)
    const before = new Set(plan(ordered, 8).map((s) => s.hash))
    const added = [...ordered.slice(0, 100), 'new-chapter/index.html', ...ordered.slice(100)]
    const after = plan(added, 8).map((s) => s.hash)
    expect(after.filter((hash) => !before.has(hash)).length).toBeLessThanOrEqual(2)
  })
})

describe('indexing in shards', () => {
  let first: Awaited<ReturnType<typeof indexSearch>>
  let input: SearchInput
  let site: string

  beforeAll(async () => {
    input = inputOf(buildInMemory(report(10)).site)
    first = await indexSearch(input)
    // As the published site holds it.
    site = path.join(await tempDir(), 'site')
    for (const [file, bytes] of first.files) {
      await mkdir(path.dirname(path.join(site, file)), { recursive: true })
      await writeFile(path.join(site, file), bytes)
    }
  })

  it('writes each shard as a whole Pagefind bundle in a folder named by its hash, and lists them', () => {
    expect(first.messages).toEqual([])
    expect(first.shards.length).toBeGreaterThanOrEqual(3)
    expect(first.shards.every((s) => s.indexed)).toBe(true)
    const list = JSON.parse(new TextDecoder().decode(first.files.get(shardList))) as { shards: string[] }
    expect(list.shards).toEqual(first.shards.map((s) => s.hash))
    for (const { hash, files } of first.shards) {
      expect([...files.keys()].every((file) => file.startsWith(`pagefind/${hash}/`))).toBe(true)
      for (const name of ['pagefind.js', 'pagefind-worker.js', 'pagefind-entry.json', 'wasm.en.pagefind']) expect(files.has(`pagefind/${hash}/${name}`), name).toBe(true)
      expect([...files.keys()].filter((file) => /pagefind-(ui|modular-ui|component-ui|highlight)/.test(file))).toEqual([])
    }
  })

  it('reads back the shards the replaced site has, and has Pagefind make only the shard of the chapter edited', async () => {
    const made = indexesMade()
    const edited = await indexSearch({ ...inputOf(buildInMemory(report(10, { 5: ' The pot was cold.' })).site), previous: site })
    expect(edited.messages).toEqual([])
    expect(indexesMade() - made).toBe(1)
    const fresh = edited.shards.filter((s) => s.indexed)
    expect(fresh).toHaveLength(1)
    expect(first.shards.map((s) => s.hash)).not.toContain(fresh[0]!.hash)
    // Every other shard is the one the site has, byte for byte.
    expect(edited.shards).toHaveLength(first.shards.length)
    const kept = edited.shards.filter((s) => !s.indexed)
    expect(kept).toHaveLength(first.shards.length - 1)
    for (const shard of kept) {
      const before = first.shards.find((s) => s.hash === shard.hash)!
      expect(before).toBeDefined()
      expect([...shard.files.keys()].sort()).toEqual([...before.files.keys()].sort())
      for (const [file, bytes] of shard.files) expect(Buffer.from(bytes).equals(Buffer.from(before.files.get(file)!)), file).toBe(true)
    }
  })

  it('hands over each shard Pagefind makes, whole, as soon as it is made, and none it reads back', async () => {
    const given: { files: ReadonlyMap<string, Uint8Array>; settled: boolean }[] = []
    let settled = false
    const edited = indexSearch({ ...inputOf(buildInMemory(report(10, { 5: ' The pot grew cold.' })).site), previous: site, onIndexed: (files) => void given.push({ files, settled }) })
    const output = await edited.finally(() => (settled = true))
    const fresh = output.shards.filter((s) => s.indexed)
    expect(fresh).toHaveLength(1)
    expect(given).toHaveLength(1)
    expect(given[0]!.settled).toBe(false)
    expect(given[0]!.files).toEqual(fresh[0]!.files)

    const all: ReadonlyMap<string, Uint8Array>[] = []
    const whole = await indexSearch({ ...input, onIndexed: (files) => void all.push(files) })
    expect(all).toHaveLength(whole.shards.length)
    expect(new Map(all.flatMap((files) => [...files]))).toEqual(new Map([...whole.files].filter(([file]) => file !== shardList)))
  })

  it("sends a shard's pages a few ahead, and one at a time for an index made in the background", async () => {
    // The most pages and records sent and not yet answered, at any moment while the index is made.
    const mostWaiting = async (given: SearchInput, background: boolean) => {
      const order: { at: number; sent: boolean }[] = []
      const sent = requests.mock.invocationCallOrder.length
      const answered = answers.mock.invocationCallOrder.length
      await indexSearch({ ...given, background })
      requests.mock.calls.slice(sent).forEach(([message], at) => {
        if (message.type === 'AddFile' || message.type === 'AddRecord') order.push({ at: requests.mock.invocationCallOrder[sent + at]!, sent: true })
      })
      expect(order.length).toBeGreaterThan(20)
      answers.mock.calls.slice(answered).forEach(([, response], at) => {
        const result = (response as { result?: { type?: string } }).result
        // A record's answer is named as a page's is.
        if (result?.type === 'IndexedFile') order.push({ at: answers.mock.invocationCallOrder[answered + at]!, sent: false })
      })
      let waiting = 0
      let most = 0
      for (const step of order.sort((a, b) => a.at - b.at)) most = Math.max(most, (waiting += step.sent ? 1 : -1))
      expect(waiting).toBe(0)
      return most
    }
    // Two services, two shards each at a time: four lanes, each with one page or record waiting.
    expect(await mostWaiting(input, true)).toBeLessThanOrEqual(4)
    expect(await mostWaiting(input, false)).toBeGreaterThan(4)
    // One shard of 30 pages and their 30 findings: sixteen ahead, not the whole shard.
    const one = { ...inputOf(buildInMemory(report(30)).site), shardSize: 100 }
    expect(await mostWaiting(one, false)).toBe(16)
    expect(await mostWaiting(one, true)).toBe(1)
  })

  it('indexes on two Pagefind services at once, each of its own process, and closes both', async () => {
    const from = requests.mock.calls.length
    const again = await indexSearch(input)
    expect(again.shards.length).toBeGreaterThanOrEqual(3)
    const services = new Set(requests.mock.contexts.slice(from).filter((_, at) => requests.mock.calls[from + at]![0].type === 'NewIndex'))
    expect(services.size).toBe(2)
    const processes = [...services].map((service) => (service as { backend: unknown }).backend)
    // Closed once every shard is made (a service that is still open holds its process here).
    expect(processes).toEqual([null, null])
    // The same index as one service makes.
    expect([...again.files.keys()].sort()).toEqual([...first.files.keys()].sort())
  })

  it('reads the version of the installed Pagefind, which every shard hash includes', async () => {
    const manifest = JSON.parse(await readFile(path.join(process.cwd(), 'node_modules', 'pagefind', 'package.json'), 'utf8')) as { version: string }
    expect(manifest.version).toMatch(/^\d+\.\d+\.\d+/)
    expect(await pagefindVersion()).toBe(manifest.version)
  })

  it('does not start Pagefind when the replaced site has every shard', async () => {
    const made = indexesMade()
    const again = await indexSearch({ ...input, previous: site })
    expect(indexesMade()).toBe(made)
    expect(again.shards.some((s) => s.indexed)).toBe(false)
    expect([...again.files.keys()].sort()).toEqual([...first.files.keys()].sort())
    for (const [file, bytes] of again.files) expect(Buffer.from(bytes).equals(Buffer.from(first.files.get(file)!)), file).toBe(true)
  })

  it('keeps every shard when the pages change outside their main element only, which Pagefind does not read', async () => {
    const made = indexesMade()
    // A stylesheet, logo or title in every page's head and header, a chapter renamed in the contents sidebar.
    const files = new Map([...input.files].map(([file, content]) => [file, file.endsWith('.html') ? pageText(content).replace('<main', '<p>A new header line</p>\n<main') : content]))
    expect([...files.values()].filter((content) => String(content).includes('A new header line')).length).toBeGreaterThan(10)
    const again = await indexSearch({ ...input, files, previous: site })
    expect(indexesMade()).toBe(made)
    expect(again.shards.map((s) => s.hash)).toEqual(first.shards.map((s) => s.hash))
    // Inside it, a change is a new shard.
    const inside = new Map([...input.files].map(([file, content]) => [file, file === 'visits/v02/index.html' ? pageText(content).replace('</main>', '<p>A new line</p></main>') : content]))
    const edited = await indexSearch({ ...input, files: inside, previous: site })
    expect(indexesMade() - made).toBe(1)
    expect(edited.shards.filter((s) => s.indexed)).toHaveLength(1)
  })

  it('makes a shard again when its folder in the replaced site has no entry file', async () => {
    const broken = path.join(await tempDir(), 'site')
    for (const [file, bytes] of first.files) {
      await mkdir(path.dirname(path.join(broken, file)), { recursive: true })
      await writeFile(path.join(broken, file), bytes)
    }
    const hash = first.shards[1]!.hash
    await rm(path.join(broken, 'pagefind', hash, 'pagefind-entry.json'))
    // One with its entry file, and also a link, which is not read back: found only once reading it is tried.
    const linked = first.shards[2]!.hash
    await symlink('pagefind-entry.json', path.join(broken, 'pagefind', linked, 'elsewhere.json'))
    const again = await indexSearch({ ...input, previous: broken })
    expect(again.shards.filter((s) => s.indexed).map((s) => s.hash)).toEqual([hash, linked])
    expect(again.files.has(`pagefind/${hash}/pagefind-entry.json`)).toBe(true)
    expect(again.files.has(`pagefind/${linked}/elsewhere.json`)).toBe(false)
    expect([...again.files.keys()].sort()).toEqual([...first.files.keys()].sort())
    for (const [name, bytes] of again.files) expect(Buffer.from(bytes).equals(Buffer.from(first.files.get(name)!)), name).toBe(true)
  })
})

describe('the build', () => {
  /** Every file under the site's pagefind/ folder, by path. */
  const readIndex = async (out: string) => {
    const files = new Map<string, Buffer>()
    for (const name of (await readdir(path.join(out, 'pagefind'), { recursive: true })).map(String)) {
      const bytes = await readFile(path.join(out, 'pagefind', name)).catch(() => undefined)
      if (bytes) files.set(name.split(path.sep).join('/'), bytes)
    }
    return files
  }
  const folders = (files: Map<string, Buffer>) => new Set([...files.keys()].filter((file) => file.includes('/')).map((file) => file.split('/')[0]!))

  it('changes one shard folder after an edit to one chapter, and reads the others back from the site it replaces', async () => {
    const project = await buildProject(report(10))
    expect(project.result.written).toBe(true)
    const before = await readIndex(project.out)
    expect(folders(before).size).toBeGreaterThanOrEqual(3)

    await writeFile(path.join(project.content, 'visits/v05.md'), visit(5, ' The pot was cold.'))
    const made = indexesMade()
    const rebuilt = await build({ contentDir: project.content, outDir: project.out })
    expect(rebuilt.written).toBe(true)
    expect(indexesMade() - made).toBe(1)
    const after = await readIndex(project.out)
    const gone = [...folders(before)].filter((hash) => !folders(after).has(hash))
    const added = [...folders(after)].filter((hash) => !folders(before).has(hash))
    expect(gone).toHaveLength(1)
    expect(added).toHaveLength(1)
    for (const [file, bytes] of after) {
      if (file.startsWith(`${added[0]}/`) || file === 'shards.json') continue
      expect(before.get(file)?.equals(bytes), file).toBe(true)
    }

    // Built once more from scratch, with nothing changed: Pagefind is not run at all.
    const again = await build({ contentDir: project.content, outDir: project.out, cache: false })
    expect(again.written).toBe(true)
    expect(indexesMade() - made).toBe(1)
    const last = await readIndex(project.out)
    expect([...last.keys()].sort()).toEqual([...after.keys()].sort())
  })
})

describe('the preview', () => {
  const sourceOf = (site: SiteBuild): SearchSource => ({ ...inputOf(site), scan: () => [] })

  it('indexes only the shard of the chapter edited, and serves the index it replaced to searches under way', async () => {
    const seen: IndexedSearch[] = []
    const search = new PreviewSearch((result) => seen.push(result))
    const served = () => JSON.parse(new TextDecoder().decode(search.get(shardList))) as { shards: string[] }

    search.update(sourceOf(buildInMemory(report(10)).site))
    await search.settled()
    expect(seen[0]!.messages).toEqual([])
    const start = served().shards
    expect(seen[0]!.indexed).toEqual(start)
    expect(start.length).toBeGreaterThanOrEqual(3)

    const made = indexesMade()
    search.update(sourceOf(buildInMemory(report(10, { 5: ' The pot was cold.' })).site))
    await search.settled()
    expect(indexesMade() - made).toBe(1)
    const edited = served().shards
    expect(seen[1]!.indexed).toEqual(edited.filter((hash) => !start.includes(hash)))
    expect(seen[1]!.indexed).toHaveLength(1)
    const replaced = start.find((hash) => !edited.includes(hash))!
    // A search begun on the last index still finds its files.
    expect(search.get(`pagefind/${replaced}/pagefind-entry.json`)).toBeDefined()

    search.update(sourceOf(buildInMemory(report(10, { 5: ' The pot was warm.' })).site))
    await search.settled()
    expect(indexesMade() - made).toBe(2)
    expect(seen[2]!.indexed).toHaveLength(1)
    // Two indexes on, the shard is gone; the one the last index had is still served.
    expect(search.get(`pagefind/${replaced}/pagefind-entry.json`)).toBeUndefined()
    expect(search.get(`pagefind/${seen[1]!.indexed[0]}/pagefind-entry.json`)).toBeDefined()
  })
})

describe('what Pagefind is given of a page', () => {
  const page = (head: string, body: string) => `<!DOCTYPE html><html lang="en"><head>${head}</head><body>${body}</body></html>`
  const main = '<main id="main" tabindex="-1"><h1>Title</h1><p>Text</p></main>'

  it('is the main element alone, in a document of its own', () => {
    expect(searchedPart(page('<title>T</title><script src="a.js"></script>', `<nav>Contents</nav>${main}<footer>F</footer>`))).toBe(`<html><body>${main}</body></html>`)
    expect(searchedPart(page('', '<MAIN class="x"><p>Loud</p></MAIN>'))).toBe('<html><body><MAIN class="x"><p>Loud</p></MAIN></body></html>')
    expect(searchedPart(page('', '<main\n><p>Split</p></main\n>'))).toBe('<html><body><main\n><p>Split</p></main\n></body></html>')
    // A comment closed before it, and text elements closed before it, do not hold it.
    expect(searchedPart(page('<!-- a note --><style>p{}</style>', `<script>let x = 1</script>${main}`))).toBe(`<html><body>${main}</body></html>`)
    // Names that begin as main's does are other elements.
    expect(searchedPart(page('', `<mainly>x</mainly>${main}`))).toBe(`<html><body>${main}</body></html>`)
  })

  it('is the whole page when its main element cannot be told from its tags alone', () => {
    const cases = [
      page('', '<p>No main element</p>'),
      page('', `${main}${main}`),
      page('', `<!-- ${main} -->`),
      page('', `<!-- <main> -->${main}`),
      page('<script>const html = "<main>"</script>', main),
      page('<script>document.write("', `${main}")</script>`),
      page('<title>A <main> title', `</title>${main}`),
      page('', `${main}<script>const later = "<main>"</script>`),
      page('', '</main><main><p>Backwards</p>'),
      page('', '<main><p>Never closed</p>'),
      page('', '<p>Only closed</p></main>'),
      page('<template>', `${main}</template>`),
    ]
    for (const html of cases) expect(searchedPart(html), html).toBe(html)
  })

  it('makes the same index as the whole pages of a built report, given one at a time', async () => {
    const built = buildInMemory(report(12)).site
    const pages = [...built.files.raw()].filter(([file]) => file.endsWith('.html') && file.startsWith('visits/'))
    expect(pages.length).toBe(12)
    // All sent at once (search.ts), and made as when each is sent after the one before is indexed, as here.
    const ours = await indexSearch({ files: new Map(pages), items: [], language: 'en', chapters: built.index.pages, shardSize: 20 })
    expect(ours.shards).toHaveLength(1)
    const pagefind = (await import((await pagefindEntry())!)) as typeof import('pagefind')
    const { index } = await pagefind.createIndex({ rootSelector: 'main', excludeSelectors: ['section.finding', 'section.recommendation', 'nav', '.pager', '.outline', '.skip-link', '.generated-part'], forceLanguage: 'en' })
    for (const [file, content] of pages) {
      const html = pageText(content)
      expect(searchedPart(html).length).toBeLessThan(html.length)
      await index!.addHTMLFile({ url: `/${file.replace(/index\.html$/, '')}`, content: html })
    }
    const whole = await index!.getFiles()
    await pagefind.close()
    const hash = ours.shards[0]!.hash
    const own = [...whole.files].filter((file) => ours.files.has(`pagefind/${hash}/${file.path}`))
    expect(own.length).toBeGreaterThan(5)
    expect(own.map((file) => file.path).sort()).toEqual([...ours.shards[0]!.files.keys()].map((file) => file.slice(`pagefind/${hash}/`.length)).sort())
    for (const file of own) expect(Buffer.from(file.content).equals(Buffer.from(ours.files.get(`pagefind/${hash}/${file.path}`)!)), file.path).toBe(true)
  })
})
