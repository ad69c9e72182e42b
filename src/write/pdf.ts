// The printable report: Chromium prints the full-report page, read from the
// pages in memory and the asset folders, to a PDF with a title page, running
// page numbers and working internal links. Nothing is written here; the PDF
// joins the site's files and is published with them, or not at all.

import { existsSync } from 'node:fs'
import { readFile } from 'node:fs/promises'
import path from 'node:path'
import { chromium, type Browser, type Route } from 'playwright-core'
import { createMessage, type Message } from '../messages.js'
import { safeJoin } from './output.js'

export interface PdfInput {
  /** The site's pages and generated files, by output path. */
  files: ReadonlyMap<string, string | Uint8Array>
  /** Folders of static files (the stylesheet), later ones winning, as when the site is written. */
  assetDirs: string[]
  /** Printed in the running header. */
  title: string
  /** The page to print. Default: `full-report/index.html`. */
  page?: string
  /** Chromium to print with. Default: `$CHROMIUM_PATH`, else `/usr/bin/chromium`. */
  chromiumPath?: string
}

export interface PdfOutput {
  pdf: Uint8Array | undefined
  messages: Message[]
}

// A name that can never resolve: every request is answered from memory.
const origin = 'http://fieldnotes.invalid/'

const types: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.json': 'application/json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.webp': 'image/webp',
  '.gif': 'image/gif',
  '.woff2': 'font/woff2',
}

export async function renderPdf(input: PdfInput): Promise<PdfOutput> {
  const page = input.page ?? 'full-report/index.html'
  const executablePath = input.chromiumPath ?? process.env['CHROMIUM_PATH'] ?? '/usr/bin/chromium'
  const fail = (reason: string, hint: string): PdfOutput => ({
    pdf: undefined,
    messages: [createMessage('pdf-renders', page, undefined, `The PDF could not be made: ${reason}`, hint)],
  })
  if (!input.files.has(page)) return fail(`the site has no page ${page}`, 'The PDF is printed from the full report, which every build makes.')
  if (!existsSync(executablePath)) {
    return fail(`Chromium is not installed at ${executablePath}`, 'Install Debian\'s `chromium` package, or set CHROMIUM_PATH to a Chromium or Chrome binary.')
  }

  let browser: Browser | undefined
  try {
    browser = await chromium.launch({
      executablePath,
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    })
    const context = await browser.newContext()
    await context.route('**/*', (route) => answer(route, input))
    const tab = await context.newPage()
    const response = await tab.goto(new URL(page.replace(/index\.html$/, ''), origin).href, { waitUntil: 'load' })
    if (!response?.ok()) return fail(`Chromium could not open ${page}`, 'Run `fieldnotes check` and fix the problems it reports.')
    // Print only once the fonts are in, or Chromium prints with fallbacks.
    await tab.evaluate('document.fonts.ready.then(() => true)')
    // The PDF's own title is the page's: make it the report's, not "Full report · …".
    await tab.evaluate(`document.title = ${JSON.stringify(input.title)}`)
    const pdf = await tab.pdf({
      format: 'A4',
      printBackground: true,
      displayHeaderFooter: true,
      headerTemplate: runningHeader(input.title),
      footerTemplate: runningFooter,
      margin: { top: '2cm', bottom: '2.2cm', left: '2cm', right: '2cm' },
      outline: true,
      tagged: true,
    })
    return { pdf: new Uint8Array(pdf), messages: [] }
  } catch (error) {
    return fail(error instanceof Error ? error.message.split('\n')[0]! : String(error), 'Check that Chromium starts: run it with --headless --no-sandbox --version.')
  } finally {
    await browser?.close()
  }
}

/** Answer a request from the site in memory, then the asset folders; nothing goes to the network. */
async function answer(route: Route, input: PdfInput): Promise<void> {
  const url = new URL(route.request().url())
  if (url.origin !== new URL(origin).origin) return route.abort('blockedbyclient')
  let relative = decodeURIComponent(url.pathname).replace(/^\//, '')
  if (relative === '' || relative.endsWith('/')) relative += 'index.html'
  const contentType = types[path.extname(relative).toLowerCase()] ?? 'application/octet-stream'
  const inMemory = input.files.get(relative)
  if (inMemory !== undefined) return route.fulfill({ status: 200, contentType, body: Buffer.from(inMemory) })
  for (const dir of [...input.assetDirs].reverse()) {
    const body = await Promise.resolve()
      .then(() => readFile(safeJoin(path.resolve(dir), relative)))
      .catch(() => undefined)
    if (body) return route.fulfill({ status: 200, contentType, body })
  }
  return route.fulfill({ status: 404, contentType: 'text/plain', body: 'Not found' })
}

// Chromium draws these in the page margins; they cannot use the site's stylesheet.
function runningHeader(title: string): string {
  const escaped = title.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;')
  return `<div style="width:100%;margin:0 2cm;font:8px sans-serif;color:#444;text-align:right">${escaped}</div>`
}

const runningFooter =
  '<div style="width:100%;margin:0 2cm;font:8px sans-serif;color:#444;text-align:center">Page <span class="pageNumber"></span> of <span class="totalPages"></span></div>'
