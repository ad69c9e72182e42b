// The 404 page as a host serves it: for a missing address at any depth, on a
// site published under a sub-path (a GitHub Pages project site), with and
// without `site_url`. In real Chromium: its stylesheet applies, its scripts
// run, nothing breaks the page's Content-Security-Policy, and its links lead
// into the site.

import { createHash } from 'node:crypto'
import { readFile } from 'node:fs/promises'
import path from 'node:path'
import type { Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { rootFinder } from '../src/render/notfound.js'
import { launchBrowser, serveDirectory, type Browser, type StaticServer } from './browser.js'
import { buildProject, type BuiltProject } from './helpers.js'

const files = {
  'index.md': '# Field notes on tea\n\nWhat we heard.\n',
  'themes/kettles.md': '# Kettles\n\nThey boil.\n',
}

let browser: Browser
const servers: StaticServer[] = []
let unknownRoot: BuiltProject
let knownRoot: BuiltProject

beforeAll(async () => {
  ;[unknownRoot, knownRoot] = await Promise.all([
    buildProject({ ...files, 'report.yml': 'title: Field notes on tea\n' }),
    buildProject({ ...files, 'report.yml': 'title: Field notes on tea\nsite_url: https://example.org/report/\n' }),
  ])
  browser = await launchBrowser()
}, 120_000)

afterAll(async () => {
  await browser?.close()
  await Promise.all(servers.map((s) => s.close()))
})

async function serve(project: BuiltProject, under: string): Promise<StaticServer> {
  expect(project.result.messages.filter((m) => m.severity !== 'info')).toEqual([])
  const server = await serveDirectory(project.out, { under })
  servers.push(server)
  return server
}

/** Open a missing address and wait until the page is shown; policy violations are collected from the first script on. */
async function openMissing(address: string): Promise<{ page: Page; status: number | undefined; violations: () => Promise<string[]> }> {
  const page = await browser.context.newPage()
  await page.addInitScript(`(() => {
    window.__violations = []
    document.addEventListener('securitypolicyviolation', (e) => window.__violations.push(e.violatedDirective + ' ' + e.blockedURI))
  })()`)
  const response = await page.goto(address, { waitUntil: 'load' })
  await shown(page)
  return { page, status: response?.status(), violations: () => page.evaluate<string[]>('window.__violations') }
}

/** Wait until the page is shown and its scripts have run (site.js makes the theme toggle). Polled from outside: the page's policy forbids evaluating strings in it. */
async function shown(page: Page): Promise<void> {
  await page.locator('.theme-toggle').waitFor({ state: 'attached' })
  await expect.poll(() => page.evaluate<boolean>('document.documentElement.hasAttribute("style")')).toBe(false)
}

describe('the 404 page without site_url', () => {
  it.each([['a/b/missing'], ['missing'], ['themes/no-such-chapter/']])(
    'is styled, runs its scripts and breaks no policy when served for /report/%s',
    async (missing) => {
      const server = await serve(unknownRoot, '/report/')
      const { page, status, violations } = await openMissing(`${server.url}${missing}`)
      try {
        expect(status).toBe(404)
        expect(await page.locator('h1').textContent()).toBe('Page not found')
        // The stylesheet applies: the skip link is moved off screen, the page's width is capped.
        expect(await page.evaluate<string>('getComputedStyle(document.querySelector(".skip-link")).position')).toBe('absolute')
        expect(await violations()).toEqual([])
        // Every address of the page now starts from the site's path.
        const addresses = await page.evaluate<string[]>(
          `[...document.querySelectorAll('a[href], link[href], form[action], script[src]')].map((e) => e.getAttribute('href') ?? e.getAttribute('action') ?? e.getAttribute('src'))`,
        )
        expect(addresses.length).toBeGreaterThan(5)
        for (const address of addresses) expect(address, address).toMatch(/^\/report\/|^#/)
      } finally {
        await page.close()
      }
    },
    60_000,
  )

  it('leads home, to search and to the chapters from a deep missing address', async () => {
    const server = await serve(unknownRoot, '/report/')
    const { page } = await openMissing(`${server.url}a/b/missing`)
    try {
      await page.getByRole('link', { name: 'Go to the start of Field notes on tea' }).click()
      await page.waitForURL(server.url)
      expect(await page.title()).toBe('Field notes on tea')
      await page.goBack()
      await shown(page)
      await page.locator('.sidebar').getByRole('link', { name: 'Kettles' }).click()
      await page.waitForURL(`${server.url}themes/kettles/`)
      expect(await page.locator('h1').textContent()).toBe('Kettles')
      await page.goBack()
      await shown(page)
      await page.locator('header input[type="search"]').fill('kettles')
      await page.locator('header form[role="search"] button').click()
      await page.waitForURL(`${server.url}search/?q=kettles`)
    } finally {
      await page.close()
    }
  }, 60_000)

  it('works the same for a site at the top of its host', async () => {
    const server = await serve(unknownRoot, '/')
    const { page, violations } = await openMissing(`${server.url}a/b/missing`)
    try {
      expect(await page.evaluate<string>('getComputedStyle(document.querySelector(".skip-link")).position')).toBe('absolute')
      expect(await violations()).toEqual([])
      expect(await page.getByRole('link', { name: 'Go to the start of Field notes on tea' }).getAttribute('href')).toBe('/')
    } finally {
      await page.close()
    }
  }, 60_000)

  it('allows its one inline script by hash, and only on the 404 page', async () => {
    const html = await readFile(path.join(unknownRoot.out, '404.html'), 'utf8')
    const script = /<script>([\s\S]*?)<\/script>/.exec(html)![1]!
    expect(script).toBe(rootFinder.text)
    const hash = `sha256-${createHash('sha256').update(script).digest('base64')}`
    const policy = /<meta http-equiv="Content-Security-Policy" content="([^"]*)"/.exec(html)![1]!
    expect(policy).toContain(`script-src 'self' '${hash}';`)
    expect(policy).not.toContain('unsafe-inline')
    const landing = await readFile(path.join(unknownRoot.out, 'index.html'), 'utf8')
    expect(landing).not.toContain('sha256-')
    expect(landing).not.toMatch(/<script>/)
  })
})

describe('the 404 page with site_url', () => {
  it('needs no script to find the site: its addresses start from the configured path', async () => {
    const server = await serve(knownRoot, '/report/')
    const { page, status, violations } = await openMissing(`${server.url}a/b/missing`)
    try {
      expect(status).toBe(404)
      expect(await page.evaluate<string>('getComputedStyle(document.querySelector(".skip-link")).position')).toBe('absolute')
      expect(await violations()).toEqual([])
      await page.getByRole('link', { name: 'Go to the start of Field notes on tea' }).click()
      await page.waitForURL(server.url)
    } finally {
      await page.close()
    }
    const text = await readFile(path.join(knownRoot.out, '404.html'), 'utf8')
    expect(text).not.toMatch(/<script>/)
    expect(text).toContain('<script src="/report/assets/theme.js">')
  }, 60_000)
})
