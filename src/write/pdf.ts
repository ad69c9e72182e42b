// The printable report: Chromium prints the full-report page, read from the
// pages in memory and the asset folders, to a PDF laid out by CSS paged media
// (public/assets/print.css): a title page without header or footer, contents
// with parts and page numbers, each chapter's title as its running header,
// "(p. 14)" after cross-references to other pages, an outline of parts,
// chapters and findings, and the report's title, authors and language in the
// document information. Page numbers come from printing twice or more
// (src/write/paginate.ts). Nothing is written here; the PDF joins the site's
// files and is published with them, or not at all.

import { existsSync } from 'node:fs'
import { readFile } from 'node:fs/promises'
import path from 'node:path'
import { chromium, type Browser, type Page, type Route } from 'playwright-core'
import { createMessage, type Message } from '../messages.js'
import { safeJoin } from './output.js'
import { numberScript, prepareScript } from './paginate.js'
import { addDocumentInfo, destinationPages } from './pdfdoc.js'

export interface PdfInput {
  /** The site's pages and generated files, by output path. */
  files: ReadonlyMap<string, string | Uint8Array>
  /** Folders of static files (the stylesheet), later ones winning, as when the site is written. */
  assetDirs: string[]
  /** The PDF's title, printed in the running header of the pages before the first chapter. */
  title: string
  /** The PDF's authors. Default: none. */
  authors?: string[]
  /** The PDF's subject. Default: none. */
  description?: string | null
  /** The PDF's language, a BCP 47 tag. Default: none. */
  language?: string | null
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
    await tab.evaluate(prepareScript(input.title))
    // Each print says where the contents' targets and cross-references landed;
    // numbering them can move text, so print again until the numbers hold.
    let pdf = await print(tab)
    let pages = destinationPages(pdf)
    for (let pass = 0; pass < maxPasses; pass++) {
      await tab.evaluate(numberScript(pages))
      pdf = await print(tab)
      const again = destinationPages(pdf)
      const settled = samePages(pages, again)
      pages = again
      if (settled) break
    }
    const info = { authors: input.authors ?? [], subject: input.description ?? null, language: input.language ?? null }
    return { pdf: addDocumentInfo(pdf, info), messages: [] }
  } catch (error) {
    return fail(error instanceof Error ? error.message.split('\n')[0]! : String(error), 'Check that Chromium starts: run it with --headless --no-sandbox --version.')
  } finally {
    await browser?.close()
  }
}

// Numbers settle in two or three prints; a page that never settles keeps the last print's.
const maxPasses = 4

async function print(tab: Page): Promise<Uint8Array> {
  const pdf = await tab.pdf({ printBackground: true, preferCSSPageSize: true, outline: true, tagged: true })
  return new Uint8Array(pdf)
}

function samePages(a: ReadonlyMap<string, number>, b: ReadonlyMap<string, number>): boolean {
  return a.size === b.size && [...a].every(([id, page]) => b.get(id) === page)
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
