// The default report on phones and on wide screens, in real Chromium: the
// index tables keep every field in view at 390 and 360 px, the evidence map
// sorts by its counts and keeps its header in view, "On this page" stays
// beside the text at 1280 px and marks the section being read, and the
// pages touched keep axe at zero in both themes. Screenshots go to
// test-artifacts/ for people to look at.

import { mkdir, readFile } from 'node:fs/promises'
import path from 'node:path'
import type { Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { build } from '../src/build.js'
import { axeViolations, launchBrowser, serveDirectory, type Browser, type StaticServer } from './browser.js'
import { repoRoot, tempDir } from './helpers.js'

const out = path.join(await tempDir(), 'dist')
const artifacts = path.join(repoRoot, 'test-artifacts')
let browser: Browser
let server: StaticServer

beforeAll(async () => {
  expect((await build({ contentDir: path.join(repoRoot, 'content'), outDir: out })).written).toBe(true)
  server = await serveDirectory(out)
  browser = await launchBrowser()
})

afterAll(async () => {
  await browser?.close()
  await server?.close()
})

async function open(address: string, width: number, scheme: 'light' | 'dark' = 'light'): Promise<Page> {
  const page = await browser.context.newPage()
  await page.setViewportSize({ width, height: 800 })
  await page.emulateMedia({ colorScheme: scheme })
  await page.goto(`${server.url}${address}`)
  return page
}

const tables = [
  ['recommendations/', '.recommendations-table'],
  ['participants/', '.participants-table'],
  ['evidence/', '.evidence-table'],
] as const

interface Cell {
  text: string
  left: number
  right: number
  width: number
  height: number
}

/** Every header and data cell of the table, with its box in page coordinates. */
function cells(page: Page, selector: string): Promise<Cell[]> {
  return page.locator(`${selector} :is(th, td)`).evaluateAll((nodes) =>
    nodes.map((node) => {
      const box = node.getBoundingClientRect()
      return { text: (node.textContent ?? '').trim().slice(0, 40), left: box.left + scrollX, right: box.right + scrollX, width: box.width, height: box.height }
    }),
  )
}

describe('the index tables on phones', () => {
  for (const width of [390, 360]) {
    for (const [address, selector] of tables) {
      it(`show every cell of ${address} within the width of a ${width} px screen, with no sideways scrolling`, async () => {
        const page = await open(address, width)
        const found = await cells(page, selector)
        expect(found.length).toBeGreaterThan(20)
        const outside = found.filter((c) => c.width === 0 || c.height === 0 || c.left < 0 || c.right > width)
        expect(outside, `cells of ${address} outside 0-${width} px`).toEqual([])
        expect(await page.evaluate('document.documentElement.scrollWidth')).toBeLessThanOrEqual(width)
        // The column's name is shown before each field.
        const label = await page.locator(`${selector} tbody td[data-label]`).first().evaluate((td) => getComputedStyle(td, '::before').content)
        expect(label).toMatch(/^attr\(data-label\) ": "|^".+: "/)
        await page.close()
      })
    }
  }

  it('stay tables for screen readers: rows, column headers and cells keep their roles', async () => {
    const page = await open('participants/', 390)
    const tree = await page.locator('.participants-table').ariaSnapshot()
    expect(tree).toMatch(/^- table "Participants, their roles, and where they are quoted"/)
    expect(tree).toContain('- columnheader "Quoted in"')
    expect(tree).toContain('- rowheader "P01"')
    expect(tree).toMatch(/- cell "Finding \d+/)
    await page.close()
  })

  it('keep the recommendations filters and sorting working as cards', async () => {
    const page = await open('recommendations/?horizon=long', 390)
    const shown = () => page.locator('.recommendations-table tbody tr:not([hidden]) td[data-label="Horizon"]').allTextContents()
    const horizons = await shown()
    expect(horizons.length).toBeGreaterThan(0)
    expect(horizons.every((h) => h.split(', ').includes('long'))).toBe(true)
    await page.getByRole('button', { name: 'Show all' }).click()
    await page.getByRole('button', { name: 'Recommendation', exact: true }).click()
    expect(await page.locator('.recommendations-table thead th:nth-child(2)').getAttribute('aria-sort')).toBe('ascending')
    const titles = await page.locator('.recommendations-table tbody th').allTextContents()
    expect(titles).toEqual([...titles].sort((a, b) => a.toLowerCase().localeCompare(b.toLowerCase())))
    // The sort buttons are in view, above the cards.
    const button = await page.getByRole('button', { name: 'Horizon', exact: true }).boundingBox()
    expect(button!.x + button!.width).toBeLessThanOrEqual(390)
    await page.close()
  })
})

describe('the evidence map', () => {
  it('sorts findings by quotes or participants within each theme, most first, and back', async () => {
    const page = await open('evidence/', 1280)
    const counts = (label: string) =>
      page.locator('.evidence-table tbody').evaluateAll(
        (bodies, l) => bodies.map((b) => [...b.querySelectorAll(`td[data-label="${l}"]`)].map((td) => Number(td.textContent!.trim()))),
        label,
      )
    const before = await counts('Participants')
    await page.getByRole('button', { name: 'Participants' }).click()
    const after = await counts('Participants')
    expect(after).toEqual(before.map((theme) => [...theme].sort((a, b) => b - a)))
    expect(after.flat().length).toBe(27)
    expect(await page.locator('.evidence-table thead th:nth-child(3)').getAttribute('aria-sort')).toBe('descending')
    await page.getByRole('button', { name: 'Participants' }).click()
    expect(await counts('Participants')).toEqual(before.map((theme) => [...theme].sort((a, b) => a - b)))
    // Each theme keeps its heading first.
    expect(await page.locator('.evidence-table tbody tr:first-child').evaluateAll((rows) => rows.every((r) => r.classList.contains('theme-row')))).toBe(true)
    await page.getByRole('button', { name: 'Finding' }).click()
    const numbers = (await page.locator('.evidence-table tbody th[scope="row"]').allTextContents()).map((t) => parseInt(t, 10))
    expect(numbers).toEqual(Array.from({ length: 27 }, (_, i) => i + 1))
    await page.close()
  })

  it('keeps its header row in view while the findings scroll', async () => {
    const page = await open('evidence/', 1280)
    const wrap = page.locator('.evidence-wrap')
    await wrap.evaluate((w) => w.scrollIntoView())
    await wrap.evaluate((w) => (w.scrollTop = 500))
    const [frame, header, row] = await page.evaluate(() =>
      ['.evidence-wrap', '.evidence-table thead th:nth-child(2)', '.evidence-table tbody tr:nth-child(3) th'].map((s) => document.querySelector(s)!.getBoundingClientRect().top),
    )
    expect(await wrap.evaluate((w) => w.scrollTop)).toBeGreaterThan(400)
    expect(Math.abs(header! - frame!)).toBeLessThanOrEqual(1)
    expect(header).toBeGreaterThanOrEqual(0)
    // The first rows have scrolled away above the header.
    expect(row).toBeLessThan(frame!)
    await page.close()
  })
})

describe('"On this page"', () => {
  const chapter = 'themes/newcomers/'

  it('stays beside the text at 1280 px and marks the section being read', async () => {
    const page = await open(chapter, 1280)
    const outline = page.locator('nav.outline')
    const prose = await page.locator('.prose').boundingBox()
    const box = await outline.boundingBox()
    expect(box!.x).toBeGreaterThan(prose!.x + prose!.width)
    const links = outline.locator('a')
    expect(await links.count()).toBeGreaterThan(2)
    expect(await outline.locator('a[aria-current="true"]').count()).toBe(1)
    const third = (await links.nth(2).getAttribute('href'))!
    await page.locator(third).evaluate((h) => h.scrollIntoView())
    await page.waitForFunction((href) => document.querySelector(`.outline a[href="${href}"]`)?.getAttribute('aria-current') === 'true', third)
    expect(await outline.locator('a[aria-current]').count()).toBe(1)
    const scrolled = await outline.boundingBox()
    expect(await page.evaluate('scrollY')).toBeGreaterThan(1000)
    expect(scrolled!.y).toBeGreaterThanOrEqual(0)
    expect(scrolled!.y + scrolled!.height).toBeLessThanOrEqual(800)
    // Back at the top, the first section is marked again.
    await page.evaluate('scrollTo(0, 0)')
    await page.waitForFunction(() => document.querySelector('.outline a')?.getAttribute('aria-current') === 'true')
    await page.close()
  })

  it('stays a box above the text below 1200 px', async () => {
    const page = await open(chapter, 1100)
    const box = await page.locator('nav.outline').boundingBox()
    const prose = await page.locator('.prose').boundingBox()
    expect(box!.y + box!.height).toBeLessThanOrEqual(prose!.y)
    await page.evaluate('scrollTo(0, 3000)')
    expect((await page.locator('nav.outline').boundingBox())!.y).toBeLessThan(0)
    await page.close()
  })
})

describe('small screens', () => {
  it('keep each ORCID on one line', async () => {
    for (const width of [390, 360]) {
      const page = await open('', width)
      const lines = await page.locator('.orcid').evaluateAll((links) => links.map((a) => a.getClientRects().length))
      expect(lines.length).toBeGreaterThan(0)
      expect(lines, `at ${width} px`).toEqual(lines.map(() => 1))
      await page.close()
    }
  })

  it('put the theme button on the search page beside the links, not on a row of its own', async () => {
    for (const width of [390, 360, 1280]) {
      const page = await open('search/', width)
      await page.locator('.theme-toggle').waitFor()
      const button = (await page.locator('.theme-toggle').boundingBox())!
      const nav = (await page.locator('.site-indexes').boundingBox())!
      // The button shares a row with the links: their vertical extents overlap.
      expect(button.y, `at ${width} px`).toBeLessThan(nav.y + nav.height)
      expect(button.y + button.height, `at ${width} px`).toBeGreaterThan(nav.y)
      expect(button.x + button.width).toBeLessThanOrEqual(width)
      await page.close()
    }
  })
})

describe('accessibility', () => {
  for (const scheme of ['light', 'dark'] as const) {
    it(`finds no axe violation on the pages changed, at 390 and 1280 px, in the ${scheme} theme`, async () => {
      for (const width of [390, 1280]) {
        for (const address of ['recommendations/', 'participants/', 'evidence/', 'search/', 'themes/newcomers/', '']) {
          const page = await open(address, width, scheme)
          expect(await axeViolations(page), `${address} at ${width} px, ${scheme}`).toEqual([])
          await page.close()
        }
      }
    })
  }
})

describe('screenshots', () => {
  it('of the index tables, the evidence map, a chapter and the search page at 390 and 1280 px, in both themes', async () => {
    await mkdir(artifacts, { recursive: true })
    const pages = [
      ['recommendations', 'recommendations/'],
      ['participants', 'participants/'],
      ['evidence', 'evidence/'],
      ['chapter-outline', 'themes/newcomers/'],
      ['search', 'search/'],
    ] as const
    for (const [name, address] of pages) {
      for (const width of [390, 1280]) {
        for (const scheme of ['light', 'dark'] as const) {
          const page = await open(address, width, scheme)
          const file = path.join(artifacts, `phones-${name}-${width}-${scheme}.png`)
          const height = Math.min(await page.evaluate<number>('document.documentElement.scrollHeight'), 2400)
          const png = await page.screenshot({ path: file, fullPage: true, clip: { x: 0, y: 0, width, height } })
          await page.close()
          expect({ width: png.readUInt32BE(16), height: png.readUInt32BE(20) }, file).toEqual({ width, height })
          expect((await readFile(file)).equals(png), `${file} is the screenshot taken`).toBe(true)
        }
      }
    }
  })
})
