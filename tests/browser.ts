// Real Chromium for browser tests, and a static server for a built site on
// 127.0.0.1. A missing browser is a failure, never a skip.

import { existsSync } from 'node:fs'
import { mkdtemp, readFile, rm } from 'node:fs/promises'
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { AxeBuilder } from '@axe-core/playwright'
import { chromium, type BrowserContext, type Page } from 'playwright-core'
import sirv from 'sirv'

export const chromiumPath = process.env['CHROMIUM_PATH'] ?? '/usr/bin/chromium'

export interface Browser {
  context: BrowserContext
  close(): Promise<void>
}

/** Start headless Chromium with a fresh profile. Throws when Chromium is not installed. */
export async function launchBrowser(): Promise<Browser> {
  if (!existsSync(chromiumPath)) {
    throw new Error(`Chromium is not installed at ${chromiumPath}; install Debian's chromium package (see .ci/run).`)
  }
  const profile = await mkdtemp(path.join(tmpdir(), 'fieldnotes-chromium-'))
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: chromiumPath,
    headless: true,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  })
  return {
    context,
    async close() {
      await context.close()
      await rm(profile, { recursive: true, force: true })
    },
  }
}

export interface StaticServer {
  url: string
  close(): Promise<void>
}

/**
 * Serve a folder on 127.0.0.1 at a free port. A missing page gets status 404 and the folder's own 404.html, as GitHub Pages serves it; a plain page where the folder has none.
 * With `under` (`/report/`), the folder is served at that path, as a GitHub Pages project site is, and nothing is served outside it.
 */
export async function serveDirectory(dir: string, options: { under?: string } = {}): Promise<StaticServer> {
  const serve = sirv(dir, { dev: true, etag: false })
  const under = options.under ?? '/'
  const server: Server = createServer((req, res) => {
    if (!req.url?.startsWith(under)) {
      res.statusCode = 404
      res.setHeader('content-type', 'text/plain; charset=utf-8')
      return res.end('Not found')
    }
    req.url = `/${req.url.slice(under.length)}`
    serve(req, res, () => {
      res.statusCode = 404
      res.setHeader('content-type', 'text/html; charset=utf-8')
      // Read at each request, like sirv in dev mode, so that a site rebuilt in place is served as it is now.
      // A HEAD request gets the headers alone, as from a real host.
      readFile(path.join(dir, '404.html')).then(
        (page) => res.end(req.method === 'HEAD' ? undefined : page),
        () => res.end('<!DOCTYPE html><title>Not found</title><h1>Not found</h1>'),
      )
    })
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  return {
    url: `http://127.0.0.1:${port}${under}`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  }
}

/** The WCAG 2.2 A and AA rules every page is held to. */
export const wcagTags = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa']

/**
 * axe's violations on the page, each as its rule and the elements it found. Only violations are
 * collected in full: that takes about a third of the time of collecting every result.
 */
export async function axeViolations(page: Page): Promise<string[]> {
  // `options` replaces every option, so it comes before `withTags`.
  const result = await new AxeBuilder({ page }).options({ resultTypes: ['violations'] }).withTags(wcagTags).setLegacyMode(true).analyze()
  return result.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`)
}
