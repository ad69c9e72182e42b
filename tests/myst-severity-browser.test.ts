// What a MyST project's build lets through with a warning, in real Chromium:
// the placeholders and code that stand in for it pass the WCAG checks, in
// light and dark, on a site with no findings pages.

import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { build } from '../src/build.js'
import { axeViolations, launchBrowser, serveDirectory, type Browser, type StaticServer } from './browser.js'
import { tempDir, writeFiles } from './helpers.js'

let browser: Browser
let server: StaticServer

beforeAll(async () => {
  const dir = await tempDir()
  await writeFiles(path.join(dir, 'content'), {
    'myst.yml': 'version: 1\nproject:\n  title: Handbook\n',
    'index.md': [
      '# Home',
      '',
      '![A bar chart](missing.png)',
      '',
      'See [](#nowhere), [the plan](#plan) and [](other.md).',
      '',
      '```{sparkles} graph',
      'A --> B',
      '```',
      '',
      'A {sparkle}`shiny` word.',
      '',
      ':::{note}',
      'Left open to the end.',
      '',
    ].join('\n'),
  })
  const out = path.join(dir, 'dist')
  const result = await build({ contentDir: path.join(dir, 'content'), outDir: out, cache: false })
  expect(result.written).toBe(true)
  server = await serveDirectory(out)
  browser = await launchBrowser()
})

afterAll(async () => {
  await browser?.close()
  await server?.close()
})

describe('a MyST page with what mystmd builds anyway', () => {
  for (const scheme of ['light', 'dark'] as const) {
    it(`passes the WCAG checks in ${scheme}`, async () => {
      const page = await browser.context.newPage()
      await page.emulateMedia({ colorScheme: scheme })
      await page.goto(server.url)
      expect(await page.locator('.image-missing').count()).toBe(1)
      expect(await page.locator('.reference-unresolved').count()).toBe(3)
      expect(await page.locator('.directive.unhandled pre').count()).toBe(1)
      expect(await page.locator('.site-indexes a').allTextContents()).toEqual(['Full report'])
      expect(await axeViolations(page)).toEqual([])
      await page.close()
    })
  }
})
