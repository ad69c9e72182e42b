// Lighthouse 12 against the landing page, a chapter and the recommendations
// index of a built site, served on 127.0.0.1, printing the four category
// scores of each. Not part of `npm test`: its scores depend on the machine.
//
//   npm run build && npm run lighthouse          # audits dist/
//   npm run lighthouse -- path/to/site
//
// Chromium comes from $CHROME_PATH (default /usr/bin/chromium).

import { execFile } from 'node:child_process'
import { existsSync } from 'node:fs'
import { mkdtemp, readFile, rm } from 'node:fs/promises'
import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { promisify } from 'node:util'
import sirv from 'sirv'

const run = promisify(execFile)
const root = fileURLToPath(new URL('..', import.meta.url))
const pages = [
  ['landing page', ''],
  ['chapter', 'themes/learners/'],
  ['recommendations index', 'recommendations/'],
] as const
const categories = ['performance', 'accessibility', 'best-practices', 'seo'] as const

const dir = path.resolve(process.argv[2] ?? 'dist')
if (!existsSync(dir)) {
  process.stderr.write(`There is no built site at ${dir}: run \`npm run build\` first, or name the folder to audit.\n`)
  process.exit(2)
}
const chrome = process.env['CHROME_PATH'] ?? '/usr/bin/chromium'

const serve = sirv(dir, { etag: true, gzip: false })
const server = createServer((req, res) =>
  serve(req, res, () => {
    res.statusCode = 404
    res.end('Not found')
  }),
)
await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`
const work = await mkdtemp(path.join(tmpdir(), 'fieldnotes-lighthouse-'))

let failed = false
try {
  process.stdout.write(`${'Page'.padEnd(24)}${categories.map((c) => c.padStart(16)).join('')}\n`)
  for (const [name, address] of pages) {
    const report = path.join(work, `${name.replace(/\W+/g, '-')}.json`)
    await run(
      process.execPath,
      [
        path.join(root, 'node_modules/lighthouse/cli/index.js'),
        `${base}${address}`,
        '--quiet',
        '--output=json',
        `--output-path=${report}`,
        `--only-categories=${categories.join(',')}`,
        '--chrome-flags=--headless --no-sandbox --disable-gpu --no-first-run --disable-background-networking --disable-component-update --disable-sync',
      ],
      { env: { ...process.env, CHROME_PATH: chrome }, maxBuffer: 64 * 1024 * 1024 },
    )
    const result = JSON.parse(await readFile(report, 'utf8')) as { categories: Record<string, { score: number | null }> }
    const scores = categories.map((c) => Math.round((result.categories[c]?.score ?? 0) * 100))
    if (scores[0]! < 95 || scores.slice(1).some((s) => s < 100)) failed = true
    process.stdout.write(`${name.padEnd(24)}${scores.map((s) => String(s).padStart(16)).join('')}\n`)
  }
  process.stdout.write(`\nTargets: performance at least 95, the others 100. ${failed ? 'Some page misses a target.' : 'Every target is met.'}\n`)
} finally {
  server.close()
  await rm(work, { recursive: true, force: true })
}
process.exitCode = failed ? 1 : 0
