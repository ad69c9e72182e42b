// The same report searched in real Chromium with its index in several shards
// and in one, through the site's own search page and through Pagefind's API
// the way the page loads it: which results each finds, and in what order.
// Pagefind matches and ranks in each shard by that shard's own words and
// statistics, and these tests hold down where that shows (docs/site.md).

import { cp, mkdir, rm, writeFile } from 'node:fs/promises'
import path from 'node:path'
import { gunzipSync } from 'node:zlib'
import type { Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { build } from '../src/build.js'
import { indexSearch } from '../src/write/search.js'
import { launchBrowser, serveDirectory, type Browser, type StaticServer } from './browser.js'
import { buildInMemory, tempDir, writeFiles } from './helpers.js'

const filler = 'Cups were washed and the window was open while people talked about the week'

/** Twelve visits: every one mentions the kettle (the seventh many times), only the fifth the marmalade. */
const files: Record<string, string> = {
  'report.yml': 'title: Tea room visits\n',
  'participants.yml': 'participants:\n  - id: P01\n    role: Tea maker\n    consent: anonymous\n',
  ...Object.fromEntries(
    Array.from({ length: 12 }, (_, i) => {
      const n = i + 1
      const kettle = n === 7 ? 'The kettle, the kettle, always the kettle: the kettle boiled twice and the kettle sang.' : 'The kettle boiled.'
      const marmalade = n === 5 ? ' Someone brought marmalade.' : ''
      const body = `# Visit ${n}\n\n${filler} on visit ${n}. ${kettle}${marmalade}\n\n:::finding{#visit-${n}}\n## What visit ${n} showed\n\n${filler}.\n\n> We always meet there.\n> — P01\n:::\n`
      return [`visits/v${String(n).padStart(2, '0')}.md`, body]
    }),
  ),
}

interface Found {
  url: string
  score: number
}

let browser: Browser
const servers: Record<'whole' | 'sharded' | 'nested', StaticServer> = {} as never
let shardCount = 0
/** The shard each page and record of the sharded index is in, by URL. */
const shardOf = new Map<string, string>()

beforeAll(async () => {
  const dir = await tempDir()
  await writeFiles(path.join(dir, 'content'), files)
  const built = await build({ contentDir: path.join(dir, 'content'), outDir: path.join(dir, 'dist'), cache: false })
  expect(built.written).toBe(true)
  const { site } = buildInMemory(files)
  const input = { files: site.files, items: site.items, language: site.model.lang, authored: site.authored, chapters: site.index.pages }
  // The built site, with its index made as one shard, and as shards of about three chapters.
  for (const [name, shardSize] of [['whole', Infinity], ['sharded', 3]] as const) {
    const folder = path.join(dir, name)
    await cp(path.join(dir, 'dist'), folder, { recursive: true, dereference: true })
    await rm(path.join(folder, 'pagefind'), { recursive: true })
    const index = await indexSearch({ ...input, shardSize })
    expect(index.messages).toEqual([])
    if (name === 'sharded') {
      shardCount = index.shards.length
      for (const shard of index.shards) {
        for (const [file, bytes] of shard.files) {
          if (!file.includes('/fragment/')) continue
          const json = gunzipSync(bytes).toString('utf8')
          shardOf.set((JSON.parse(json.slice(json.indexOf('{'))) as { url: string }).url, shard.hash)
        }
      }
    }
    for (const [file, bytes] of index.files) {
      await mkdir(path.dirname(path.join(folder, file)), { recursive: true })
      await writeFile(path.join(folder, file), bytes)
    }
    servers[name] = await serveDirectory(folder)
    // As a project's GitHub Pages site is served: from a folder of the host.
    if (name === 'sharded') servers.nested = await serveDirectory(folder, { under: '/report/' })
  }
  browser = await launchBrowser()
})

afterAll(async () => {
  await browser?.close()
  await Promise.all(Object.values(servers).map((server) => server.close()))
})

/** Open the search page; `problems` collects what the console and the page report as errors, such as a refused policy. */
async function searchPage(name: 'whole' | 'sharded' | 'nested', query = ''): Promise<{ page: Page; problems: string[]; requested: string[] }> {
  const page = await browser.context.newPage()
  const problems: string[] = []
  const requested: string[] = []
  page.on('request', (request) => requested.push(new URL(request.url()).pathname))
  page.on('console', (message) => {
    if (message.type() === 'error' || message.type() === 'warning') problems.push(message.text())
  })
  page.on('pageerror', (error) => problems.push(error.message))
  await page.goto(`${servers[name].url}search/${query ? `?q=${encodeURIComponent(query)}` : ''}`)
  return { page, problems, requested }
}

/** Every result for each query, best first, from Pagefind's API loaded as the search page loads it. */
async function searchAll(name: 'whole' | 'sharded', queries: string[]): Promise<Record<string, Found[]>> {
  const { page, problems } = await searchPage(name)
  try {
    // Given as text: the test's own transform would rewrite import().
    const found = (await page.evaluate(`(async (all) => {
      const { shards } = await (await fetch('../pagefind/shards.json')).json()
      const pagefind = await import(new URL('../pagefind/' + shards[0] + '/pagefind.js', location.href).href)
      for (const hash of shards.slice(1)) await pagefind.mergeIndex(new URL('../pagefind/' + hash + '/', location.href).pathname)
      const results = {}
      for (const query of all) {
        const response = await pagefind.search(query)
        results[query] = await Promise.all(response.results.map(async (result) => ({ url: (await result.data()).url, score: result.score })))
      }
      return results
    })(${JSON.stringify(queries)})`)) as Record<string, Found[]>
    expect(problems).toEqual([])
    return found
  } finally {
    await page.close()
  }
}

const urls = (found: Found[]) => found.map((f) => f.url)
const sorted = (found: Found[]) => urls(found).sort()

describe('a report searched in shards', () => {
  it('loads every shard on the search page under its own policy, and shows what one index shows', async () => {
    expect(shardCount).toBeGreaterThanOrEqual(3)
    const shown: Record<string, { status: string | null; links: string[] }> = {}
    for (const name of ['whole', 'sharded'] as const) {
      const { page, problems, requested } = await searchPage(name, 'marmalade')
      await page.waitForFunction(() => /result|Nothing found|could not/.test(document.getElementById('search-status')?.textContent ?? ''))
      shown[name] = { status: await page.locator('#search-status').textContent(), links: await page.locator('#search-results .result-title a').evaluateAll((links) => links.map((a) => a.getAttribute('href') ?? '')) }
      expect(problems, name).toEqual([])
      // Each shard's index is read; Pagefind's script and WebAssembly only from the first.
      expect(requested.filter((file) => file.endsWith('/pagefind-entry.json')), name).toHaveLength(name === 'whole' ? 1 : shardCount)
      expect(requested.filter((file) => /\/(pagefind\.js|pagefind-worker\.js|wasm\.[a-z]+\.pagefind)$/.test(file)), name).toHaveLength(3)
      await page.close()
    }
    expect(shown['sharded']!.status).toBe('1 result for “marmalade”.')
    expect(shown['sharded']).toEqual(shown['whole'])
  })

  it('loads the shards of a site served from a folder of its host, and links its results there', async () => {
    const { page, problems, requested } = await searchPage('nested', 'kettle')
    await page.waitForFunction(() => /result|Nothing found|could not/.test(document.getElementById('search-status')?.textContent ?? ''))
    expect(await page.locator('#search-status').textContent()).toBe('12 results for “kettle”.')
    const links = await page.locator('#search-results .result-title a').evaluateAll((all) => all.map((a) => a.getAttribute('href') ?? ''))
    expect(links).toHaveLength(12)
    for (const link of links) expect(link).toMatch(/^\/report\/visits\/v\d\d\/$/)
    expect(requested.filter((file) => file.endsWith('/pagefind-entry.json'))).toHaveLength(shardCount)
    expect(requested.every((file) => file.startsWith('/report/'))).toBe(true)
    expect(problems).toEqual([])
    await page.close()
  })

  it('finds the same results for words every shard has, but ranks alike pages by the shard they are in', async () => {
    const queries = ['kettle', 'visit', 'window', 'showed', 'marmalade']
    const whole = await searchAll('whole', queries)
    const sharded = await searchAll('sharded', queries)
    for (const query of queries) {
      expect(whole[query]!.length, query).toBeGreaterThan(0)
      expect(sorted(sharded[query]!), query).toEqual(sorted(whole[query]!))
    }
    // A clear best match stays first: the visit that says "kettle" six times.
    expect(urls(sharded['kettle']!)[0]).toBe('/visits/v07/')
    expect(urls(whole['kettle']!)[0]).toBe('/visits/v07/')
    // But the order is not the same. Each shard scores by its own page count, page lengths and
    // word counts: the eleven visits that say "window" once score within a few percent of each
    // other in one index, and over twice as much in one shard as in another.
    const spread = (found: Found[]) => {
      const scores = found.filter((f) => /^\/visits\/v\d+\/$/.test(f.url) && f.url !== '/visits/v07/').map((f) => f.score)
      return Math.max(...scores) / Math.min(...scores)
    }
    expect(spread(whole['window']!)).toBeLessThan(1.1)
    expect(spread(sharded['window']!)).toBeGreaterThan(2)
    expect(urls(sharded['window']!)).not.toEqual(urls(whole['window']!))
  })

  it('finds more with several words where a shard lacks one of them, which Pagefind then leaves out there', async () => {
    const queries = ['kettle marmalade', 'marmalade window']
    const whole = await searchAll('whole', queries)
    const sharded = await searchAll('sharded', queries)
    const alone = await searchAll('whole', ['kettle', 'window'])
    expect(shardOf.size).toBeGreaterThan(12)
    for (const query of queries) {
      // One index has one page with both words.
      expect(urls(whole[query]!), query).toEqual(['/visits/v05/'])
      // The shards find it first, then the pages with the other word in every shard without "marmalade".
      expect(urls(sharded[query]!)[0], query).toBe('/visits/v05/')
      const other = query.replace('marmalade', '').trim()
      const lacking = urls(alone[other]!).filter((url) => shardOf.get(url) !== shardOf.get('/visits/v05/'))
      expect(lacking.length, query).toBeGreaterThan(5)
      expect(urls(sharded[query]!).slice(1).sort(), query).toEqual(lacking.sort())
    }
  })

  it('shows on the search page, with several words, only the pages one index finds', async () => {
    for (const query of ['kettle marmalade', 'marmalade window', 'visit window']) {
      const shown: Record<string, { status: string | null; urls: string[] }> = {}
      for (const name of ['whole', 'sharded'] as const) {
        const { page, problems } = await searchPage(name, query)
        await page.locator('#search-status').filter({ hasText: /result|Nothing/ }).waitFor()
        const links = await page.locator('.result-title a').evaluateAll((as) => as.map((a) => new URL((a as HTMLAnchorElement).href).pathname))
        shown[name] = { status: await page.locator('#search-status').textContent(), urls: links.sort() }
        expect(problems).toEqual([])
        await page.close()
      }
      expect(shown['sharded'], query).toEqual(shown['whole'])
    }
  })
})
