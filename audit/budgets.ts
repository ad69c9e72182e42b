// Page weight budgets for a built site: each HTML page with the stylesheets
// it links must stay within 60 KB (the single-page full report excepted),
// and the scripts of ours each page loads within 20 KB (Pagefind's bundle
// excepted). Scripts are counted per page, as a reader downloads them: the
// evidence map's sorting, the outline's marker and the copy-link buttons load
// only on the pages that use them, so a sum over every file would count what
// no reader is sent.
// Sizes are uncompressed bytes, 1 KB = 1000 bytes.
//
//   npm run build && npm run budgets        # measures dist/
//   npm run budgets -- path/to/site

import { existsSync } from 'node:fs'
import { readdir, readFile, stat } from 'node:fs/promises'
import path from 'node:path'
import { pathToFileURL } from 'node:url'
import { fromHtml } from 'hast-util-from-html'
import { selectAll } from 'hast-util-select'

export const pageLimit = 60_000
export const scriptLimit = 20_000
/** Pages with no limit: the full report is every chapter on one page, for print. */
export const exempt = new Set(['full-report/index.html'])

export interface PageWeight {
  page: string
  html: number
  css: number
  /** Bytes of our scripts the page loads (Pagefind's excepted). */
  js: number
  /** Bytes allowed for HTML and CSS together, or null for an exempt page. */
  limit: number | null
}

export interface Budgets {
  pages: PageWeight[]
  scripts: { file: string; size: number }[]
  scriptTotal: number
  /** Descriptions of every budget exceeded; empty when all are kept. */
  over: string[]
}

export async function measureBudgets(siteDir: string): Promise<Budgets> {
  const files = (await readdir(siteDir, { recursive: true })).map((f) => f.split(path.sep).join('/')).sort()
  const size = async (file: string) => (await stat(path.join(siteDir, file))).size

  const pages: PageWeight[] = []
  for (const page of files.filter((f) => f.endsWith('.html'))) {
    const tree = fromHtml(await readFile(path.join(siteDir, page), 'utf8'))
    const linked = async (selector: string, attribute: string) => {
      let bytes = 0
      for (const element of selectAll(selector, tree)) {
        const href = String(element.properties[attribute]).split(/[?#]/)[0]!
        const target = path.posix.normalize(path.posix.join(path.posix.dirname(page), href))
        if (!target.startsWith('pagefind/') && existsSync(path.join(siteDir, target))) bytes += await size(target)
      }
      return bytes
    }
    const css = await linked('link[rel~="stylesheet"][href]', 'href')
    const js = await linked('script[src]', 'src')
    pages.push({ page, html: await size(page), css, js, limit: exempt.has(page) ? null : pageLimit })
  }

  const scripts = await Promise.all(
    files.filter((f) => f.endsWith('.js') && !f.startsWith('pagefind/')).map(async (file) => ({ file, size: await size(file) })),
  )
  const scriptTotal = scripts.reduce((sum, s) => sum + s.size, 0)

  const over = pages
    .filter((p) => p.limit !== null && p.html + p.css > p.limit)
    .map((p) => `${p.page}: ${kb(p.html + p.css)} of HTML and CSS, over ${kb(p.limit!)}`)
  for (const p of pages) if (p.js > scriptLimit) over.push(`${p.page}: ${kb(p.js)} of our JavaScript, over ${kb(scriptLimit)}`)
  return { pages, scripts, scriptTotal, over }
}

export function kb(bytes: number): string {
  return `${(bytes / 1000).toFixed(1)} KB`
}

export function formatBudgets(budgets: Budgets): string {
  const width = Math.max(...budgets.pages.map((p) => p.page.length), 10)
  const lines = ['Page'.padEnd(width) + '      HTML       CSS     Total  Limit']
  for (const p of budgets.pages) {
    const total = p.html + p.css
    const limit = p.limit === null ? 'exempt' : total > p.limit ? `OVER ${kb(p.limit)}` : kb(p.limit)
    lines.push(`${p.page.padEnd(width)}${kb(p.html).padStart(10)}${kb(p.css).padStart(10)}${kb(total).padStart(10)}  ${limit}`)
  }
  lines.push('', 'Our JavaScript (Pagefind excluded)')
  for (const s of budgets.scripts) lines.push(`${s.file.padEnd(width)}${kb(s.size).padStart(10)}`)
  const heaviest = Math.max(0, ...budgets.pages.map((p) => p.js))
  lines.push(`${'all files'.padEnd(width)}${kb(budgets.scriptTotal).padStart(10)}`)
  lines.push(`${'most on a page'.padEnd(width)}${kb(heaviest).padStart(10)}  limit ${kb(scriptLimit)}`)
  lines.push('', budgets.over.length === 0 ? 'Every budget is kept.' : `Over budget:\n${budgets.over.map((o) => `  ${o}`).join('\n')}`)
  return lines.join('\n')
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const dir = path.resolve(process.argv[2] ?? 'dist')
  if (!existsSync(dir)) {
    process.stderr.write(`There is no built site at ${dir}: run \`npm run build\` first, or name the folder to measure.\n`)
    process.exitCode = 2
  } else {
    const budgets = await measureBudgets(dir)
    process.stdout.write(`${formatBudgets(budgets)}\n`)
    process.exitCode = budgets.over.length === 0 ? 0 : 1
  }
}
