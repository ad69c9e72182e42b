// Pages of a PDF drawn to PNG images by pdf.js in Chromium, to look at what
// the printed report really shows. Everything is answered from memory.

import { readFile } from 'node:fs/promises'
import path from 'node:path'
import { chromium } from 'playwright-core'
import { repoRoot } from './helpers.js'

const origin = 'http://pdf-pages.invalid/'

/** PNG images of the given pages (counted from 1), each `width` pixels wide. */
export async function pdfPagesToPng(pdf: Uint8Array, pages: number[], width = 900): Promise<Uint8Array[]> {
  const build = path.join(repoRoot, 'node_modules/pdfjs-dist/legacy/build')
  const browser = await chromium.launch({ executablePath: process.env['CHROMIUM_PATH'] ?? '/usr/bin/chromium', args: ['--headless', '--no-sandbox', '--disable-gpu'] })
  try {
    const tab = await browser.newPage()
    await tab.route('**/*', async (route) => {
      const name = new URL(route.request().url()).pathname.slice(1)
      if (name === 'report.pdf') return route.fulfill({ body: Buffer.from(pdf), contentType: 'application/pdf' })
      if (name === 'pdf.mjs' || name === 'pdf.worker.mjs') return route.fulfill({ body: await readFile(path.join(build, name)), contentType: 'text/javascript' })
      if (name === '') return route.fulfill({ body: '<!doctype html><canvas></canvas>', contentType: 'text/html' })
      return route.abort()
    })
    await tab.goto(origin)
    const images: Uint8Array[] = []
    for (const page of pages) {
      await tab.evaluate(`(async () => {
        const pdfjs = await import('${origin}pdf.mjs')
        pdfjs.GlobalWorkerOptions.workerSrc = '${origin}pdf.worker.mjs'
        const doc = await pdfjs.getDocument('${origin}report.pdf').promise
        const page = await doc.getPage(${page})
        const scale = ${width} / page.getViewport({ scale: 1 }).width
        const viewport = page.getViewport({ scale })
        const canvas = document.querySelector('canvas')
        canvas.width = Math.round(viewport.width)
        canvas.height = Math.round(viewport.height)
        await page.render({ canvasContext: canvas.getContext('2d'), viewport }).promise
      })()`)
      images.push(new Uint8Array(await tab.locator('canvas').screenshot()))
    }
    return images
  } finally {
    await browser.close()
  }
}
