// The default report in content/ is itself a test: it must build clean,
// every page must be valid HTML, and every internal link must resolve.

import { existsSync } from 'node:fs'
import { readdir, readFile } from 'node:fs/promises'
import path from 'node:path'
import type { Root } from 'hast'
import { fromHtml } from 'hast-util-from-html'
import { HtmlValidate } from 'html-validate'
import { visit } from 'unist-util-visit'
import { beforeAll, describe, expect, it } from 'vitest'
// The report is built through the package's public API, as a user's script would build theirs.
import { build, formatMessage, type BuildResult } from '../src/api.js'
import { repoRoot, tempDir } from './helpers.js'

let out: string
let result: BuildResult
const pages = new Map<string, string>()

beforeAll(async () => {
  out = path.join(await tempDir(), 'dist')
  result = await build({ contentDir: path.join(repoRoot, 'content'), outDir: out, strict: true })
  for (const entry of await readdir(out, { recursive: true })) {
    if (entry.endsWith('.html')) pages.set(entry.split(path.sep).join('/'), await readFile(path.join(out, entry), 'utf8'))
  }
})

describe('the JupyterHub report in content/', () => {
  it('builds with no errors or warnings; its only notes are the two participants it never quotes', () => {
    expect(result.messages.filter((m) => m.severity !== 'info').map(formatMessage)).toEqual([])
    // P02 and P22 are mentioned in the text but never quoted, as in the original report.
    expect(result.messages.map((m) => `${m.file}:${m.line}:${m.column} ${m.ruleId}`)).toEqual([
      'content/participants.yml:5:5 participant-quoted',
      'content/participants.yml:65:5 participant-quoted',
    ])
    expect(result.written).toBe(true)
  })

  it('has every finding and recommendation of the study', () => {
    const findings = fromHtml(pages.get('findings/index.html')!)
    let count = 0
    visit(findings, 'element', (node) => {
      if (node.tagName === 'li' && node.properties['id']) count++
    })
    expect(count).toBe(27)
    expect(pages.get('recommendations/index.html')!.match(/<tr id="r-/g)).toHaveLength(9)
    expect(pages.get('participants/index.html')!.match(/<tr id="P\d\d"/g)).toHaveLength(22)
  })

  it('passes html-validate on every page', async () => {
    const validator = new HtmlValidate({
      extends: ['html-validate:recommended'],
      rules: {
        // Templates indent with blank lines left by Liquid tags.
        'no-trailing-whitespace': 'off',
      },
    })
    const problems: string[] = []
    for (const [name, html] of pages) {
      const report = await validator.validateString(html, name)
      for (const r of report.results) for (const m of r.messages) problems.push(`${name}:${m.line}:${m.column} ${m.ruleId} ${m.message}`)
    }
    expect(pages.size).toBeGreaterThanOrEqual(20)
    expect(problems).toEqual([])
  })

  it('resolves every internal link and anchor', () => {
    const ids = new Map<string, Set<string>>()
    const trees = new Map<string, Root>()
    for (const [name, html] of pages) {
      const tree = fromHtml(html)
      trees.set(name, tree)
      const set = new Set<string>()
      visit(tree, 'element', (node) => {
        if (typeof node.properties['id'] === 'string') set.add(node.properties['id'])
      })
      ids.set(name, set)
    }
    const broken: string[] = []
    let checked = 0
    for (const [name, tree] of trees) {
      const base = new URL(name, 'http://site.invalid/')
      visit(tree, 'element', (node) => {
        const href =
          node.tagName === 'a' || node.tagName === 'link'
            ? node.properties['href']
            : node.tagName === 'script' || node.tagName === 'img'
              ? node.properties['src']
              : undefined
        if (typeof href !== 'string' || /^[a-z]+:/i.test(href)) return
        const url = new URL(href, base)
        if (url.origin !== base.origin) return
        let target = decodeURIComponent(url.pathname.slice(1))
        if (target === '' || target.endsWith('/')) target += 'index.html'
        checked++
        if (!target.endsWith('.html')) {
          if (!existsSync(path.join(out, target))) broken.push(`${name}: ${href} (no file ${target})`)
          return
        }
        if (!pages.has(target)) broken.push(`${name}: ${href} (no page ${target})`)
        else if (url.hash && !ids.get(target)!.has(decodeURIComponent(url.hash.slice(1)))) broken.push(`${name}: ${href} (no anchor)`)
      })
    }
    expect(checked).toBeGreaterThan(500)
    expect(broken).toEqual([])
  })

  it('says on the site that quotes are paraphrases and participants are shown by label', () => {
    const landing = pages.get('index.html')!
    expect(landing).toMatch(/paraphras/i)
    expect(pages.get('participants/index.html')).toMatch(/shown by label/)
    const quotes = pages.get('themes/learners/index.html')!.match(/<figure class="quote paraphrased" id="q-[a-z-]+-\d+">/g) ?? []
    expect(quotes.length).toBeGreaterThan(3)
  })
})
