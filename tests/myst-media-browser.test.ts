// MyST diagrams and frames in real Chromium: Mermaid, shipped in the site's own
// assets/, draws the diagram as SVG under the page's policy, with no policy
// violation, no error and no axe violation in either theme; a page without
// diagrams never loads it. A frame loads its page (answered on this machine,
// never by the network) and stays sandboxed.

import path from 'node:path'
import { existsSync } from 'node:fs'
import type { Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { build } from '../src/build.js'
import { axeViolations, launchBrowser, serveDirectory, type Browser, type StaticServer } from './browser.js'
import { tempDir, writeFiles } from './helpers.js'

const files = {
  'myst.yml': 'version: 1\nproject:\n  title: Diagrams and frames\n',
  'index.md': '# Diagrams and frames\n\nNothing drawn here.\n',
  'flow.md': [
    '# Flow',
    '',
    'How a quote becomes a finding.',
    '',
    '```{mermaid}',
    'flowchart LR',
    '  A[Interview] --> B{Quoted?}',
    '  B -->|yes| C[Finding]',
    '  B -->|no| D[Notes]',
    '```',
    '',
    ':::{figure}',
    ':label: fig-seq',
    '```{mermaid}',
    'sequenceDiagram',
    '  Researcher->>Interviewee: Asks',
    '  Interviewee-->>Researcher: Answers',
    '```',
    '',
    'The interview, as a sequence.',
    ':::',
    '',
  ].join('\n'),
  'broken.md': ['# Broken', '', '```{mermaid}', 'flowchart LR', '  A --> ((', '```', ''].join('\n'),
  'video.md': ['# Video', '', ':::{iframe} https://frames.example/embed/talk', ':label: vid-talk', 'The talk.', ':::', ''].join('\n'),
}

let browser: Browser
let server: StaticServer
let out: string

beforeAll(async () => {
  const dir = await tempDir()
  out = path.join(dir, 'dist')
  await writeFiles(path.join(dir, 'content'), files)
  const result = await build({ contentDir: path.join(dir, 'content'), outDir: out })
  expect(result.messages).toEqual([])
  server = await serveDirectory(out)
  browser = await launchBrowser()
  // The framed site is answered here: nothing leaves the machine.
  await browser.context.route('https://frames.example/**', (route) =>
    route.fulfill({ status: 200, contentType: 'text/html', body: '<!DOCTYPE html><title>Talk</title><p id="inside">The talk plays here.</p>' }),
  )
})

afterAll(async () => {
  await browser?.close()
  await server?.close()
})

async function open(address: string, scheme: 'light' | 'dark' = 'light'): Promise<{ page: Page; problems: string[]; requests: string[] }> {
  const page = await browser.context.newPage()
  const problems: string[] = []
  const requests: string[] = []
  page.on('console', (message) => {
    if (message.type() === 'error' || message.type() === 'warning') problems.push(`console ${message.type()}: ${message.text()}`)
  })
  page.on('pageerror', (error) => problems.push(`page error: ${error.message}`))
  page.on('request', (request) => requests.push(request.url()))
  page.on('response', (response) => {
    if (response.status() >= 400) problems.push(`HTTP ${response.status()}: ${response.url()}`)
  })
  // Every policy violation, whether or not the console shows it.
  await page.addInitScript(() => {
    document.addEventListener('securitypolicyviolation', (event) => {
      console.error(`policy violation: ${event.violatedDirective} ${event.blockedURI}`)
    })
  })
  await page.emulateMedia({ colorScheme: scheme })
  await page.goto(`${server.url}${address}`)
  return { page, problems, requests }
}

const poll = <T>(read: () => T | Promise<T>) => expect.poll(read, { timeout: 20_000 })

describe('{mermaid} in a browser', () => {
  it('ships Mermaid once, in the site\'s own assets', () => {
    expect(existsSync(path.join(out, 'assets', 'mermaid.min.js'))).toBe(true)
    expect(existsSync(path.join(out, 'assets', 'diagrams.js'))).toBe(true)
  })

  for (const scheme of ['light', 'dark'] as const) {
    it(`draws each diagram as SVG in place of its source, with no policy violation, no error and no axe violation (${scheme})`, async () => {
      const { page, problems, requests } = await open('flow/', scheme)
      try {
        await poll(() => page.locator('.diagram-mermaid.diagram-drawn > svg').count()).toBe(2)
        expect(await page.locator('.diagram-source').count()).toBe(0)
        expect(await page.locator('.diagram-failed').count()).toBe(0)
        // The drawing holds the diagram's words, and the figure keeps its caption.
        expect(await page.locator('.diagram-mermaid svg').first().textContent()).toContain('Interview')
        expect(await page.locator('#fig-seq > figcaption').textContent()).toBe('Figure 1: The interview, as a sequence.')
        const size = await page.locator('.diagram-mermaid svg').first().boundingBox()
        expect(size!.width).toBeGreaterThan(100)
        expect(requests.filter((url) => !url.startsWith(server.url))).toEqual([])
        expect(await axeViolations(page)).toEqual([])
        expect(problems).toEqual([])
      } finally {
        await page.close()
      }
    })
  }

  it('draws the diagrams again in the other colours when the reader switches the theme', async () => {
    const { page, problems } = await open('flow/', 'light')
    try {
      await poll(() => page.locator('.diagram-mermaid.diagram-drawn > svg').count()).toBe(2)
      expect(await page.locator('.diagram-mermaid svg style').first().textContent()).toContain('#fcfbf8')
      await page.evaluate(() => document.documentElement.setAttribute('data-theme', 'dark'))
      await poll(async () => (await page.locator('.diagram-mermaid svg style').first().textContent()) ?? '').toContain('#16181b')
      await poll(() => page.locator('.diagram-mermaid.diagram-drawn > svg').count()).toBe(2)
      expect(await axeViolations(page)).toEqual([])
      expect(problems).toEqual([])
    } finally {
      await page.close()
    }
  })

  it('leaves a diagram Mermaid cannot read as its source', async () => {
    const { page, problems } = await open('broken/')
    try {
      await poll(() => page.locator('.diagram-mermaid.diagram-failed').count()).toBe(1)
      expect(await page.locator('.diagram-mermaid > pre.diagram-source').textContent()).toBe('flowchart LR\n  A --> ((')
      expect(await page.locator('body > [id^="d"]').count()).toBe(0)
      expect(problems).toEqual([])
    } finally {
      await page.close()
    }
  })

  it('leaves Mermaid out of a page without diagrams', async () => {
    const { page, problems, requests } = await open('')
    try {
      await page.waitForLoadState('load')
      expect(requests.filter((url) => /mermaid|diagrams\.js/.test(url))).toEqual([])
      expect(problems).toEqual([])
    } finally {
      await page.close()
    }
  })
})

describe('{iframe} in a browser', () => {
  it('loads the framed page under the policy, sandboxed away from the site, with no axe violation', async () => {
    const { page, problems } = await open('video/')
    try {
      const frame = page.frameLocator('#vid-talk iframe')
      await poll(() => frame.locator('#inside').textContent()).toBe('The talk plays here.')
      // The frame's page runs as its own origin: it cannot reach the report's page.
      const child = page.frames().find((f) => f.url().startsWith('https://frames.example/'))!
      expect(await child.evaluate(() => {
        try {
          return window.top!.document.title
        } catch {
          return 'blocked'
        }
      })).toBe('blocked')
      expect(await axeViolations(page)).toEqual([])
      expect(problems).toEqual([])
    } finally {
      await page.close()
    }
  })
})
