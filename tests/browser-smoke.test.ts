// The simplest browser check: the default report opens in real Chromium,
// with no console errors and no request leaving the local server.

import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { build } from '../src/build.js'
import { launchBrowser, serveDirectory, type Browser, type StaticServer } from './browser.js'
import { repoRoot, tempDir } from './helpers.js'

let browser: Browser
let server: StaticServer

beforeAll(async () => {
  const out = path.join(await tempDir(), 'dist')
  const result = await build({ contentDir: path.join(repoRoot, 'content'), outDir: out })
  expect(result.written).toBe(true)
  server = await serveDirectory(out)
  browser = await launchBrowser()
})

afterAll(async () => {
  await browser?.close()
  await server?.close()
})

describe('the default report in Chromium', () => {
  it('opens a theme chapter with no console errors and only local requests', async () => {
    const page = await browser.context.newPage()
    const errors: string[] = []
    const requests: string[] = []
    page.on('console', (message) => {
      if (message.type() === 'error') errors.push(message.text())
    })
    page.on('request', (request) => requests.push(request.url()))
    const response = await page.goto(`${server.url}themes/learners/`)
    expect(response?.status()).toBe(200)
    expect(await page.locator('h1').textContent()).toBe('Opening computing to learners')
    expect(await page.locator('section.finding').count()).toBe(3)
    expect(errors).toEqual([])
    expect(requests.length).toBeGreaterThan(1)
    expect(requests.filter((url) => !url.startsWith(server.url))).toEqual([])
    await page.close()
  })
})
