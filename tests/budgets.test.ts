// The page weight budgets, measured on the built default report by the same
// function `npm run budgets` prints: sizes, never times.

import { mkdir, writeFile } from 'node:fs/promises'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { formatBudgets, measureBudgets, pageLimit, scriptLimit } from '../audit/budgets.js'
import { build } from '../src/build.js'
import { repoRoot, tempDir } from './helpers.js'

describe('budgets', () => {
  it('are kept by the default report: HTML with its CSS within 60 KB a page, our JavaScript within 20 KB a page', async () => {
    const out = path.join(await tempDir(), 'dist')
    expect((await build({ contentDir: path.join(repoRoot, 'content'), outDir: out })).written).toBe(true)
    const budgets = await measureBudgets(out)
    expect(budgets.over).toEqual([])
    expect(budgets.pages.length).toBeGreaterThan(15)
    // Every page links the stylesheet, and only the full report is exempt.
    expect(budgets.pages.filter((p) => p.css === 0)).toEqual([])
    expect(budgets.pages.filter((p) => p.limit === null).map((p) => p.page)).toEqual(['full-report/index.html'])
    expect(budgets.scripts.map((s) => s.file)).toEqual(['assets/evidence.js', 'assets/outline.js', 'assets/permalinks.js', 'assets/search.js', 'assets/site.js', 'assets/table.js', 'assets/theme.js'])
    // Scripts are counted on the pages that load them: a chapter loads its copy-link buttons, the evidence map its sorting.
    const chapter = budgets.pages.find((p) => p.page === 'ways-forward/index.html')!
    expect(chapter.js).toBeGreaterThan(0)
    expect(Math.max(...budgets.pages.map((p) => p.js))).toBeLessThanOrEqual(scriptLimit)
    expect(formatBudgets(budgets)).toContain('Every budget is kept.')
  })

  it('name each page and script that goes over', async () => {
    const dir = await tempDir()
    await mkdir(path.join(dir, 'assets'), { recursive: true })
    await writeFile(path.join(dir, 'assets/style.css'), 'x'.repeat(1000))
    await writeFile(path.join(dir, 'assets/app.js'), 'x'.repeat(scriptLimit + 1))
    await writeFile(path.join(dir, 'small.html'), '<link rel="stylesheet" href="assets/style.css"><p>hi</p><script src="assets/app.js"></script>')
    await writeFile(path.join(dir, 'big.html'), `<link rel="stylesheet" href="assets/style.css"><p>${'x'.repeat(pageLimit)}</p>`)
    const budgets = await measureBudgets(dir)
    expect(budgets.pages.find((p) => p.page === 'small.html')?.css).toBe(1000)
    expect(budgets.over).toEqual([expect.stringMatching(/^big\.html: 61\.\d KB of HTML and CSS, over 60\.0 KB$/), 'small.html: 20.0 KB of our JavaScript, over 20.0 KB'])
    expect(formatBudgets(budgets)).toContain('OVER 60.0 KB')
  })
})
