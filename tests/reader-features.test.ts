// What readers do with the default report, in real Chromium: search it, move
// through it by keyboard alone, switch and keep a theme, preview
// cross-references by mouse, keyboard and touch, sort and filter the
// recommendations, copy the citation, and read it all without JavaScript.
// Screenshots of key pages go to test-artifacts/ for people to look at.

import { mkdir, readFile } from 'node:fs/promises'
import path from 'node:path'
import type { Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { build } from '../src/build.js'
import { axeViolations, launchBrowser, serveDirectory, type Browser, type StaticServer } from './browser.js'
import { repoRoot, selectAll, tempDir } from './helpers.js'
import { fromHtml } from 'hast-util-from-html'
import { toString } from 'hast-util-to-string'

interface Preview {
  kind: string
  label: string
  title: string
  summary: string
  url: string
}

const out = path.join(await tempDir(), 'dist')
const artifacts = path.join(repoRoot, 'test-artifacts')
let browser: Browser
let server: StaticServer
let previews: Record<string, Preview>

beforeAll(async () => {
  const result = await build({ contentDir: path.join(repoRoot, 'content'), outDir: out })
  expect(result.written).toBe(true)
  previews = JSON.parse(await readFile(path.join(out, 'assets/previews.json'), 'utf8')).items
  server = await serveDirectory(out)
  browser = await launchBrowser()
})

afterAll(async () => {
  await browser?.close()
  await server?.close()
})

async function open(address: string, options: { scheme?: 'light' | 'dark'; width?: number; javaScript?: boolean } = {}): Promise<Page> {
  const page = await browser.context.newPage()
  await page.setViewportSize({ width: options.width ?? 1280, height: 900 })
  await page.emulateMedia({ colorScheme: options.scheme ?? 'light' })
  if (options.javaScript === false) {
    const cdp = await browser.context.newCDPSession(page)
    await cdp.send('Emulation.setScriptExecutionDisabled', { value: true })
  }
  await page.goto(`${server.url}${address}`)
  return page
}

/** Clear what earlier tests left in this browser profile. */
async function forgetTheme(page: Page): Promise<void> {
  await page.evaluate('localStorage.clear()')
}

/** How far a page scrolls sideways; 0 when it fits. */
const sideways = 'document.documentElement.scrollWidth - document.documentElement.clientWidth'

/** Wait for something the page does after an event; generous, since a busy machine is slow. */
const poll = <T>(read: () => T | Promise<T>) => expect.poll(read, { timeout: 15_000 })

describe('search', () => {
  it('finds a known finding by a word from its text, as a result of its own', async () => {
    const finding = previews['no-install-teaching']!
    const page = await open('search/?q=installation')
    const first = page.locator('.search-results li').first()
    await first.waitFor()
    const results = page.locator('.search-results .result-title a')
    const titles = await results.allTextContents()
    expect(titles).toContain(`${finding.label}: ${finding.title}`)
    const link = results.filter({ hasText: `${finding.label}: ${finding.title}` })
    expect(new URL((await link.getAttribute('href'))!, page.url()).href).toBe(`${server.url}${finding.url}`)
    expect(await page.locator('#search-status').textContent()).toMatch(/\d+ results? for “installation”/)
    await page.close()
  })

  it('finds participants by label and by role, with the findings that quote them', async () => {
    const page = await open('search/?q=Outreachy')
    await page.locator('.search-results li').first().waitFor()
    const titles = await page.locator('.search-results .result-title a').allTextContents()
    expect(titles).toContain('Participants')
    expect(titles.some((t) => /^Finding \d+: /.test(t))).toBe(true)
    await page.locator('#search-query').fill('P09')
    await page.locator('#search-query').press('Enter')
    await poll(() => page.url()).toMatch(/\?q=P09$/)
    await poll(() => page.locator('.search-results .result-title a').allTextContents()).toContain('Participants')
    await page.close()
  })

  it('says so when nothing matches', async () => {
    const page = await open('search/?q=zyzzogeton')
    await poll(() => page.locator('#search-status').textContent()).toContain('Nothing found for “zyzzogeton”')
    expect(await page.locator('.search-results').count()).toBe(0)
    await page.close()
  })
})

describe('keyboard only', () => {
  it('reaches every control of a chapter with a visible focus ring, then searches and follows a result', async () => {
    const page = await open('themes/learners/')
    // Scripts run in the page are written as strings: this project's types have no DOM.
    const focused = () =>
      page.evaluate<{ tag: string; id: string; text: string; ring: boolean; visible: boolean } | null>(`(() => {
        const el = document.activeElement
        if (!el || el === document.body) return null
        const style = getComputedStyle(el)
        const box = el.getBoundingClientRect()
        return {
          tag: el.tagName.toLowerCase(),
          id: el.id,
          text: (el.textContent ?? '').trim().slice(0, 60),
          ring: style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) >= 2,
          visible: box.width > 0 && box.height > 0,
        }
      })()`)

    // The first stop is the skip link, and it works.
    await page.keyboard.press('Tab')
    expect(await focused()).toMatchObject({ text: 'Skip to main content', ring: true, visible: true })
    await page.keyboard.press('Enter')
    expect(await page.evaluate('document.activeElement?.id')).toBe('main')

    // Tab through the whole page: every stop shows where focus is.
    await page.reload()
    const stops: NonNullable<Awaited<ReturnType<typeof focused>>>[] = []
    for (let i = 0; i < 300; i++) {
      await page.keyboard.press('Tab')
      const now = await focused()
      if (!now || (stops.length > 0 && now.text === stops[0]!.text && now.tag === stops[0]!.tag && now.id === stops[0]!.id)) break
      stops.push(now)
    }
    expect(stops.length).toBeGreaterThan(20)
    expect(stops.filter((s) => !s.ring || !s.visible)).toEqual([])
    expect(stops.map((s) => s.text)).toContain('Dark theme')
    expect(stops.some((s) => /^Next \S/.test(s.text))).toBe(true)

    // From the top: the header's search box, a query, a result.
    await page.reload()
    for (let i = 0; i < 30 && (await focused())?.id !== 'site-search-query'; i++) await page.keyboard.press('Tab')
    expect((await focused())?.id).toBe('site-search-query')
    await page.keyboard.type('installation')
    await page.keyboard.press('Enter')
    await page.waitForURL(/\/search\/\?q=installation$/)
    await page.locator('.search-results li').first().waitFor()
    const finding = previews['no-install-teaching']!
    for (let i = 0; i < 60 && (await focused())?.text !== `${finding.label}: ${finding.title}`; i++) await page.keyboard.press('Tab')
    expect(await focused()).toMatchObject({ text: `${finding.label}: ${finding.title}`, ring: true })
    await page.keyboard.press('Enter')
    await page.waitForURL(`${server.url}${finding.url}`)
    expect(await page.locator(`[id="no-install-teaching"]`).isVisible()).toBe(true)
    await page.close()
  })
})

describe('themes', () => {
  it('follow the system, and a choice made with the toggle is kept across pages without a flash', async () => {
    const page = await open('themes/learners/', { scheme: 'light' })
    await forgetTheme(page)
    await page.reload()
    // Record the theme at the moment <body> is created, before anything is painted.
    await page.addInitScript(`
      new MutationObserver((_, observer) => {
        if (!document.body) return
        window.themeAtBody = document.documentElement.getAttribute('data-theme')
        observer.disconnect()
      }).observe(document, { childList: true, subtree: true })
    `)
    const background = () => page.evaluate<string>('getComputedStyle(document.body).backgroundColor')
    const lightBackground = await background()
    const toggle = page.getByRole('button', { name: 'Dark theme' })
    expect(await toggle.getAttribute('aria-pressed')).toBe('false')

    await toggle.click()
    expect(await toggle.getAttribute('aria-pressed')).toBe('true')
    const darkBackground = await background()
    expect(darkBackground).not.toBe(lightBackground)

    await page.locator('a[rel="next"]').click()
    await page.waitForURL(/themes\/research\/$/)
    expect(await page.evaluate('window.themeAtBody')).toBe('dark')
    expect(await background()).toBe(darkBackground)
    expect(await page.getByRole('button', { name: 'Dark theme' }).getAttribute('aria-pressed')).toBe('true')

    // A chosen light theme also wins over a dark system.
    await page.getByRole('button', { name: 'Dark theme' }).click()
    await page.emulateMedia({ colorScheme: 'dark' })
    await page.goto(`${server.url}findings/`)
    expect(await page.evaluate('window.themeAtBody')).toBe('light')
    expect(await background()).toBe(lightBackground)
    await forgetTheme(page)
    await page.reload()
    expect(await background()).toBe(darkBackground)
    await page.close()
  })
})

describe('reference previews', () => {
  const target = () => previews['no-install-teaching']!
  const linkTo = (page: Page) => page.locator(`main a[href$="#no-install-teaching"]`).first()

  it('show number, title and first paragraph on hover, and stay while the pointer is on them', async () => {
    const page = await open('ways-forward/')
    const link = linkTo(page)
    const preview = page.locator('#reference-preview')
    await link.hover()
    await poll(() => preview.isVisible()).toBe(true)
    expect(await preview.locator('.preview-label').textContent()).toBe(target().label)
    expect(await preview.locator('.preview-title').textContent()).toBe(target().title)
    expect(await preview.locator('.preview-summary').textContent()).toBe(target().summary)
    expect(target().summary.length).toBeGreaterThan(40)
    expect(await link.getAttribute('aria-describedby')).toBe('reference-preview')
    expect(await preview.getAttribute('role')).toBe('tooltip')
    // Placed next to the link, just below (or above) it, not somewhere else on the page.
    const [linkBox, previewBox] = [(await link.boundingBox())!, (await preview.boundingBox())!]
    const gap = Math.min(Math.abs(previewBox.y - (linkBox.y + linkBox.height)), Math.abs(linkBox.y - (previewBox.y + previewBox.height)))
    expect(gap).toBeLessThan(20)
    expect(Math.abs(previewBox.x - linkBox.x)).toBeLessThan(previewBox.width)
    // WCAG 1.4.13: the preview can be hovered, and it does not cover the page sideways.
    await preview.hover()
    // Wait on a timer of the page itself, set after the pointer moved: it fires only after any timer
    // the move set to hide the preview (300 ms), however slow the machine.
    await page.evaluate('new Promise((resolve) => setTimeout(resolve, 600))')
    expect(await preview.isVisible()).toBe(true)
    expect(await page.evaluate(sideways)).toBe(0)
    expect(await axeViolations(page)).toEqual([])
    await page.mouse.move(5, 5)
    await poll(() => preview.isVisible()).toBe(false)
    expect(await link.getAttribute('aria-describedby')).toBeNull()
    await page.close()
  })

  it('show on keyboard focus and close with Escape, keeping focus on the link', async () => {
    const page = await open('ways-forward/')
    const link = linkTo(page)
    const preview = page.locator('#reference-preview')
    const onLink = () => page.evaluate<boolean>(`document.activeElement === document.querySelector('main a[href$="#no-install-teaching"]')`)
    for (let i = 0; i < 400 && !(await onLink()); i++) await page.keyboard.press('Tab')
    expect(await onLink()).toBe(true)
    await poll(() => preview.isVisible()).toBe(true)
    expect(await preview.locator('.preview-title').textContent()).toBe(target().title)
    await page.keyboard.press('Escape')
    await poll(() => preview.isVisible()).toBe(false)
    expect(await onLink()).toBe(true)
    await page.keyboard.press('Enter')
    await page.waitForURL(`${server.url}${target().url}`)
    await page.close()
  })

  it('open with a first tap on touch screens; a second tap follows the link', async () => {
    const page = await open('ways-forward/', { width: 390 })
    const cdp = await browser.context.newCDPSession(page)
    await cdp.send('Emulation.setTouchEmulationEnabled', { enabled: true, maxTouchPoints: 1 })
    const link = linkTo(page)
    await link.scrollIntoViewIfNeeded()
    const tap = async () => {
      const box = (await link.boundingBox())!
      const point = { x: box.x + Math.min(box.width / 2, 20), y: box.y + box.height / 2 }
      await cdp.send('Input.dispatchTouchEvent', { type: 'touchStart', touchPoints: [point] })
      await cdp.send('Input.dispatchTouchEvent', { type: 'touchEnd', touchPoints: [] })
    }
    const before = page.url()
    await tap()
    const preview = page.locator('#reference-preview')
    await poll(() => preview.isVisible()).toBe(true)
    expect(page.url()).toBe(before)
    expect(await page.evaluate(sideways)).toBe(0)
    await tap()
    await page.waitForURL(`${server.url}${target().url}`)
    await page.close()
  })

  it('leave plain links when JavaScript is off', async () => {
    const page = await open('ways-forward/', { javaScript: false })
    const link = linkTo(page)
    // No script of the site has run (the theme toggle it adds is missing), so nothing can make a preview later.
    expect(await page.locator('.theme-slot').count()).toBe(1)
    expect(await page.locator('button.theme-toggle').count()).toBe(0)
    await link.hover()
    expect(await page.locator('#reference-preview').count()).toBe(0)
    expect(await link.getAttribute('aria-describedby')).toBeNull()
    await link.click()
    await page.waitForURL(`${server.url}${target().url}`)
    await page.close()
  })
})

describe('the recommendations index', () => {
  /** The static table, read from the built file: what readers without JavaScript get. */
  async function staticRows(): Promise<{ number: number; title: string; audience: string; horizon: string }[]> {
    const tree = fromHtml(await readFile(path.join(out, 'recommendations/index.html'), 'utf8'))
    return selectAll('.recommendations-table tbody tr', tree).map((row) => {
      const cells = selectAll('td, th', row).map((c) => toString(c).replace(/\s+/g, ' ').trim())
      return { number: Number(cells[0]), title: cells[1]!, audience: cells[2]!, horizon: cells[3]! }
    })
  }
  const shownTitles = (page: Page) => page.locator('.recommendations-table tbody tr:not([hidden]) th').allTextContents()

  it('filters by horizon and by audience, and says how many are shown', async () => {
    const rows = await staticRows()
    expect(rows.length).toBeGreaterThan(3)
    const page = await open('recommendations/')
    await page.getByLabel('Horizon').selectOption('long')
    const long = rows.filter((r) => r.horizon.split(', ').includes('long'))
    expect(long.length).toBeGreaterThan(0)
    expect(long.length).toBeLessThan(rows.length)
    expect((await shownTitles(page)).map((t) => t.trim())).toEqual(long.map((r) => r.title))
    expect(await page.getByRole('status').filter({ hasText: 'Showing' }).textContent()).toBe(`Showing ${long.length} of ${rows.length} recommendations.`)
    expect(page.url()).toMatch(/\?horizon=long$/)

    await page.getByLabel('Horizon').selectOption('')
    await page.getByLabel('Audience includes').fill('funders')
    const funders = rows.filter((r) => r.audience.toLowerCase().includes('funders'))
    expect(funders.length).toBeGreaterThan(0)
    expect((await shownTitles(page)).map((t) => t.trim())).toEqual(funders.map((r) => r.title))
    expect(await axeViolations(page)).toEqual([])

    await page.getByRole('button', { name: 'Show all' }).click()
    expect(await shownTitles(page)).toHaveLength(rows.length)
    await page.close()
  })

  it('sorts by column from buttons in the headers, marking the sorted column', async () => {
    const rows = await staticRows()
    const page = await open('recommendations/')
    const byTitle = [...rows].map((r) => r.title).sort((a, b) => (a.toLowerCase() < b.toLowerCase() ? -1 : 1))
    const header = page.locator('.recommendations-table thead th').nth(1)
    await header.getByRole('button').click()
    expect((await shownTitles(page)).map((t) => t.trim())).toEqual(byTitle)
    expect(await header.getAttribute('aria-sort')).toBe('ascending')
    await header.getByRole('button').click()
    expect((await shownTitles(page)).map((t) => t.trim())).toEqual([...byTitle].reverse())
    expect(await header.getAttribute('aria-sort')).toBe('descending')
    const number = page.locator('.recommendations-table thead th').first()
    await number.getByRole('button').click()
    expect((await shownTitles(page)).map((t) => t.trim())).toEqual(rows.map((r) => r.title))
    expect(await header.getAttribute('aria-sort')).toBeNull()
    await page.close()
  })

  it('is the full static table without JavaScript', async () => {
    const rows = await staticRows()
    const page = await open('recommendations/', { javaScript: false })
    expect(await page.locator('.table-controls *').count()).toBe(0)
    expect(await page.locator('.table-controls').isVisible()).toBe(false)
    expect(await page.locator('.recommendations-table thead button').count()).toBe(0)
    expect((await shownTitles(page)).map((t) => t.trim())).toEqual(rows.map((r) => r.title))
    await page.close()
  })
})

describe('without JavaScript', () => {
  it('the contents menu opens, the header search goes to the search page, and there is no dead button', async () => {
    const page = await open('themes/learners/', { javaScript: false, width: 390 })
    const menu = page.locator('details.contents-menu')
    expect(await menu.locator('nav').isVisible()).toBe(false)
    await menu.locator('summary').click()
    expect(await menu.getByRole('link', { name: 'Methods' }).isVisible()).toBe(true)
    expect(await page.locator('button.theme-toggle').count()).toBe(0)
    expect(await page.locator('.theme-slot').isVisible()).toBe(false)
    await page.getByRole('searchbox', { name: 'Search the report' }).fill('review')
    await page.getByRole('searchbox', { name: 'Search the report' }).press('Enter')
    await page.waitForURL(/\/search\/\?q=review$/)
    expect(await page.getByText('Searching needs JavaScript').isVisible()).toBe(true)
    await page.close()
  })
})

describe('Cite this report', () => {
  it('copies the citation and the BibTeX with buttons', async () => {
    await browser.context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: server.url })
    const page = await open('')
    const citation = (await page.locator('.cite .citation').textContent())!.trim()
    await page.getByRole('button', { name: 'Copy citation' }).click()
    expect(await page.evaluate<string>('navigator.clipboard.readText()')).toBe(citation)
    expect(await page.locator('.cite [role="status"]').first().textContent()).toBe('Copied.')
    await page.locator('.bibtex summary').click()
    await page.getByRole('button', { name: 'Copy BibTeX' }).click()
    const bibtex = await page.evaluate<string>('navigator.clipboard.readText()')
    expect(bibtex).toMatch(/^@techreport\{/)
    expect(bibtex).toBe((await page.locator('.bibtex pre').textContent())!.trim())
    await page.close()
  })
})

describe('screenshots', () => {
  /** Width and height from a PNG's header chunk. */
  const sizeOf = (png: Buffer) => ({ width: png.readUInt32BE(16), height: png.readUInt32BE(20) })

  /** The mean brightness of an image, 0 to 255, decoded and read by Chromium itself. */
  async function brightness(png: Buffer): Promise<number> {
    const page = await browser.context.newPage()
    await page.setContent(`<img src="data:image/png;base64,${png.toString('base64')}">`)
    const mean = await page.evaluate<number>(`(async () => {
      const img = document.images[0]
      await img.decode()
      const canvas = document.createElement('canvas')
      canvas.width = img.naturalWidth
      canvas.height = img.naturalHeight
      const context = canvas.getContext('2d')
      context.drawImage(img, 0, 0)
      const { data } = context.getImageData(0, 0, canvas.width, canvas.height)
      let sum = 0
      for (let i = 0; i < data.length; i += 4) sum += 0.2126 * data[i] + 0.7152 * data[i + 1] + 0.0722 * data[i + 2]
      return sum / (data.length / 4)
    })()`)
    await page.close()
    return mean
  }

  it('of the landing page, a theme chapter and the recommendations index, at 390 and 1280 px, in both themes', async () => {
    await mkdir(artifacts, { recursive: true })
    for (const [name, address] of [['landing', ''], ['chapter', 'themes/learners/'], ['recommendations', 'recommendations/']] as const) {
      for (const width of [390, 1280]) {
        const shots: Partial<Record<'light' | 'dark', number>> = {}
        for (const scheme of ['light', 'dark'] as const) {
          const page = await open(address, { width, scheme })
          const file = path.join(artifacts, `${name}-${width}-${scheme}.png`)
          // The whole page, down to a height that shows the layout without a huge image.
          const height = await page.evaluate<number>('document.documentElement.scrollHeight')
          const png = await page.screenshot({ path: file, fullPage: true, clip: { x: 0, y: 0, width, height: Math.min(height, 2400) } })
          await page.close()
          expect(sizeOf(png), file).toEqual({ width, height: Math.min(height, 2400) })
          expect((await readFile(file)).equals(png), `${file} is the screenshot taken`).toBe(true)
          shots[scheme] = await brightness(png)
        }
        // Each shows its theme: a mostly light page and a mostly dark one.
        expect(shots.light, `${name} at ${width} px, light`).toBeGreaterThan(180)
        expect(shots.dark, `${name} at ${width} px, dark`).toBeLessThan(90)
      }
    }
  })
})
