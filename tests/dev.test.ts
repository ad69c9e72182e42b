// The live preview, driven over real HTTP: the CLI's `dev` command on a temporary
// report, its server-sent events, the terminal, and the overlay in Chromium.

import { spawn, type ChildProcess } from 'node:child_process'
import { get, type IncomingMessage } from 'node:http'
import { cp, readFile, writeFile } from 'node:fs/promises'
import path from 'node:path'
import { fromHtml } from 'hast-util-from-html'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { build } from '../src/build.js'
import { startDevServer, type DevUpdate } from '../src/dev/server.js'
import { launchBrowser, type Browser } from './browser.js'
import { attr, repoRoot, select, tempDir, text, writeFiles } from './helpers.js'

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

describe('fieldnotes dev, as a process', () => {
  let dir: string
  let child: ChildProcess
  let url: string
  let terminal = ''

  beforeAll(async () => {
    dir = await tempDir()
    await writeFiles(path.join(dir, 'content'), project)
    child = spawn(process.execPath, [path.join(repoRoot, 'bin', 'fieldnotes.js'), 'dev', '--port', '0'], { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'] })
    child.stderr!.setEncoding('utf8')
    child.stderr!.on('data', (chunk: string) => (terminal += chunk))
    url = await new Promise<string>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`dev did not start:\n${terminal}`)), 60_000)
      child.stderr!.on('data', () => {
        const found = /at (http:\/\/127\.0\.0\.1:\d+\/)/.exec(terminal)?.[1]
        if (found) (clearTimeout(timer), resolve(found))
      })
    })
  })

  afterAll(async () => {
    if (child.exitCode === null) {
      const exited = new Promise((resolve) => child.once('exit', resolve))
      child.kill('SIGTERM')
      await exited
    }
  })

  it('serves pages from memory on 127.0.0.1 with the reload script, and nothing else from outside the site', async () => {
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

  it('rebuilds after an edit and sends a reload for the pages that changed, and only those', async () => {
    const events = await listen(url)
    try {
      await writeFile(path.join(dir, 'content', 'themes/a.md'), chapter('Alpha', 'alpha', '\nA new paragraph about alpha.\n'))
      const reload = (await events.next('reload')) as { paths: string[] }
      expect(reload.paths).toContain('/themes/a/')
      expect(reload.paths).toContain('/full-report/')
      expect(reload.paths).not.toContain('/themes/b/')
      expect(reload.paths).not.toContain('/')
      const page = fromHtml((await fetchText(`${url}themes/a/`)).body)
      expect(text(page, '.prose > p')).toBe('A new paragraph about alpha.')
    } finally {
      events.close()
    }
  })

  it('reports a broken edit in the terminal and to open pages while serving the last good page, and recovers when fixed', async () => {
    const events = await listen(url)
    try {
      const before = (await fetchText(`${url}themes/b/`)).body
      await writeFile(path.join(dir, 'content', 'themes/b.md'), chapter('Beta', 'beta', '\nSee [](#alpah).\n'))
      const problems = (await events.next('problems')) as { summary: string; text: string }
      const expected = 'content/themes/b.md:10:5  error  Nothing in the report has the id `alpah`  reference-target-exists'
      expect(problems.summary).toBe('1 error, 0 warnings, 0 info')
      expect(problems.text).toContain(expected)
      expect(problems.text).toContain('hint: Did you mean `alpha`?')
      await expect.poll(() => terminal, { timeout: 10_000 }).toContain(expected)
      expect(terminal).toContain('Still serving the last version that built')

      const during = await fetchText(`${url}themes/b/`)
      expect(during.status).toBe(200)
      expect(during.body).toBe(before)
      // A page opened while the report is broken hears about it at once.
      const late = await listen(url)
      expect(((await late.next('problems')) as { text: string }).text).toContain(expected)
      late.close()

      await writeFile(path.join(dir, 'content', 'themes/b.md'), chapter('Beta', 'beta', '\nSee [](#alpha).\n'))
      await events.next('ok')
      expect(((await events.next('reload')) as { paths: string[] }).paths).toContain('/themes/b/')
      expect(text(fromHtml((await fetchText(`${url}themes/b/`)).body), '.prose > p a')).toBe('Finding 1: Alpha finding')
    } finally {
      events.close()
    }
  })
})

describe('the dev server in a browser', () => {
  let browser: Browser
  let dir: string
  let server: Awaited<ReturnType<typeof startDevServer>>
  const updates: DevUpdate[] = []

  beforeAll(async () => {
    dir = await tempDir()
    await writeFiles(path.join(dir, 'content'), project)
    server = await startDevServer({ contentDir: path.join(dir, 'content'), port: 0, onUpdate: (u) => updates.push(u) })
    browser = await launchBrowser()
  })

  afterAll(async () => {
    await browser?.close()
    await server?.close()
  })

  it('parses only the chapter that changed', async () => {
    expect(updates[0]?.parsed).toBe(3)
    const events = await listen(server.url)
    await writeFile(path.join(dir, 'content', 'themes/b.md'), chapter('Beta', 'beta', '\nOnly b changed.\n'))
    await events.next('reload')
    events.close()
    expect(updates.at(-1)?.parsed).toBe(1)
    expect(updates.at(-1)?.cause).toEqual([path.join(dir, 'content', 'themes', 'b.md')])
  })

  it('reloads an open page by itself, shows problems over it, and clears them when fixed', async () => {
    const page = await browser.context.newPage()
    await page.goto(`${server.url}themes/a/`)
    // The page listens before the first edit.
    await page.waitForSelector('html[data-fieldnotes-preview="live"]')

    await writeFile(path.join(dir, 'content', 'themes/a.md'), chapter('Alpha', 'alpha', '\nSeen in the browser.\n'))
    await page.waitForSelector('text=Seen in the browser.', { timeout: 20_000 })
    await page.waitForSelector('html[data-fieldnotes-preview="live"]')

    await writeFile(path.join(dir, 'content', 'themes/a.md'), chapter('Alpha', 'alpha', '\n![](missing.png)\n'))
    const overlay = page.locator('#fieldnotes-problems')
    await overlay.waitFor({ timeout: 20_000 })
    expect(await overlay.textContent()).toContain('content/themes/a.md:10:1  error  The image `missing.png` has no alt text  image-has-alt')
    expect(await page.locator('.prose').textContent()).toContain('Seen in the browser.')

    await writeFile(path.join(dir, 'content', 'themes/a.md'), chapter('Alpha', 'alpha', '\nFixed now.\n'))
    await page.waitForSelector('text=Fixed now.', { timeout: 20_000 })
    expect(await overlay.count()).toBe(0)
    await page.close()
  })

  it('reloads every page when a static file changes, and rebuilds when a template does', async () => {
    const own = await tempDir()
    await cp(path.join(repoRoot, 'templates'), path.join(own, 'templates'), { recursive: true })
    await writeFiles(path.join(own, 'public'), { 'assets/style.css': 'body { color: black }\n' })
    await writeFiles(path.join(own, 'content'), project)
    const second = await startDevServer({
      contentDir: path.join(own, 'content'),
      templatesDir: path.join(own, 'templates'),
      publicDir: path.join(own, 'public'),
      port: 0,
    })
    const events = await listen(second.url)
    try {
      await writeFile(path.join(own, 'public', 'assets', 'style.css'), 'body { color: navy }\n')
      expect(await events.next('reload')).toEqual({ paths: ['*'] })
      expect((await fetchText(`${second.url}assets/style.css`)).body).toBe('body { color: navy }\n')

      const template = path.join(own, 'templates', 'chapter.liquid')
      await writeFile(template, (await readFile(template, 'utf8')).replace('<article class="chapter">', '<article class="chapter"><p class="banner">Draft</p>'))
      const reload = (await events.next('reload')) as { paths: string[] }
      expect(reload.paths).toEqual(expect.arrayContaining(['/themes/a/', '/themes/b/']))
      expect(reload.paths).not.toContain('/findings/')
      expect(text(fromHtml((await fetchText(`${second.url}themes/a/`)).body), '.banner')).toBe('Draft')
    } finally {
      events.close()
      await second.close()
    }
  })

  it('shows a waiting page when the report has never built, and reloads it once it does', async () => {
    const own = await tempDir()
    await writeFiles(path.join(own, 'content'), { ...project, 'themes/b.md': chapter('Beta', 'beta', '\n[](#nowhere)\n') })
    const updates: DevUpdate[] = []
    const third = await startDevServer({ contentDir: path.join(own, 'content'), port: 0, onUpdate: (u) => updates.push(u) })
    const events = await listen(third.url)
    try {
      expect(updates[0]).toMatchObject({ ok: false, serving: false })
      const waiting = await fetchText(`${third.url}themes/a/`)
      expect(waiting.status).toBe(503)
      expect(text(fromHtml(waiting.body), 'h1')).toBe('The report does not build yet')
      expect(waiting.body).toContain('<script src="/__fieldnotes/reload.js"></script>')
      expect(((await events.next('problems')) as { text: string }).text).toContain('reference-target-exists')

      await writeFile(path.join(own, 'content', 'themes/b.md'), chapter('Beta', 'beta'))
      await events.next('ok')
      expect(await events.next('reload')).toEqual({ paths: ['*'] })
      expect((await fetchText(`${third.url}themes/a/`)).status).toBe(200)
    } finally {
      events.close()
      await third.close()
    }
  })

  it('never puts the reload script into a built site', async () => {
    const out = path.join(dir, 'dist')
    const result = await build({ contentDir: path.join(dir, 'content'), outDir: out })
    expect(result.written).toBe(true)
    const html = await readFile(path.join(out, 'themes/a/index.html'), 'utf8')
    expect(select('script[src*="__fieldnotes"]', fromHtml(html))).toBeUndefined()
    expect(html).not.toContain('__fieldnotes')
  })
})
