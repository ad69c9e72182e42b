// A themed report in real Chromium: this repository's report with an accent
// colour, a custom stylesheet and a footer override. The accent is what the
// browser computes, the footer and the custom CSS show on every kind of page,
// nothing fails to load, and axe finds no violation in the light or the dark
// scheme, nor after the reader's toggle.

import { cp, readFile, writeFile } from 'node:fs/promises'
import path from 'node:path'
import type { Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { build } from '../src/build.js'
import { axeViolations, launchBrowser, serveDirectory, type Browser, type StaticServer } from './browser.js'
import { repoRoot, tempDir, writeFiles } from './helpers.js'

const accent = { light: 'rgb(122, 31, 92)', dark: 'rgb(240, 168, 216)' }

const dir = await tempDir()
const content = path.join(dir, 'content')
const out = path.join(dir, 'dist')
await cp(path.join(repoRoot, 'content'), content, { recursive: true })
const report = await readFile(path.join(content, 'report.yml'), 'utf8')
await writeFile(path.join(content, 'report.yml'), `${report.trimEnd()}\ntheme:\n  accent:\n    light: "#7a1f5c"\n    dark: "hsl(320 70% 80%)"\n  width: 64ch\n`)
await writeFiles(content, {
  'custom.css': '.site-footer { border-top: 3px dashed var(--accent); }\n',
  'templates/footer.liquid': '<footer class="site-footer">\n  <p>Published by the {{ site.title }} team. <a href="{{ page.root }}">Back to the start</a></p>\n</footer>\n',
})
const built = await build({ contentDir: content, outDir: out })

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

/** Open a page in a colour scheme, noting every request that failed. */
async function open(address: string, scheme: 'light' | 'dark'): Promise<{ page: Page; failed: string[] }> {
  const page = await browser.context.newPage()
  const failed: string[] = []
  page.on('requestfailed', (request) => failed.push(request.url()))
  page.on('response', (response) => {
    // The 404 page itself, and the 404 page's looks for the site's stylesheet in the folders above it (render/notfound.ts).
    const probe = response.request().method() === 'HEAD' && response.url().endsWith('/assets/style.css')
    if (response.status() >= 400 && !response.url().endsWith('/no-such-page/') && !probe) failed.push(`${response.status()} ${response.url()}`)
  })
  await page.setViewportSize({ width: 1280, height: 900 })
  await page.emulateMedia({ colorScheme: scheme })
  await page.goto(`${server.url}${address}`)
  await page.evaluate('localStorage.clear()')
  return { page, failed }
}

/** A computed style of the first element a selector matches; written as a string, since this project's types have no DOM. */
const style = (page: Page, selector: string, property: string) =>
  page.evaluate<string>(`getComputedStyle(document.querySelector(${JSON.stringify(selector)})).${property}`)

describe('a report with a theme, custom CSS and a footer override', () => {
  it('builds with no errors or warnings', () => {
    expect(built.messages.filter((m) => m.severity !== 'info')).toEqual([])
    expect(built.written).toBe(true)
  })

  it.each([
    ['', 'light'],
    ['', 'dark'],
    ['themes/learners/', 'light'],
    ['themes/learners/', 'dark'],
    ['recommendations/', 'dark'],
    ['no-such-page/', 'light'],
  ] as const)('/%s shows the accent, the footer and the custom CSS, and passes axe, in the %s scheme', async (address, scheme) => {
    const { page, failed } = await open(address, scheme)
    try {
      expect(await style(page, '.site-title', 'color')).toBe(accent[scheme])
      expect(await style(page, '.site-header', 'borderTopColor')).toBe(accent[scheme])
      expect((await page.locator('.site-footer').innerText()).trim()).toBe('Published by the Voices of JupyterHub team. Back to the start')
      expect(await style(page, '.site-footer', 'borderTopStyle')).toBe('dashed')
      expect(await style(page, '.site-footer', 'borderTopColor')).toBe(accent[scheme])
      expect(await page.evaluate<string>(`getComputedStyle(document.documentElement).getPropertyValue('--measure').trim()`)).toBe('64ch')
      expect(failed).toEqual([])
      expect(await axeViolations(page)).toEqual([])
    } finally {
      await page.close()
    }
  }, 60_000)

  it('follows the reader\'s toggle from light to dark', async () => {
    const { page } = await open('', 'light')
    try {
      await page.locator('.theme-toggle').click()
      await expect.poll(() => style(page, '.site-title', 'color'), { timeout: 15_000 }).toBe(accent.dark)
      expect(await axeViolations(page)).toEqual([])
    } finally {
      await page.close()
    }
  }, 60_000)
})
