// Copy-link buttons in real Chromium, on the default report: reached from the
// keyboard beside a finding's number and a quote's permalink, Enter copies the
// page's address with the anchor and the live region says so; the pages with
// permalinks and compact references have no axe violation in either theme.

import path from 'node:path'
import type { Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { build } from '../src/build.js'
import { axeViolations, launchBrowser, serveDirectory, type Browser, type StaticServer } from './browser.js'
import { repoRoot, tempDir } from './helpers.js'

let browser: Browser
let server: StaticServer

beforeAll(async () => {
  const out = path.join(await tempDir(), 'dist')
  expect((await build({ contentDir: path.join(repoRoot, 'content'), outDir: out })).written).toBe(true)
  server = await serveDirectory(out)
  browser = await launchBrowser()
  await browser.context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: new URL(server.url).origin })
}, 120_000)

afterAll(async () => {
  await browser?.close()
  await server?.close()
})

async function open(address: string, scheme: 'light' | 'dark' = 'light'): Promise<{ page: Page; problems: string[] }> {
  const page = await browser.context.newPage()
  const problems: string[] = []
  page.on('console', (message) => {
    if (message.type() === 'error') problems.push(`console: ${message.text()}`)
  })
  page.on('pageerror', (error) => problems.push(`page error: ${error.message}`))
  await page.emulateMedia({ colorScheme: scheme })
  await page.goto(new URL(address, server.url).href)
  // The indexes have no permalinks of their own: their entries link to the items.
  if (!['findings/', 'recommendations/'].includes(address)) await page.waitForSelector('.copy-link')
  return { page, problems }
}

const status = (page: Page) => page.locator('main > p[role="status"]')

describe('copy-link buttons', () => {
  it('copy a finding’s address from the keyboard and say so', async () => {
    const { page, problems } = await open('themes/newcomers/')
    const number = page.locator('#steep-context-curve .finding-title > a.item-number')
    const label = (await number.textContent())!.trim()
    expect(label).toMatch(/^Finding \d+$/)
    // The button comes right after the number in the tab order.
    await number.focus()
    await page.keyboard.press('Tab')
    const button = page.locator(':focus')
    expect(await button.evaluate((el) => [el.tagName, el.className, el.getAttribute('type')])).toEqual(['BUTTON', 'copy-link', 'button'])
    expect(await button.getAttribute('aria-label')).toBe(`Copy link to ${label}`)
    await page.keyboard.press('Enter')
    await expect.poll(() => status(page).textContent()).toBe(`Link to ${label} copied.`)
    expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(new URL('themes/newcomers/#steep-context-curve', server.url).href)
    expect(problems).toEqual([])
    await page.close()
  })

  it('copy a quote’s address from the keyboard and say so', async () => {
    const { page, problems } = await open('themes/newcomers/')
    const button = page.locator('#q-steep-context-curve-2 > button.copy-link')
    expect(await button.getAttribute('aria-label')).toBe('Copy link to this quote')
    await page.locator('#q-steep-context-curve-2 > a.permalink').focus()
    await page.keyboard.press('Tab')
    expect(await button.evaluate((el) => el === document.activeElement)).toBe(true)
    await page.keyboard.press('Enter')
    await expect.poll(() => status(page).textContent()).toBe('Link to this quote copied.')
    expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(new URL('themes/newcomers/#q-steep-context-curve-2', server.url).href)
    expect(problems).toEqual([])
    await page.close()
  })

  it('copy a heading’s address, which its own link also holds', async () => {
    const { page } = await open('methods/')
    const heading = page.locator('main .prose h2[id]').first()
    const id = (await heading.getAttribute('id'))!
    expect(await heading.locator('> a.permalink').getAttribute('href')).toBe(`#${id}`)
    await heading.locator('> button.copy-link').focus()
    await page.keyboard.press('Enter')
    await expect.poll(() => status(page).textContent()).toBe('Link to this section copied.')
    expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(new URL(`methods/#${id}`, server.url).href)
    await page.close()
  })
})

describe('compact references on the indexes', () => {
  it('show the full title in the preview, from the keyboard', async () => {
    const { page, problems } = await open('recommendations/')
    const first = page.locator('a.compact-ref').first()
    const shown = (await first.evaluate((el) => el.firstChild?.textContent ?? '')).trim()
    expect(shown).toMatch(/^F\d+$/)
    const hidden = (await first.locator('.visually-hidden').textContent())!.replace(/^: /, '')
    await page.keyboard.press('Tab')
    await first.focus()
    const preview = page.locator('#reference-preview')
    await expect.poll(() => preview.isVisible()).toBe(true)
    expect(await preview.locator('.preview-label').textContent()).toBe(`Finding ${shown.slice(1)}`)
    expect(await preview.locator('.preview-title').textContent()).toBe(hidden)
    expect(problems).toEqual([])
    await page.close()
  })
})

describe('pages with permalinks and compact references', () => {
  for (const address of ['', 'themes/newcomers/', 'ways-forward/', 'findings/', 'recommendations/', 'full-report/'])
    for (const scheme of ['light', 'dark'] as const)
      it(`have no axe violation: /${address} (${scheme})`, async () => {
        const { page, problems } = await open(address, scheme)
        expect(await axeViolations(page)).toEqual([])
        expect(problems).toEqual([])
        await page.close()
      })
})
