// Chapters that became generated pages, in real Chromium: the recommendations
// page keeps its table tools and the search page its search, each under the
// author's text, with no axe violation in either theme, and search finds the
// author's text where it is published.

import path from 'node:path'
import type { Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { build } from '../src/build.js'
import { axeViolations, launchBrowser, serveDirectory, type Browser, type StaticServer } from './browser.js'
import { tempDir, writeFiles } from './helpers.js'

const files = {
  'report.yml': 'title: Shared computing\n',
  'participants.yml': '- id: P01\n  role: Maintainer\n  consent: anonymous\n- id: P02\n  role: Teacher\n  consent: anonymous\n',
  'index.md': '# Shared computing\n\nWhat we heard.\n',
  'findings/governance.md': '# Governance\n\n:::finding{#slow-review}\n## Reviews are slow\n\n> They sit for weeks.\n> — P01\n:::\n',
  'findings/teaching.md': '# Teaching\n\n:::finding{#setup-cost}\n## Setting up a class takes days\n\n> A week, every term.\n> — P02\n:::\n',
  'recommendations.md': `# What we recommend

Our advice, written for the steering council.

:::recommendation{#r-triage addresses="slow-review" audience="Maintainers" horizon="short"}
## Triage weekly
:::

:::recommendation{#r-templates addresses="setup-cost" audience="Teachers" horizon="medium"}
## Share class templates
:::
`,
  'search.md': '# Search the interviews\n\nTry a role, such as teacher.\n',
}

let browser: Browser
let server: StaticServer

beforeAll(async () => {
  const dir = await tempDir()
  await writeFiles(path.join(dir, 'content'), files)
  const result = await build({ contentDir: path.join(dir, 'content'), outDir: path.join(dir, 'dist') })
  expect(result.messages).toEqual([])
  server = await serveDirectory(path.join(dir, 'dist'))
  browser = await launchBrowser()
})

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
  page.on('response', (response) => {
    if (response.status() >= 400) problems.push(`HTTP ${response.status()}: ${response.url()}`)
  })
  await page.emulateMedia({ colorScheme: scheme })
  await page.goto(`${server.url}${address}`)
  return { page, problems }
}

const poll = <T>(read: () => T | Promise<T>) => expect.poll(read, { timeout: 15_000 })

describe('a recommendations chapter and a search chapter, in a browser', () => {
  for (const scheme of ['light', 'dark'] as const) {
    it(`shows both pages with no axe violation and no error in the ${scheme} theme`, async () => {
      for (const address of ['recommendations/', 'search/']) {
        const { page, problems } = await open(address, scheme)
        try {
          expect(await axeViolations(page), address).toEqual([])
          expect(problems, address).toEqual([])
        } finally {
          await page.close()
        }
      }
    })
  }

  it("filters the recommendations table under the author's text", async () => {
    const { page, problems } = await open('recommendations/?horizon=medium')
    try {
      expect(await page.locator('main h1').textContent()).toBe('What we recommend')
      await poll(() => page.locator('table.recommendations-table tbody tr:visible').count()).toBe(1)
      expect(await page.locator('table.recommendations-table tbody tr:visible th').textContent()).toBe('Share class templates')
      expect(problems).toEqual([])
    } finally {
      await page.close()
    }
  })

  it("searches from the page the search chapter became, and finds the recommendations chapter's text there", async () => {
    const { page, problems } = await open('search/?q=steering')
    try {
      expect(await page.locator('main h1').textContent()).toBe('Search the interviews')
      await page.locator('.search-results li').first().waitFor()
      const hrefs = await page.locator('.search-results .result-title a').evaluateAll((links) => links.map((a) => a.getAttribute('href')))
      expect(hrefs.map((href) => new URL(href!, page.url()).pathname)).toEqual(['/recommendations/'])
      expect(problems).toEqual([])
    } finally {
      await page.close()
    }
  })
})
