// Every page of the default report, in real Chromium: it loads with no console
// errors and no failed requests, asks nothing of any other host, passes axe
// (WCAG 2.2 AA) in the light and the dark theme, and fits a 390 px and a
// 360 px wide phone without sideways scrolling.

import { readdir } from 'node:fs/promises'
import path from 'node:path'
import type { Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { build } from '../src/build.js'
import { axeViolations, launchBrowser, serveDirectory, type Browser, type StaticServer } from './browser.js'
import { repoRoot, tempDir } from './helpers.js'

const out = path.join(await tempDir(), 'dist')
const built = await build({ contentDir: path.join(repoRoot, 'content'), outDir: out })

/** Every HTML file of the built site, as the address a reader opens. */
const pages = (await readdir(out, { recursive: true }))
  .filter((file) => file.endsWith('.html'))
  .map((file) => file.split(path.sep).join('/').replace(/(^|\/)index\.html$/, '$1'))
  .sort()


let browser: Browser
let server: StaticServer

beforeAll(async () => {
  server = await serveDirectory(out)
  browser = await launchBrowser()
})

afterAll(async () => {
  await browser?.close()
  await server?.close()
})

/** What went wrong while a page loaded: console errors, page errors, failed or outside requests. */
function watch(page: Page, origin: string): string[] {
  const problems: string[] = []
  page.on('console', (message) => {
    if (message.type() === 'error') problems.push(`console: ${message.text()}`)
  })
  page.on('pageerror', (error) => problems.push(`page error: ${error.message}`))
  page.on('request', (request) => {
    if (!request.url().startsWith(origin) && !request.url().startsWith('data:')) problems.push(`outside request: ${request.url()}`)
  })
  page.on('requestfailed', (request) => problems.push(`failed: ${request.url()} ${request.failure()?.errorText ?? ''}`))
  page.on('response', (response) => {
    if (response.status() >= 400) problems.push(`HTTP ${response.status()}: ${response.url()}`)
  })
  return problems
}

async function sidewaysScroll(page: Page, width: number): Promise<number> {
  await page.setViewportSize({ width, height: 800 })
  // Written as a string: this project's types have no DOM.
  return page.evaluate<number>('document.documentElement.scrollWidth - document.documentElement.clientWidth')
}

describe('every page of the default report', () => {
  it('is built, search page and 404 page included', () => {
    expect(built.written).toBe(true)
    expect(pages).toContain('')
    expect(pages).toContain('search/')
    expect(pages).toContain('404.html')
    expect(pages.length).toBeGreaterThan(15)
  })

  it('are checked by an axe that does report violations (a faint paragraph and an image without alt)', async () => {
    const page = await browser.context.newPage()
    try {
      await page.goto(`${server.url}404.html`)
      await page.evaluate(`(() => {
        const faint = document.createElement('p')
        faint.textContent = 'Barely there'
        faint.style.color = '#eeeeee'
        const image = document.createElement('img')
        image.src = 'assets/favicon.svg'
        document.querySelector('main').append(faint, image)
      })()`)
      const ids = (await axeViolations(page)).map((v) => v.split(':')[0])
      expect(ids).toContain('color-contrast')
      expect(ids).toContain('image-alt')
    } finally {
      await page.close()
    }
  })

  it('answers an address with no page with status 404 and the report’s own 404 page, styled and linking home', async () => {
    const page = await browser.context.newPage()
    const problems = watch(page, server.url)
    try {
      const response = await page.goto(`${server.url}themes/no-such-chapter/`, { waitUntil: 'load' })
      expect(response?.status()).toBe(404)
      expect(await page.locator('h1').textContent()).toBe('Page not found')
      // Its stylesheet and links work from any depth: the page looks for the site's root in the folders above (tests/not-found.test.ts).
      expect(await page.evaluate<string>('getComputedStyle(document.querySelector(".skip-link")).position')).toBe('absolute')
      await page.locator('.theme-toggle').waitFor({ state: 'attached' })
      await page.getByRole('link', { name: /^Go to the start of / }).click()
      await page.waitForURL(server.url)
      // The only failures were the page that is not there and the two folders above it that hold no site, which Chromium also logs.
      const notFound = 'console: Failed to load resource: the server responded with a status of 404 (Not Found)'
      expect(problems.sort()).toEqual([
        `HTTP 404: ${server.url}themes/assets/style.css`,
        `HTTP 404: ${server.url}themes/no-such-chapter/`,
        `HTTP 404: ${server.url}themes/no-such-chapter/assets/style.css`,
        notFound,
        notFound,
        notFound,
      ])
    } finally {
      await page.close()
    }
  })

  it.each(pages)('/%s loads cleanly, passes axe in both themes and fits a phone', async (address) => {
    const page = await browser.context.newPage()
    const problems = watch(page, server.url)
    // The search page is checked with results on it, which loads the index.
    const url = `${server.url}${address}${address === 'search/' ? '?q=contributors' : ''}`
    try {
      await page.emulateMedia({ colorScheme: 'light' })
      const response = await page.goto(url, { waitUntil: 'load' })
      expect(response?.status()).toBe(200)
      if (address === 'search/') await page.locator('.search-results li').first().waitFor()

      expect(await axeViolations(page), 'axe, light theme').toEqual([])
      const background = () => page.evaluate<string>('getComputedStyle(document.body).backgroundColor')
      const light = await background()
      await page.emulateMedia({ colorScheme: 'dark' })
      expect(await background(), 'the dark theme is in use').not.toBe(light)
      expect(await axeViolations(page), 'axe, dark theme').toEqual([])

      expect(await sidewaysScroll(page, 390), 'sideways scroll at 390 px').toBe(0)
      expect(await sidewaysScroll(page, 360), 'sideways scroll at 360 px').toBe(0)
      expect(problems).toEqual([])
    } finally {
      await page.close()
    }
  })
})
