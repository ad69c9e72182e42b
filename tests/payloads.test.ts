// The payload corpus (tests/fixtures/payloads.ts), built into a real site and
// read by real Chromium, page by page: nothing a payload carries may run, and
// what it says is shown as text or removed. Each page is loaded twice: as
// published, with its Content-Security-Policy, and with the policy taken out,
// so that the sanitizer and the escaping are tested on their own and the
// policy is only a second line of defence.

import { readdir, readFile } from 'node:fs/promises'
import path from 'node:path'
import type { Element } from 'hast'
import { fromHtml } from 'hast-util-from-html'
import { parse as parseYaml } from 'yaml'
import type { Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { rootFinder } from '../src/render/notfound.js'
import { launchBrowser, serveDirectory, type Browser, type StaticServer } from './browser.js'
import { payloadProject, payloads } from './fixtures/payloads.js'
import { buildProject, select, selectAll } from './helpers.js'

let browser: Browser
let server: StaticServer
let pages: string[]
let sanitized: number
let out: string
/** Each page's visit with the policy taken out, made once by whichever test asks first, so that the tests can run in any order, or alone. */
const unpoliced = new Map<string, Promise<Visit>>()
function visitWithoutPolicy(page: string): Promise<Visit> {
  let visited = unpoliced.get(page)
  if (!visited) {
    visited = visit(`${server.url}${page}`, { withPolicy: false })
    unpoliced.set(page, visited)
  }
  return visited
}

beforeAll(async () => {
  const project = await buildProject(payloadProject())
  expect(project.result.messages.filter((m) => m.severity !== 'info')).toEqual([])
  expect(project.result.written).toBe(true)
  sanitized = project.result.messages.filter((m) => m.ruleId === 'html-sanitized').length
  out = project.out
  pages = (await readdir(project.out, { recursive: true }))
    .map((entry) => entry.split(path.sep).join('/'))
    .filter((entry) => entry.endsWith('.html'))
    .sort()
  server = await serveDirectory(project.out)
  browser = await launchBrowser()
  // Runs before any script of the page: any dialog or print a payload opens is recorded, not shown.
  await browser.context.addInitScript(() => {
    const w = window as unknown as Record<string, unknown> & { __ran: string[]; __csp: string[] }
    w.__ran = []
    w.__csp = []
    for (const name of ['alert', 'confirm', 'prompt', 'print']) {
      w[name] = (...args: unknown[]) => {
        w.__ran.push(`${name}(${args.map(String).join(', ')})`)
      }
    }
    document.addEventListener('securitypolicyviolation', (event) => w.__csp.push(`${event.violatedDirective} ${event.blockedURI}`))
  })
})

afterAll(async () => {
  await browser?.close()
  await server?.close()
})

interface Visit {
  ran: string[]
  dialogs: string[]
  console: string[]
  requests: string[]
  csp: string[]
  problems: string[]
  text: string
  prose: string
  title: string
  policy: string
}

/** Open a page, poke every element the way a reader would, and collect anything that ran. */
async function visit(url: string, options: { withPolicy: boolean; waitFor?: (page: Page) => Promise<void> }): Promise<Visit> {
  const page = await browser.context.newPage()
  const dialogs: string[] = []
  const logged: string[] = []
  const requests: string[] = []
  page.on('dialog', (dialog) => {
    dialogs.push(`${dialog.type()}: ${dialog.message()}`)
    void dialog.dismiss()
  })
  page.on('console', (message) => logged.push(`${message.type()}: ${message.text()}`))
  page.on('pageerror', (error) => logged.push(`pageerror: ${error.message}`))
  page.on('request', (request) => {
    const target = request.url()
    if (!target.startsWith(server.url) || /xss/i.test(new URL(target).pathname)) requests.push(target)
  })
  if (!options.withPolicy) {
    await page.route('**/*', async (route) => {
      if (route.request().resourceType() !== 'document') return route.continue()
      const response = await route.fetch()
      const body = (await response.text()).replace(/<meta http-equiv="Content-Security-Policy"[^>]*>/i, '')
      await route.fulfill({ response, body })
    })
  }
  const response = await page.goto(url)
  expect(response?.status(), url).toBeLessThan(400)
  await options.waitFor?.(page)
  const problems = await page.evaluate(inspectAndPoke, rootFinder.text)
  // Let anything the pokes set off happen before looking.
  await page.evaluate(() => new Promise((resolve) => setTimeout(resolve, 0)))
  const state = await page.evaluate(() => {
    const w = window as unknown as { __ran: string[]; __csp: string[] }
    return { ran: w.__ran, csp: w.__csp, text: document.body.innerText, prose: document.querySelector<HTMLElement>('.prose')?.innerText ?? '',
      title: document.title,
      policy: document.querySelector('meta[http-equiv="Content-Security-Policy"]')?.getAttribute('content') ?? '',
    }
  })
  await page.close()
  return { ...state, dialogs, console: logged, requests, problems }
}

/** In the page: list anything that could run or restyle it, then dispatch the events a reader's actions would. `ownScript` is the one inline script the generator writes (the 404 page's). */
function inspectAndPoke(ownScript: string): string[] {
  const problems: string[] = []
  const urlAttributes = ['href', 'src', 'action', 'formaction', 'srcset', 'data', 'background', 'poster', 'xlink:href', 'cite']
  for (const element of Array.from(document.querySelectorAll('*'))) {
    const tag = element.tagName.toLowerCase()
    for (const attribute of Array.from(element.attributes)) {
      const name = attribute.name.toLowerCase()
      if (name.startsWith('on')) problems.push(`${tag}[${name}]`)
      if (name === 'style') problems.push(`${tag}[style]`)
      if (urlAttributes.includes(name)) {
        const value = attribute.value.replace(/[\u0000-\u0020]/g, '').toLowerCase()
        const rasterImage = tag === 'img' && name === 'src' && /^data:image\/(png|jpeg|gif|webp);base64,/.test(value)
        if (/^(javascript|vbscript):/.test(value) || (value.startsWith('data:') && !rasterImage)) problems.push(`${tag}[${name}=${attribute.value.slice(0, 40)}]`)
      }
    }
    if (['iframe', 'frame', 'object', 'embed', 'base', 'style', 'template', 'applet', 'portal'].includes(tag)) problems.push(`<${tag}>`)
    if (tag === 'meta' && element.getAttribute('http-equiv')?.toLowerCase() === 'refresh') problems.push('<meta refresh>')
    if (tag === 'link' && !/^(stylesheet|icon|canonical|schema\.DC)$/i.test(element.getAttribute('rel') ?? '')) problems.push(`<link rel=${element.getAttribute('rel')}>`)
    if (tag === 'link' && !new URL((element as HTMLLinkElement).href, location.href).href.startsWith(location.origin) && element.getAttribute('rel') !== 'canonical' && element.getAttribute('rel') !== 'schema.DC') {
      problems.push(`<link href=${element.getAttribute('href')}>`)
    }
    if (tag === 'form' && !['site-search', 'search-form'].some((c) => element.classList.contains(c))) problems.push('<form>')
    if (tag === 'script') {
      const type = element.getAttribute('type')
      const src = element.getAttribute('src')
      const own = src !== null && new URL(src, location.href).origin === location.origin && /\/(assets|pagefind)\//.test(new URL(src, location.href).pathname)
      const inline = !src && element.textContent === ownScript
      if (!(type === 'application/ld+json' && !src) && !own && !inline) problems.push(`<script src=${src}>`)
      if (type === 'application/ld+json') {
        try {
          JSON.parse(element.textContent ?? '')
        } catch {
          problems.push('JSON-LD that is not JSON')
        }
      }
    }
  }
  for (const element of Array.from(document.querySelectorAll('body *'))) {
    for (const type of ['mouseover', 'mouseenter', 'focus', 'focusin', 'error', 'load', 'toggle', 'animationstart']) {
      element.dispatchEvent(new Event(type, { bubbles: type !== 'mouseenter' && type !== 'focus' }))
    }
  }
  return problems
}

function expectNothingRan(result: Visit, where: string): void {
  expect(result.ran, `${where}: dialogs called`).toEqual([])
  expect(result.dialogs, `${where}: dialogs opened`).toEqual([])
  expect(result.requests, `${where}: requests a payload made`).toEqual([])
  expect(result.problems, `${where}: active content in the page`).toEqual([])
  // A payload's `<img src=x>` may stay, without its handler, and fail to load: that is all a console error may say.
  const errors = result.console.filter((line) => /XSS|pageerror|^error/i.test(line) && !/^error: Failed to load resource: .* 404/.test(line))
  expect(errors, `${where}: console`).toEqual([])
  expect(result.title, `${where}: title`).not.toMatch(/^XSS$/)
}

const value = (id: string) => payloads.find((p) => p.id === id)!.text

describe('payload values in metadata', () => {
  it('keeps them exactly, as data, in meta tags, JSON-LD and CITATION.cff', async () => {
    const landing = fromHtml(await readFile(path.join(out, 'index.html'), 'utf8'))
    const meta = (name: string) => (select(`meta[name="${name}"], meta[property="${name}"]`, landing) as Element | undefined)?.properties['content']
    expect(meta('description')).toBe(value('report-description'))
    expect(meta('og:site_name')).toBe(value('report-title'))
    expect(meta('citation_author')).toBe(value('author-name'))
    expect(meta('citation_author_institution')).toBe(value('author-affiliation'))
    expect(select('title', landing)?.children).toEqual([{ type: 'text', value: value('report-title'), position: expect.anything() }])
    const blocks = selectAll('script[type="application/ld+json"]', landing)
    expect(blocks).toHaveLength(1)
    const data = JSON.parse((blocks[0]!.children[0] as { value: string }).value) as { name: string; author: { name: string }[] }
    expect(data.name).toContain(value('report-title'))
    expect(data.author.map((a) => a.name)).toEqual([value('author-name')])
    const chapter = fromHtml(await readFile(path.join(out, 'fm-description-quote', 'index.html'), 'utf8'))
    expect((select('meta[name="description"]', chapter) as Element).properties['content']).toBe(value('fm-description-quote'))
    const cff = parseYaml(await readFile(path.join(out, 'CITATION.cff'), 'utf8')) as { title: string }
    expect(cff.title).toContain(value('report-title'))
  })
})

describe('the payload corpus in Chromium', () => {
  it('has at least 60 payloads of every kind, with unique names', () => {
    expect(payloads.length).toBeGreaterThanOrEqual(60)
    expect(new Set(payloads.map((p) => p.id)).size).toBe(payloads.length)
    const kinds = new Set(payloads.map((p) => p.kind))
    expect([...kinds].sort()).toEqual(['attribute', 'frontmatter', 'html', 'markdown', 'url', 'yaml'])
    // The sanitizer reported what it took out of the raw HTML and markdown.
    expect(sanitized).toBeGreaterThanOrEqual(payloads.filter((p) => p.kind === 'html').length)
  })

  it('runs nothing on any page as published, and breaks none of the page policy', async () => {
    expect(pages.length).toBeGreaterThanOrEqual(15)
    for (const page of pages) {
      const result = await visit(`${server.url}${page}`, { withPolicy: true })
      expectNothingRan(result, page)
      expect(result.csp, `${page}: policy violations`).toEqual([])
      // Search runs WebAssembly; the 404 page of a site with no site_url runs one script of its own, allowed by its hash.
      const wasm = page === 'search/index.html' ? " 'wasm-unsafe-eval'" : page === '404.html' ? ` '${rootFinder.hash}'` : ''
      expect(result.policy, page).toBe(
        `default-src 'self'; script-src 'self'${wasm}; style-src 'self'; img-src 'self' data:; object-src 'none'; base-uri 'none'; form-action 'self'`,
      )
    }
  }, 240_000)

  it('runs nothing on any page even with the policy taken out', async () => {
    for (const page of pages) expectNothingRan(await visitWithoutPolicy(page), `${page} (no policy)`)
  }, 240_000)

  it('shows each escaped payload to the reader as the text that was written', async () => {
    for (const payload of payloads.filter((p) => p.shown !== undefined)) {
      const result = await visitWithoutPolicy(payload.page)
      expect(`${result.title}\n${result.text}`, payload.id).toContain(payload.shown)
    }
    // The raw HTML payloads are removed, not shown: no script source is left in the chapter's text.
    expect(pages).toContain('html/index.html')
    const html = await visitWithoutPolicy('html/index.html')
    expect(html.prose).toContain('Case html-script-tag')
    expect(html.prose).not.toContain('alert(')
  }, 240_000)

  it('shows search results built from the payloads as text, running nothing', async () => {
    for (const query of ['alert', 'XSS script', 'title']) {
      const result = await visit(`${server.url}search/?q=${encodeURIComponent(query)}`, {
        withPolicy: true,
        waitFor: async (page) => {
          await page.waitForFunction(() => /result|Nothing found/.test(document.getElementById('search-status')?.textContent ?? ''))
        },
      })
      expectNothingRan(result, `search for ${query}`)
      expect(result.csp).toEqual([])
      if (query === 'alert') expect(result.text).toMatch(/\d+ results? for/)
    }
  }, 240_000)
})
