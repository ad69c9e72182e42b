// The live preview, driven over real HTTP: the CLI's `dev` command on a temporary
// report, its server-sent events, the terminal, the overlay in Chromium, and what
// the server answers to hostile requests and to content changed under it. Every
// test starts its own server on its own copy of the report, so each can run
// alone, filtered or shuffled.

import { execFileSync, spawn } from 'node:child_process'
import { existsSync } from 'node:fs'
import { get, request, type IncomingHttpHeaders, type IncomingMessage } from 'node:http'
import { cp, mkdir, readFile, rename, symlink, writeFile } from 'node:fs/promises'
import path from 'node:path'
import { fromHtml } from 'hast-util-from-html'
import { afterAll, beforeAll, describe, expect, it as baseIt } from 'vitest'
import { startDevServer, type DevServer, type DevServerOptions, type DevUpdate } from '../src/dev/server.js'
import { AxeBuilder } from '@axe-core/playwright'
import type { Page } from 'playwright-core'
import { indexSearch } from '../src/write/search.js'
import { axeViolations, launchBrowser, type Browser } from './browser.js'
import { attr, buildProject, repoRoot, select, tempDir, text, writeFiles } from './helpers.js'

const chapter = (title: string, finding: string, extra = '') => `# ${title}

:::finding{#${finding}}
## ${title} finding

> Said about ${title}.
> — P01
:::
${extra}`

const project = {
  'report.yml': 'title: Preview\n',
  'index.md': '# Preview\n\nHello.\n',
  'themes/a.md': chapter('Alpha', 'alpha'),
  'themes/b.md': chapter('Beta', 'beta'),
}

interface ServerEvent {
  type: string
  data: unknown
}

/** Listen to the dev server's events; `next` waits for the next event of a type. */
function listen(url: string): Promise<{ next(type: string, ms?: number): Promise<unknown>; close(): void }> {
  return new Promise((resolve, reject) => {
    const queue: ServerEvent[] = []
    const waiting: { type: string; resolve: (data: unknown) => void }[] = []
    const deliver = () => {
      for (const w of [...waiting]) {
        const at = queue.findIndex((e) => e.type === w.type)
        if (at < 0) continue
        waiting.splice(waiting.indexOf(w), 1)
        w.resolve(queue.splice(at, 1)[0]!.data)
      }
    }
    const request = get(new URL('__fieldnotes/events', url), (res: IncomingMessage) => {
      let buffer = ''
      res.setEncoding('utf8')
      res.on('data', (chunk: string) => {
        buffer += chunk
        let end: number
        while ((end = buffer.indexOf('\n\n')) >= 0) {
          const block = buffer.slice(0, end)
          buffer = buffer.slice(end + 2)
          const type = /^event: (.*)$/m.exec(block)?.[1]
          const data = /^data: (.*)$/m.exec(block)?.[1]
          if (type && data !== undefined) queue.push({ type, data: JSON.parse(data) })
        }
        deliver()
      })
      resolve({
        next: (type, ms = 20_000) =>
          new Promise((done, fail) => {
            const timer = setTimeout(() => fail(new Error(`No ${type} event within ${ms} ms`)), ms)
            waiting.push({ type, resolve: (data) => (clearTimeout(timer), done(data)) })
            deliver()
          }),
        close: () => request.destroy(),
      })
    })
    request.on('error', reject)
  })
}

async function fetchText(url: string): Promise<{ status: number; body: string }> {
  const response = await fetch(url)
  return { status: response.status, body: await response.text() }
}

interface Answer {
  status: number
  headers: IncomingHttpHeaders
  body: string
}

/** One request sent as written, Host included: fetch would tidy the path (`/.//x` becomes `//x`). */
function ask(url: string, target: string, options: { method?: string; host?: string; ms?: number } = {}): Promise<Answer> {
  const server = new URL(url)
  const ms = options.ms ?? 10_000
  return new Promise((resolve, reject) => {
    const req = request(
      // setHost: false, so that an empty Host is sent as it is.
      { hostname: server.hostname, port: server.port, method: options.method ?? 'GET', path: target, setHost: false, headers: { host: options.host ?? server.host } },
      (res) => {
        const answer = { status: res.statusCode ?? 0, headers: res.headers }
        // An event stream never ends: its status and headers are the answer.
        if (res.headers['content-type']?.startsWith('text/event-stream')) {
          req.destroy()
          return resolve({ ...answer, body: '' })
        }
        let body = ''
        res.setEncoding('utf8')
        res.on('data', (chunk: string) => (body += chunk))
        res.on('end', () => resolve({ ...answer, body }))
      },
    )
    req.setTimeout(ms, () => req.destroy(new Error(`No answer to ${options.method ?? 'GET'} ${target.slice(0, 80)} within ${ms} ms`)))
    req.on('error', reject)
    req.end()
  })
}

interface Preview {
  /** The temporary folder holding `content/`, and room for files outside it. */
  dir: string
  content: string
  server: DevServer
  updates: DevUpdate[]
  /** The first build from now on for which `test` holds. Call it before the change that starts the build. */
  built(test?: (update: DevUpdate) => boolean, ms?: number): Promise<DevUpdate>
}

type Cleanup = (stop: () => Promise<void>) => void
type PreviewOptions = Omit<DevServerOptions, 'contentDir' | 'onUpdate'>

/** A dev server of its own on a fresh copy of `files`. */
async function openPreview(cleanup: Cleanup, files: Record<string, string> = project, options: PreviewOptions = {}): Promise<Preview> {
  const dir = await tempDir()
  const content = path.join(dir, 'content')
  await writeFiles(content, files)
  const updates: DevUpdate[] = []
  const waiting = new Set<(update: DevUpdate) => void>()
  const onUpdate = (update: DevUpdate) => {
    updates.push(update)
    for (const check of [...waiting]) check(update)
  }
  const server = await startDevServer({ contentDir: content, port: 0, ...options, onUpdate })
  cleanup(() => server.close())
  const built = (test: (update: DevUpdate) => boolean = () => true, ms = 20_000) =>
    new Promise<DevUpdate>((resolve, reject) => {
      const timer = setTimeout(() => {
        waiting.delete(check)
        reject(new Error(`No such build within ${ms} ms; builds so far: ${JSON.stringify(updates.map((u) => ({ ok: u.ok, cause: u.cause })))}`))
      }, ms)
      const check = (update: DevUpdate) => {
        if (!test(update)) return
        clearTimeout(timer)
        waiting.delete(check)
        resolve(update)
      }
      waiting.add(check)
    })
  return { dir, content, server, updates, built }
}

/** `fieldnotes dev` as a process of its own, on a fresh copy of the report. */
async function spawnDev(cleanup: Cleanup): Promise<{ dir: string; url: string; terminal(): string }> {
  const dir = await tempDir()
  await writeFiles(path.join(dir, 'content'), project)
  const child = spawn(process.execPath, [path.join(repoRoot, 'bin', 'fieldnotes.js'), 'dev', '--port', '0'], { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'] })
  cleanup(async () => {
    if (child.exitCode !== null || child.signalCode !== null) return
    const exited = new Promise((resolve) => child.once('exit', resolve))
    child.kill('SIGTERM')
    await exited
  })
  let terminal = ''
  child.stderr!.setEncoding('utf8')
  child.stderr!.on('data', (chunk: string) => (terminal += chunk))
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`dev did not start:\n${terminal}`)), 60_000)
    child.stderr!.on('data', () => {
      const found = /at (http:\/\/127\.0\.0\.1:\d+\/)/.exec(terminal)?.[1]
      if (found) (clearTimeout(timer), resolve(found))
    })
  })
  return { dir, url, terminal: () => terminal }
}

/** `it`, where each test starts servers and processes of its own, stopped when it ends (even when tests run at once). */
const it = baseIt.extend<{ startPreview: (files?: Record<string, string>, options?: PreviewOptions) => Promise<Preview>; startCli: () => ReturnType<typeof spawnDev> }>({
  // vitest reads which fixtures a fixture needs from this pattern: none.
  startPreview: async ({}, use) => {
    const stops: (() => Promise<void>)[] = []
    await use((files, options) => openPreview((stop) => stops.push(stop), files, options))
    await Promise.all(stops.map((stop) => stop()))
  },
  startCli: async ({}, use) => {
    const stops: (() => Promise<void>)[] = []
    await use(() => spawnDev((stop) => stops.push(stop)))
    await Promise.all(stops.map((stop) => stop()))
  },
})

/**
 * Save a chapter whole, as editors that save safely do: written beside the content folder, then
 * renamed into place. A save that empties the file first can be seen empty for a moment on a busy
 * machine, and then the first rebuild is of an empty chapter, which every page's navigation shows.
 */
let saves = 0
async function save(dir: string, file: string, text: string): Promise<void> {
  const draft = path.join(dir, `.saving-${saves++}`)
  await writeFile(draft, text)
  await rename(draft, path.join(dir, 'content', file))
}

describe('fieldnotes dev, as a process', () => {
  it('serves pages from memory on 127.0.0.1 with the reload script, and nothing else from outside the site', async ({ startCli }) => {
    const { url } = await startCli()
    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/$/)
    const page = await fetchText(`${url}themes/a/`)
    expect(page.status).toBe(200)
    const tree = fromHtml(page.body)
    expect(text(tree, 'main h1')).toBe('Alpha')
    expect(attr(tree, 'script[src="/__fieldnotes/reload.js"]', 'src')).toBe('/__fieldnotes/reload.js')
    expect((await fetchText(`${url}__fieldnotes/reload.js`)).body).toContain("new EventSource('/__fieldnotes/events')")
    expect((await fetchText(`${url}assets/style.css`)).status).toBe(200)
    expect((await fetchText(`${url}themes/nope/`)).status).toBe(404)
    expect((await fetchText(`${url}..%2F..%2Fetc%2Fpasswd`)).status).toBe(404)
  })

  it('rebuilds after an edit and sends a reload for the pages that changed, and only those', async ({ startCli }) => {
    const { dir, url } = await startCli()
    const events = await listen(url)
    try {
      await save(dir, 'themes/a.md', chapter('Alpha', 'alpha', '\nA new paragraph about alpha.\n'))
      const reload = (await events.next('reload')) as { paths: string[] }
      expect(reload.paths).toContain('/themes/a/')
      expect(reload.paths).not.toContain('/themes/b/')
      expect(reload.paths).not.toContain('/')
      // The full report, which shows every chapter, is made once the pages that changed are served; then it reloads.
      expect(reload.paths).not.toContain('/full-report/')
      const page = fromHtml((await fetchText(`${url}themes/a/`)).body)
      expect(text(page, '.prose > p')).toBe('A new paragraph about alpha.')
      expect(await events.next('reload')).toEqual({ paths: ['/full-report/'] })
      expect(text(fromHtml((await fetchText(`${url}full-report/`)).body), '#chapter-themes-a .prose > p')).toBe('A new paragraph about alpha.')
    } finally {
      events.close()
    }
  })

  it('reports a broken edit in the terminal and to open pages while serving the last good page, and recovers when fixed', async ({ startCli }) => {
    const { dir, url, terminal } = await startCli()
    const events = await listen(url)
    try {
      const before = (await fetchText(`${url}themes/b/`)).body
      await save(dir, 'themes/b.md', chapter('Beta', 'beta', '\nSee [](#alpah).\n'))
      const problems = (await events.next('problems')) as { summary: string; text: string }
      const expected = 'content/themes/b.md:10:5  error  Nothing in the report has the id `alpah`  reference-target-exists'
      expect(problems.summary).toBe('1 error, 0 warnings, 0 info')
      expect(problems.text).toContain(expected)
      expect(problems.text).toContain('hint: Did you mean `alpha`?')
      await expect.poll(terminal, { timeout: 10_000 }).toContain(expected)
      expect(terminal()).toContain('Still serving the last version that built')

      const during = await fetchText(`${url}themes/b/`)
      expect(during.status).toBe(200)
      expect(during.body).toBe(before)
      // A page opened while the report is broken hears about it at once.
      const late = await listen(url)
      expect(((await late.next('problems')) as { text: string }).text).toContain(expected)
      late.close()

      await save(dir, 'themes/b.md', chapter('Beta', 'beta', '\nSee [](#alpha).\n'))
      await events.next('ok')
      expect(((await events.next('reload')) as { paths: string[] }).paths).toContain('/themes/b/')
      expect(text(fromHtml((await fetchText(`${url}themes/b/`)).body), '.prose > p a')).toBe('Finding 1: Alpha finding')
    } finally {
      events.close()
    }
  })
  it('withholds the search index, and says so, while a Pagefind configuration is in the folder it runs in', async ({ startCli }) => {
    const { dir, url, terminal } = await startCli()
    await expect.poll(async () => (await fetch(`${url}pagefind/shards.json`)).status, { timeout: 20_000 }).toBe(200)
    await writeFile(path.join(dir, 'pagefind.yml'), 'logfile: pagefind-wrote-this.log\n')
    await save(dir, 'themes/a.md', chapter('Alpha', 'alpha', '\nA new paragraph about alpha.\n'))
    await expect.poll(terminal, { timeout: 20_000 }).toContain('Search is off in the preview until these are fixed:')
    expect(terminal()).toContain('pagefind.yml:1:1  error  Pagefind would read pagefind.yml in the folder the build runs in, and fieldnotes configures Pagefind itself  search-index-builds')
    expect((await fetch(`${url}pagefind/shards.json`)).status).toBe(404)
    expect(existsSync(path.join(dir, 'pagefind-wrote-this.log'))).toBe(false)
    // The pages are served all the same.
    expect(text(fromHtml((await fetchText(`${url}themes/a/`)).body), '.prose > p')).toBe('A new paragraph about alpha.')
  })
})

describe('the dev server', () => {
  it('parses only the chapter that changed', async ({ startPreview }) => {
    const preview = await startPreview()
    expect(preview.updates).toHaveLength(1)
    expect(preview.updates[0]).toMatchObject({ ok: true, cause: ['start'], parsed: 3 })
    const b = path.join(preview.content, 'themes', 'b.md')
    const rebuilt = preview.built((u) => u.cause.includes(b))
    await writeFile(b, chapter('Beta', 'beta', '\nOnly b changed.\n'))
    const update = await rebuilt
    expect(update.parsed).toBe(1)
    expect(update.cause).toEqual([b])
  })

  it('builds a save that comes within 50 ms of the one before, which the file watcher does not report', async ({ startPreview }) => {
    // Building at once, the first save's page is served well within the 50 ms.
    const preview = await startPreview(project, { settleMs: 0 })
    const b = path.join(preview.content, 'themes', 'b.md')
    const shown = () => text(fromHtml(preview.server.session.site?.files.get('themes/b/index.html') ?? ''), '.prose > p')
    // Three times, since how soon the second save follows the first varies with the machine's load.
    for (const round of [1, 2, 3]) {
      const first = preview.built((u) => u.cause.includes(b))
      await save(preview.dir, 'themes/b.md', chapter('Beta', 'beta', `\nFirst save, round ${round}.\n`))
      await first
      // At once, as a formatter that rewrites the file after it is saved: the watcher reported the
      // first save moments ago, and says nothing of a second change to the same file so soon after.
      await save(preview.dir, 'themes/b.md', chapter('Beta', 'beta', `\nSecond save, round ${round}.\n`))
      await expect.poll(shown, { timeout: 5_000 }).toBe(`Second save, round ${round}.`)
    }
  })

  it('serves Mermaid and the diagram script from the generator, as the build publishes them', async ({ startPreview }) => {
    const preview = await startPreview({ 'myst.yml': 'version: 1\nproject:\n  title: Drawn\n', 'index.md': '# Drawn\n\n```{mermaid}\nflowchart LR\n  A --> B\n```\n' })
    expect(preview.updates[0]).toMatchObject({ ok: true })
    const url = preview.server.url
    for (const [asset, file] of [['assets/mermaid.min.js', 'node_modules/mermaid/dist/mermaid.min.js'], ['assets/diagrams.js', 'src/render/diagrams.js']] as const) {
      const response = await fetch(`${url}${asset}`)
      expect(response.status, asset).toBe(200)
      expect(Buffer.from(await response.arrayBuffer()).equals(await readFile(path.join(repoRoot, file))), asset).toBe(true)
    }
    expect((await fetch(`${url}assets/mermaid.js`)).status).toBe(404)
  })

  it('reloads every page when a static file changes, and rebuilds when a template does', async ({ startPreview }) => {
    const own = await tempDir()
    await cp(path.join(repoRoot, 'templates'), path.join(own, 'templates'), { recursive: true })
    await writeFiles(path.join(own, 'public'), { 'assets/style.css': 'body { color: black }\n' })
    const preview = await startPreview(project, { templatesDir: path.join(own, 'templates'), publicDir: path.join(own, 'public') })
    const url = preview.server.url
    const events = await listen(url)
    try {
      // The full report is made after the other pages, so its own reload, from an earlier build, may come first.
      const nextReload = async () => {
        let reload: { paths: string[] }
        do reload = (await events.next('reload')) as { paths: string[] }
        while (reload.paths.length === 1 && reload.paths[0] === '/full-report/')
        return reload
      }
      await writeFile(path.join(own, 'public', 'assets', 'style.css'), 'body { color: navy }\n')
      expect(await nextReload()).toEqual({ paths: ['*'] })
      expect((await fetchText(`${url}assets/style.css`)).body).toBe('body { color: navy }\n')

      const template = path.join(own, 'templates', 'chapter.liquid')
      await writeFile(template, (await readFile(template, 'utf8')).replace('<article class="chapter">', '<article class="chapter"><p class="banner">Draft</p>'))
      const reload = await nextReload()
      expect(reload.paths).toEqual(expect.arrayContaining(['/themes/a/', '/themes/b/']))
      expect(reload.paths).not.toContain('/findings/')
      expect(text(fromHtml((await fetchText(`${url}themes/a/`)).body), '.banner')).toBe('Draft')
    } finally {
      events.close()
    }
  })

  it('makes the full report after the pages an edit changed, at once when it is asked for first', async ({ startPreview }) => {
    const preview = await startPreview()
    const url = preview.server.url
    const b = path.join(preview.content, 'themes', 'b.md')
    const rebuilt = preview.built((u) => u.cause.includes(b))
    await save(preview.dir, 'themes/b.md', chapter('Beta', 'beta', '\nAsked for at once.\n'))
    expect((await rebuilt).changed).toEqual(['themes/b/index.html'])
    expect(preview.server.session.site?.later?.file).toBe('full-report/index.html')
    // Asked for before it is made, without its slash too: made then, and the address still redirects.
    const bare = await fetch(`${url}full-report`, { redirect: 'manual' })
    expect([bare.status, bare.headers.get('location')]).toEqual([301, '/full-report/'])
    expect(preview.server.session.site?.later).toBeUndefined()
    expect(text(fromHtml((await fetchText(`${url}full-report/`)).body), '#chapter-themes-b .prose > p')).toBe('Asked for at once.')
  })

  it('reports problems in the full report when it is made, and keeps serving the other pages', async ({ startPreview }) => {
    const own = await tempDir()
    await cp(path.join(repoRoot, 'templates'), path.join(own, 'templates'), { recursive: true })
    const template = path.join(own, 'templates', 'full-report.liquid')
    await writeFile(template, (await readFile(template, 'utf8')).replace('<article class="full-report">', '<article class="full-report">{{ page.no_such_value }}'))
    const preview = await startPreview(project, { templatesDir: path.join(own, 'templates') })
    const url = preview.server.url
    expect(preview.updates[0]).toMatchObject({ ok: true })
    const events = await listen(url)
    try {
      const problems = (await events.next('problems')) as { text: string }
      expect(problems.text).toContain('full-report.liquid')
      expect(problems.text).toContain('template-valid')
      expect(preview.updates.at(-1)).toMatchObject({ ok: false, serving: true })
      expect((await fetchText(`${url}themes/a/`)).status).toBe(200)
      expect((await fetchText(`${url}full-report/`)).status).toBe(404)
    } finally {
      events.close()
    }
  })

  it('shows a waiting page when the report has never built, and reloads it once it does', async ({ startPreview }) => {
    const preview = await startPreview({ ...project, 'themes/b.md': chapter('Beta', 'beta', '\n[](#nowhere)\n') })
    const url = preview.server.url
    const events = await listen(url)
    try {
      expect(preview.updates[0]).toMatchObject({ ok: false, serving: false })
      const waiting = await fetchText(`${url}themes/a/`)
      expect(waiting.status).toBe(503)
      expect(text(fromHtml(waiting.body), 'h1')).toBe('The report does not build yet')
      expect(waiting.body).toContain('<script src="/__fieldnotes/reload.js"></script>')
      expect(((await events.next('problems')) as { text: string }).text).toContain('reference-target-exists')

      await writeFile(path.join(preview.content, 'themes/b.md'), chapter('Beta', 'beta'))
      await events.next('ok')
      expect(await events.next('reload')).toEqual({ paths: ['*'] })
      expect((await fetchText(`${url}themes/a/`)).status).toBe(200)
    } finally {
      events.close()
    }
  })

  it('serves the search index it makes in memory, each file with its type, as the build would write it', async ({ startPreview }) => {
    const preview = await startPreview()
    await preview.server.indexed()
    const source = preview.server.session.site?.search
    expect(source).toBeDefined()
    // Pagefind names its files by their content: the index the build would make has the same names.
    const expected = (await indexSearch(source!)).files
    const types = new Map<string, string>()
    for (const [file, bytes] of expected) {
      const response = await fetch(`${preview.server.url}${file}`)
      expect(response.status, file).toBe(200)
      expect(response.headers.get('x-content-type-options'), file).toBe('nosniff')
      expect(Buffer.from(await response.arrayBuffer()).equals(Buffer.from(bytes)), file).toBe(true)
      types.set(path.extname(file) || file, response.headers.get('content-type') ?? '')
    }
    expect(Object.fromEntries(types)).toEqual({
      '.js': 'text/javascript; charset=utf-8',
      '.json': 'application/json; charset=utf-8',
      '.pagefind': 'application/octet-stream',
      '.pf_meta': 'application/octet-stream',
      '.pf_index': 'application/octet-stream',
      '.pf_fragment': 'application/octet-stream',
      '.pf_filter': 'application/octet-stream',
    })
    const { shards } = JSON.parse(new TextDecoder().decode(expected.get('pagefind/shards.json'))) as { shards: string[] }
    expect(expected.has(`pagefind/${shards[0]}/pagefind.js`)).toBe(true)
    expect((await fetch(`${preview.server.url}pagefind/nothing.pf_fragment`)).status).toBe(404)
  })

  it('never puts the reload script into a built site', async () => {
    const built = await buildProject(project)
    expect(built.result.written).toBe(true)
    const html = await readFile(path.join(built.out, 'themes/a/index.html'), 'utf8')
    expect(select('script[src*="__fieldnotes"]', fromHtml(html))).toBeUndefined()
    expect(html).not.toContain('__fieldnotes')
  })
})

describe('the dev server in a browser', () => {
  let browser: Browser

  beforeAll(async () => {
    browser = await launchBrowser()
  })

  afterAll(async () => {
    await browser?.close()
  })

  it('reloads an open page by itself, shows problems over it, and clears them when fixed', async ({ startPreview, onTestFinished }) => {
    const preview = await startPreview()
    const a = path.join(preview.content, 'themes/a.md')
    const page = await browser.context.newPage()
    onTestFinished(() => page.close())
    await page.goto(`${preview.server.url}themes/a/`)
    // The page listens before the first edit.
    await page.waitForSelector('html[data-fieldnotes-preview="live"]')

    await writeFile(a, chapter('Alpha', 'alpha', '\nSeen in the browser.\n'))
    await page.waitForSelector('text=Seen in the browser.', { timeout: 20_000 })
    await page.waitForSelector('html[data-fieldnotes-preview="live"]')

    await writeFile(a, chapter('Alpha', 'alpha', '\n![](missing.png)\n'))
    const overlay = page.locator('#fieldnotes-problems')
    await overlay.waitFor({ timeout: 20_000 })
    expect(await page.locator('#fieldnotes-problems [role="alert"]').textContent()).toContain('content/themes/a.md:10:1  error  The image `missing.png` has no alt text  image-has-alt')
    expect(await page.locator('.prose').textContent()).toContain('Seen in the browser.')

    await writeFile(a, chapter('Alpha', 'alpha', '\nFixed now.\n'))
    await page.waitForSelector('text=Fixed now.', { timeout: 20_000 })
    expect(await overlay.count()).toBe(0)
  })

  it('shows problems in colours of its own that pass axe over a page in the light and the dark theme', async ({ startPreview, onTestFinished }) => {
    const preview = await startPreview()
    const page = await browser.context.newPage()
    onTestFinished(() => page.close())
    await page.goto(`${preview.server.url}themes/a/`)
    await page.waitForSelector('html[data-fieldnotes-preview="live"]')
    await writeFile(path.join(preview.content, 'themes/a.md'), chapter('Alpha', 'alpha', '\nSee [](#alpah).\n'))
    const list = page.locator('#fieldnotes-problems pre')
    await list.waitFor({ timeout: 20_000 })
    expect(await list.textContent()).toContain('reference-target-exists')
    const colours = () => list.evaluate((el) => [getComputedStyle(el).color, getComputedStyle(el.parentElement!).backgroundColor, getComputedStyle(el).backgroundColor])
    const seen: string[][] = []
    for (const colorScheme of ['light', 'dark'] as const) {
      await page.emulateMedia({ colorScheme })
      // The page under the overlay is in this theme.
      expect(await page.evaluate(() => getComputedStyle(document.documentElement).colorScheme)).toBe(colorScheme)
      expect(await axeViolations(page), colorScheme).toEqual([])
      // axe measured the overlay's text, rather than leaving it undecided.
      const contrast = await new AxeBuilder({ page }).withRules(['color-contrast']).analyze()
      const measured = contrast.passes.flatMap((rule) => rule.nodes.map((node) => JSON.stringify(node.target)))
      expect(measured, colorScheme).toEqual(expect.arrayContaining(['[["#fieldnotes-problems","h2"]]', '[["#fieldnotes-problems","p"]]', '[["#fieldnotes-problems","pre"]]']))
      expect(contrast.incomplete, colorScheme).toEqual([])
      seen.push(await colours())
    }
    // Text and panel in the overlay's colours, and no background of the page's own on the list.
    expect(seen[0]).toEqual(['rgb(242, 242, 242)', 'rgb(27, 27, 27)', 'rgba(0, 0, 0, 0)'])
    expect(seen[1]).toEqual(seen[0])

    // The page under the overlay is hidden while it is covered, and comes back with Hide.
    expect(await page.locator('main h1').isVisible()).toBe(false)
    await page.locator('#fieldnotes-problems button').click()
    expect(await page.locator('#fieldnotes-problems').count()).toBe(0)
    expect(await page.locator('main h1').isVisible()).toBe(true)
  })

  /** Search the preview's search page for `query`, and the links of the results, once the page has run the search. */
  const searchFor = async (page: Page, url: string, query: string): Promise<string[]> => {
    await page.goto(`${url}search/?q=${encodeURIComponent(query)}`)
    await page.waitForFunction(() => /result|Nothing found|could not/.test(document.getElementById('search-status')?.textContent ?? ''))
    return page.locator('#search-results .result-title a').evaluateAll((links) => links.map((a) => a.getAttribute('href') ?? ''))
  }

  it('searches the report, and finds a word added by an edit once the index catches up', async ({ startPreview, onTestFinished }) => {
    const preview = await startPreview({ ...project, 'themes/a.md': chapter('Alpha', 'alpha', '\nThe kettle whistles at dawn.\n') })
    const page = await browser.context.newPage()
    onTestFinished(() => page.close())
    const url = preview.server.url
    await expect.poll(() => searchFor(page, url, 'Alpha finding'), { timeout: 20_000 }).toContain('/themes/a/#alpha')
    expect(await searchFor(page, url, 'kettle')).toEqual(['/themes/a/'])
    expect(await searchFor(page, url, 'marmalade')).toEqual([])
    expect(await page.locator('#search-status').textContent()).toBe('Nothing found for “marmalade”. Try fewer or other words.')

    await save(preview.dir, 'themes/b.md', chapter('Beta', 'beta', '\nMarmalade on the windowsill.\n'))
    await expect.poll(() => searchFor(page, url, 'marmalade'), { timeout: 20_000 }).toEqual(['/themes/b/'])
  })
})

// A contributor may run the preview on someone else's pull request: the content,
// the files beside it and whatever web page the browser has open are not trusted.
describe('the dev server, on content and requests it cannot trust', () => {
  const map = 'the map the report was built with\n'
  const withMap = { ...project, 'themes/a.md': chapter('Alpha', 'alpha', '\n![A map of the sites](map.png)\n'), 'themes/map.png': map }

  /** Put a symbolic link at `at` in one step, as a checkout replaces a file. */
  const linkInPlace = async (dir: string, target: string, at: string) => {
    const link = path.join(dir, `link-${path.basename(at)}`)
    await symlink(target, link)
    await rename(link, at)
  }

  it('stops serving a content file that became a link outside the content folder, and keeps the last good pages', async ({ startPreview }) => {
    const preview = await startPreview(withMap)
    const url = preview.server.url
    expect((await ask(url, '/themes/map.png')).body).toBe(map)
    const secret = path.join(preview.dir, 'secret.txt')
    await writeFile(secret, 'a file outside the content folder\n')
    const image = path.join(preview.content, 'themes', 'map.png')

    const broken = preview.built((u) => !u.ok && u.cause.includes(image))
    await linkInPlace(preview.dir, secret, image)
    expect(await broken).toMatchObject({ ok: false, serving: true })

    const answer = await ask(url, '/themes/map.png')
    expect(answer.status).toBe(404)
    expect(answer.body).not.toContain('outside the content folder')
    const page = await ask(url, '/themes/a/')
    expect(page.status).toBe(200)
    expect(text(fromHtml(page.body), 'main h1')).toBe('Alpha')
  })

  it('refuses a content file that became a link to a file the build never reads', async ({ startPreview }) => {
    const preview = await startPreview({ ...withMap, 'themes/.notes.txt': 'notes the build never publishes\n' })
    const image = path.join(preview.content, 'themes', 'map.png')
    const broken = preview.built((u) => !u.ok && u.cause.includes(image))
    await linkInPlace(preview.dir, '.notes.txt', image)
    await broken
    const answer = await ask(preview.server.url, '/themes/map.png')
    expect(answer.status).toBe(404)
    expect(answer.body).not.toContain('notes the build never publishes')
  })

  it('serves a content file while the report is broken only as long as it is the same file', async ({ startPreview }) => {
    const preview = await startPreview(withMap)
    const url = preview.server.url
    const b = path.join(preview.content, 'themes', 'b.md')
    const image = path.join(preview.content, 'themes', 'map.png')

    const broken = preview.built((u) => !u.ok)
    await writeFile(b, chapter('Beta', 'beta', '\nSee [](#alpah).\n'))
    await broken
    // The last good page still shows its image.
    expect(await ask(url, '/themes/map.png')).toMatchObject({ status: 200, body: map })

    const changed = preview.built((u) => !u.ok && u.cause.includes(image))
    await writeFile(image, 'a map that no build has seen yet\n')
    await changed
    expect((await ask(url, '/themes/map.png')).status).toBe(404)

    const fixed = preview.built((u) => u.ok)
    await writeFile(b, chapter('Beta', 'beta'))
    await fixed
    expect(await ask(url, '/themes/map.png')).toMatchObject({ status: 200, body: 'a map that no build has seen yet\n' })
  })

  it('serves only the content files the pages use', async ({ startPreview }) => {
    const participants = 'participants:\n  - id: P01\n    role: Teacher\n    consent: anonymous\n'
    const preview = await startPreview({ ...withMap, 'participants.yml': participants, 'themes/unused.png': 'not used by any page\n' })
    expect(preview.updates[0]?.ok).toBe(true)
    for (const target of ['/participants.yml', '/report.yml', '/themes/a.md', '/themes/unused.png', '/content/themes/map.png']) {
      expect((await ask(preview.server.url, target)).status, target).toBe(404)
    }
  })

  it('never serves an SVG from the content as a document that can run scripts', async ({ startPreview }) => {
    const svg = '<svg xmlns="http://www.w3.org/2000/svg"><script>parent.leak()</script></svg>\n'
    const preview = await startPreview({ ...project, 'themes/a.md': chapter('Alpha', 'alpha', '\n![A chart](chart.svg)\n'), 'themes/chart.svg': svg })
    expect(preview.updates[0]?.ok).toBe(true)
    const answer = await ask(preview.server.url, '/themes/chart.svg')
    expect(answer.status).toBe(200)
    // Whether the build publishes it as it is or cleaned, opened on its own it runs in a sandbox.
    expect(answer.headers['content-security-policy']).toMatch(/(^|;)\s*sandbox\s*(;|$)/)
    expect(answer.headers['content-security-policy']).toContain("default-src 'none'")
  })

  it('serves static files only from inside the public folder', async ({ startPreview }) => {
    const own = await tempDir()
    const publicDir = path.join(own, 'public')
    await writeFiles(publicDir, { 'assets/style.css': 'body { color: black }\n' })
    await writeFiles(path.join(own, 'elsewhere'), { 'secret.txt': 'a file outside the public folder\n' })
    await symlink('style.css', path.join(publicDir, 'assets', 'alias.css'))
    await symlink(path.join(own, 'elsewhere', 'secret.txt'), path.join(publicDir, 'assets', 'leak.txt'))
    await symlink(path.join(own, 'elsewhere'), path.join(publicDir, 'linked'))
    const preview = await startPreview(project, { publicDir })
    const url = preview.server.url
    // A link that stays inside the folder is copied by the build, so it is served.
    expect(await ask(url, '/assets/alias.css')).toMatchObject({ status: 200, body: 'body { color: black }\n' })
    for (const target of ['/assets/leak.txt', '/linked/secret.txt']) {
      const answer = await ask(url, target)
      expect(answer.status, target).toBe(404)
      expect(answer.body).not.toContain('outside the public folder')
    }
  })

  it.skipIf(process.platform === 'win32')('refuses special files at once instead of waiting on them', async ({ startPreview }) => {
    const own = await tempDir()
    const publicDir = path.join(own, 'public')
    await mkdir(path.join(publicDir, 'assets'), { recursive: true })
    execFileSync('mkfifo', [path.join(publicDir, 'assets', 'pipe.css')])
    const preview = await startPreview(project, { publicDir })
    expect((await ask(preview.server.url, '/assets/pipe.css', { ms: 5_000 })).status).toBe(404)
  })

  it('answers 421 to a Host other than localhost, 127.0.0.1 or [::1] on its own port, the event stream included', async ({ startPreview }) => {
    const preview = await startPreview()
    const url = preview.server.url
    const port = Number(new URL(url).port)
    for (const host of [`127.0.0.1:${port}`, `localhost:${port}`, `LocalHost:${port}`, `[::1]:${port}`]) {
      expect((await ask(url, '/', { host })).status, host).toBe(200)
      expect((await ask(url, '/__fieldnotes/events', { host })).status, host).toBe(200)
    }
    const strangers = [`evil.example:${port}`, 'evil.example', `127.0.0.1.nip.io:${port}`, `localhost.:${port}`, `127.0.0.2:${port}`, `[::2]:${port}`]
    const wrongPort = [`localhost:${port + 1}`, '127.0.0.1', '[::1]', `localhost:0${port}`, `localhost:${port}:${port}`, '']
    for (const host of [...strangers, ...wrongPort]) {
      for (const target of ['/', '/themes/a/', '/assets/style.css', '/__fieldnotes/events', '/__fieldnotes/reload.js']) {
        const answer = await ask(url, target, { host })
        expect(answer.status, `${host} ${target}`).toBe(421)
        expect(answer.body).not.toContain('Alpha')
      }
    }
  })

  it.runIf(process.platform === 'linux')('listening on an address of its own, also accepts that address as Host, and still no other', async ({ startPreview }) => {
    const preview = await startPreview(project, { host: '127.0.0.2' })
    const url = preview.server.url
    expect(url).toMatch(/^http:\/\/127\.0\.0\.2:\d+\/$/)
    const port = new URL(url).port
    expect((await ask(url, '/', { host: `127.0.0.2:${port}` })).status).toBe(200)
    expect((await ask(url, '/', { host: `localhost:${port}` })).status).toBe(200)
    expect((await ask(url, '/', { host: `evil.example:${port}` })).status).toBe(421)
  })

  it('redirects a folder without its slash to a tidy path on the same server', async ({ startPreview }) => {
    const preview = await startPreview()
    const redirects: Record<string, string> = {
      '/.//findings': '/findings/',
      '//findings': '/findings/',
      '///findings//': '/findings/',
      '/findings': '/findings/',
      '/findings?from=search': '/findings/?from=search',
      '//themes//a': '/themes/a/',
      '/./themes/./a/': '/themes/a/',
      '/.': '/',
    }
    for (const [target, location] of Object.entries(redirects)) {
      const answer = await ask(preview.server.url, target)
      expect(answer.status, target).toBe(301)
      expect(answer.headers.location, target).toBe(location)
    }
  })

  it('refuses encoded dot segments, slashes and backslashes in a path', async ({ startPreview }) => {
    const preview = await startPreview()
    for (const target of ['/%2e%2e/%2e%2e/etc/passwd', '/.%2e/package.json', '/assets/..%2f..%2fpackage.json', '/..%5c..%5cpackage.json', '/themes\\a/', '/%2Ffindings/']) {
      expect((await ask(preview.server.url, target)).status, target).toBe(404)
    }
  })

  it('answers 400 to a NUL byte, a broken percent escape or a target that is not a path', async ({ startPreview }) => {
    const preview = await startPreview()
    for (const target of ['/%00', '/themes/a%00/', '/themes/%0a/', '/%E0%A4%A', '/%', 'http://evil.example/', '*']) {
      expect((await ask(preview.server.url, target)).status, target).toBe(400)
    }
  })

  it('answers 414 to a path too long for any page', async ({ startPreview }) => {
    const preview = await startPreview()
    expect((await ask(preview.server.url, `/${'a'.repeat(5_000)}/`)).status).toBe(414)
    expect((await ask(preview.server.url, `/${'%61'.repeat(2_000)}/`)).status).toBe(414)
  })

  it('answers GET and HEAD only, and 405 to any other method', async ({ startPreview }) => {
    const preview = await startPreview()
    const url = preview.server.url
    const head = await ask(url, '/themes/a/', { method: 'HEAD' })
    expect(head).toMatchObject({ status: 200, body: '' })
    expect(head.headers['content-type']).toBe('text/html; charset=utf-8')
    for (const method of ['POST', 'PUT', 'DELETE', 'PATCH', 'OPTIONS']) {
      for (const target of ['/', '/__fieldnotes/events']) {
        const answer = await ask(url, target, { method })
        expect(answer.status, `${method} ${target}`).toBe(405)
        expect(answer.headers.allow).toBe('GET, HEAD')
      }
    }
  })

  it('tells browsers not to guess types, and other sites not to embed what it serves', async ({ startPreview }) => {
    const preview = await startPreview(withMap)
    const url = preview.server.url
    for (const target of ['/themes/a/', '/themes/map.png', '/assets/style.css', '/__fieldnotes/reload.js', '/__fieldnotes/events', '/nowhere/', '/findings', '/%00']) {
      const answer = await ask(url, target)
      expect(answer.headers['x-content-type-options'], target).toBe('nosniff')
      expect(answer.headers['cross-origin-resource-policy'], target).toBe('same-origin')
    }
  })
})
