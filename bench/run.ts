// npm run bench: build synthetic reports of 100 and 1,000 pages (10,000 with
// --large) with our generator and with its peers, and print and record the
// figures. A benchmark, not a test: nothing here asserts on time.

import { execFileSync } from 'node:child_process'
import { readFileSync } from 'node:fs'
import { appendFile, mkdir, readdir, readFile, rename, rm, writeFile } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { parseArgs } from 'node:util'
import { siblingNames } from '../src/write/output.js'
import { generateCorpus, writeCorpus } from './corpus.js'
import { measureDev } from './dev.js'
import { measure, median, type Measurement } from './measure.js'

const root = path.resolve(import.meta.dirname, '..')
const work = path.join(root, '.bench')
const { values } = parseArgs({
  options: {
    sizes: { type: 'string', default: '100,1000' },
    large: { type: 'boolean', default: false },
    runs: { type: 'string', default: '5' },
    record: { type: 'boolean', default: true },
    'no-record': { type: 'boolean', default: false },
  },
})
// Every Node process reads and parses the certificate bundle this variable names before it runs a line of its own:
// 54 ms of the 85 ms Node took to start on the machine these figures come from, where the variable is set for every
// program whether or not it goes online. Nothing measured here does, so the tools run without it, as on a machine
// that does not set it; Node's start then costs what it costs there, for every Node tool alike.
const unsetForTools = ['NODE_EXTRA_CA_CERTS'].filter((name) => process.env[name] !== undefined)
for (const name of unsetForTools) delete process.env[name]
const sizes = values.sizes.split(',').map(Number).concat(values.large ? [10000] : [])
const runs = Number(values.runs)
const node = process.execPath
const ours = path.join(root, 'bin', 'fieldnotes.js')
// The build cache, not the bundle of the command line kept beside it.
const cacheDirs = [path.join(root, 'node_modules', '.cache', 'fieldnotes', 'builds'), path.join(root, '.cache', 'fieldnotes')]
const hugo = which('hugo')

interface Row {
  size: number
  tool: string
  scenario: string
  seconds: number
  pagesPerSecond: number
  peakRssMb: number
  cpuSeconds: number
}

const rows: Row[] = []

/** The machine's load averages and, where Linux reports it, the share of time runnable work waited for a core. */
function machineLoad(): string {
  const [one, five] = os.loadavg()
  let pressure = ''
  try {
    const some = /some avg10=([\d.]+) avg60=([\d.]+)/.exec(readFileSync('/proc/pressure/cpu', 'utf8'))
    if (some) pressure = `, CPU pressure ${some[2]}% over the last minute`
  } catch {
    // Not Linux, or no pressure stall information: the load averages say enough.
  }
  return `load average ${one!.toFixed(2)} (1 min), ${five!.toFixed(2)} (5 min)${pressure}`
}
const loadBefore = machineLoad()

function which(command: string): string | undefined {
  try {
    return execFileSync('sh', ['-c', `command -v ${command}`], { encoding: 'utf8' }).trim() || undefined
  } catch {
    return undefined
  }
}

/** Warm up once, then take the median of `runs` measurements. */
async function timed(size: number, tool: string, scenario: string, before: () => Promise<void>, run: () => Promise<Measurement>) {
  await before()
  await run()
  const results: Measurement[] = []
  for (let i = 0; i < runs; i++) {
    await before()
    results.push(await run())
  }
  const seconds = median(results.map((r) => r.seconds))
  const row = { size, tool, scenario, seconds, pagesPerSecond: size / seconds, peakRssMb: Math.max(...results.map((r) => r.peakRssMb)), cpuSeconds: median(results.map((r) => r.cpuSeconds)) }
  rows.push(row)
  process.stdout.write(`${String(size).padStart(6)}  ${tool.padEnd(10)} ${scenario.padEnd(22)} ${seconds.toFixed(2).padStart(7)} s  ${row.pagesPerSecond.toFixed(0).padStart(6)} pages/s  ${row.peakRssMb.toFixed(0).padStart(5)} MB  ${cpuText(row)} CPU\n`)
}

/** CPU time is sampled every 40 ms: shown for runs of a second or more, where that is close enough. */
function cpuText(row: { seconds: number; cpuSeconds: number }): string {
  return row.seconds < 1 || Number.isNaN(row.cpuSeconds) ? 'n/a' : `${row.cpuSeconds.toFixed(2)} s`
}

// What a run replaces (an output folder, the build cache, the corpus) is moved here, and only removed once every
// figure is taken. On a file system that keeps inodes freed in the last minute (more while their blocks wait to be
// written) from being used again, as ext4 without a journal does, every file made after a removal first steps over
// each of those inodes: a cold build made right after its last output was removed spent most of its system time so
// (docs/performance.md, "What the benchmark keeps out of its figures"), which is the bench's doing, not the tool's.
const trash = path.join(work, 'trash')
let discarded = 0
async function discard(dir: string): Promise<void> {
  await mkdir(trash, { recursive: true })
  await rename(dir, path.join(trash, `${process.pid}-${++discarded}`)).catch((error: NodeJS.ErrnoException) => {
    if (error.code !== 'ENOENT') throw error
  })
}

const clear = (...dirs: string[]) => async () => {
  for (const dir of dirs) await discard(dir)
}

/** Our output folder is a link to a site folder beside it: both go, as the peers' output folders do, so that a cold build has no site to remove. */
const clearOurs = (out: string, ...dirs: string[]) => async () => {
  const { prefix } = siblingNames(out)
  for (const name of await readdir(path.dirname(out))) if (name.startsWith(prefix)) await discard(path.join(path.dirname(out), name))
  await clear(out, ...dirs)()
}

for (const size of sizes) {
  const base = path.join(work, String(size))
  const corpus = generateCorpus({ pages: size })
  await writeCorpus(path.join(base, 'report'), corpus.report, discard)
  await writeCorpus(path.join(base, 'plain'), corpus.plain, discard)
  const oursOut = path.join(base, 'out-ours')
  const build = () => measure(node, [ours, 'build', '--content', path.join(base, 'report'), '--out', oursOut])

  await timed(size, 'fieldnotes', 'cold build', clearOurs(oursOut, ...cacheDirs), build)
  await timed(size, 'fieldnotes', 'nothing changed', async () => {}, build)
  const edited = path.join(base, 'report', 'chapters', 'ch-00002.md')
  const original = await readFile(edited, 'utf8')
  let edits = 0
  await timed(
    size,
    'fieldnotes',
    'one chapter edited',
    async () => {
      await writeFile(edited, `${original}\nAn added sentence, number ${++edits}.\n`)
    },
    build,
  )
  await writeFile(edited, original)

  // In dev: from saving the chapter to the reload event an open page receives.
  // The target is the median of ten saves, whatever --runs says.
  const dev = await measureDev(ours, path.join(base, 'report'), edited, Math.max(10, runs))
  const devRow = { size, tool: 'fieldnotes', scenario: 'dev: save to reload', seconds: dev.seconds, pagesPerSecond: size / dev.seconds, peakRssMb: NaN, cpuSeconds: NaN }
  rows.push(devRow)
  process.stdout.write(`${String(size).padStart(6)}  fieldnotes dev: save to reload    ${dev.seconds.toFixed(3).padStart(7)} s  (server ready after ${dev.startSeconds.toFixed(1)} s)\n`)

  const bareOut = path.join(base, 'out-bare')
  const bare = (out: string) => measure(node, [path.join(root, 'bench', 'bare.mjs'), path.join(base, 'plain'), out])
  await timed(size, 'bare', 'cold build', clear(bareOut), () => bare(bareOut))
  // What a second core gives here: the same script twice at once, each on its own output. (At 10,000 pages, where it
  // would take minutes, the figure at the smaller sizes says the same.)
  if (size < 10000) {
    const pairOut = path.join(base, 'out-bare-2')
    await timed(size, 'bare', 'two at once', clear(bareOut, pairOut), async () => {
      const [one, two] = await Promise.all([bare(bareOut), bare(pairOut)])
      return { seconds: Math.max(one.seconds, two.seconds), peakRssMb: one.peakRssMb + two.peakRssMb, cpuSeconds: one.cpuSeconds + two.cpuSeconds, code: 0 }
    })
  }

  const elevOut = path.join(base, 'out-11ty')
  const eleventy = path.join(root, 'node_modules', '@11ty', 'eleventy', 'cmd.cjs')
  await timed(size, 'eleventy', 'cold build', clear(elevOut), () =>
    measure(node, [eleventy, `--input=${path.join(base, 'plain')}`, `--output=${elevOut}`, '--formats=md', '--quiet'], { cwd: base }),
  )

  if (hugo) {
    const site = path.join(base, 'hugo')
    await writeCorpus(site, new Map([...corpus.plain].map(([name, text]) => [`content/${name}`, text])), discard)
    await writeFile(path.join(site, 'hugo.toml'), 'baseURL = "http://localhost/"\ndisableKinds = ["taxonomy", "term", "RSS", "sitemap"]\n')
    await mkdir(path.join(site, 'layouts', '_default'), { recursive: true })
    await writeFile(path.join(site, 'layouts', '_default', 'single.html'), '<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>{{ .Title }}</title></head><body><main>{{ .Content }}</main></body></html>\n')
    const hugoOut = path.join(base, 'out-hugo')
    await timed(size, 'hugo', 'cold build', clear(hugoOut), () => measure(hugo, ['--source', site, '--destination', hugoOut, '--quiet']))
  }
}

const lookup = (size: number, tool: string, scenario = 'cold build') => rows.find((r) => r.size === size && r.tool === tool && r.scenario === scenario)
const lines: string[] = []
lines.push(`Machine: ${os.cpus().length} cores, ${(os.totalmem() / 2 ** 30).toFixed(0)} GiB, Node ${process.version}. Median of ${runs} runs after a warm-up (dev: of ${Math.max(10, runs)} saves).`)
lines.push(`Load while it ran: ${loadBefore} before, ${machineLoad()} after.${unsetForTools.length > 0 ? ` Run without ${unsetForTools.join(', ')}.` : ''}`)
lines.push('')
lines.push('| Pages | Tool | Scenario | Wall time | Pages/s | Peak RSS | CPU time |')
lines.push('|---:|---|---|---:|---:|---:|---:|')
for (const r of rows) lines.push(`| ${r.size} | ${r.tool} | ${r.scenario} | ${r.seconds.toFixed(r.seconds < 1 ? 3 : 2)} s | ${r.pagesPerSecond.toFixed(0)} | ${Number.isNaN(r.peakRssMb) ? 'n/a' : `${r.peakRssMb.toFixed(0)} MB`} | ${cpuText(r)} |`)
lines.push('')
lines.push('| Pages | Measure | Value | Target |')
lines.push('|---:|---|---:|---|')
for (const size of sizes) {
  const cold = lookup(size, 'fieldnotes')!
  const row = (name: string, value: number | undefined, target: string, digits = 2) =>
    lines.push(`| ${size} | ${name} | ${value === undefined || Number.isNaN(value) ? 'n/a' : value.toFixed(digits)} | ${target} |`)
  const large = size >= 1000
  row('one chapter edited / our cold', lookup(size, 'fieldnotes', 'one chapter edited')!.seconds / cold.seconds, large ? '≤ 0.2' : 'report')
  row('dev: save to reload, p50 (ms)', lookup(size, 'fieldnotes', 'dev: save to reload')!.seconds * 1000, size === 1000 ? '≤ 100' : size === 10000 ? '≤ 500' : 'report', 0)
  const bare = lookup(size, 'bare')
  row('cold / bare unified script', cold.seconds / (bare?.seconds ?? NaN), large ? '≤ 1.0 (aim 0.6)' : 'report')
  row('cold / bare unified script, CPU time', cold.cpuSeconds / (bare?.cpuSeconds ?? NaN), 'report')
  // Two runs' work in the time of the pair, against one run's in its own time: 2 where a second core doubles the work done.
  const pair = lookup(size, 'bare', 'two at once')
  if (pair && bare) row('bare: work done by two at once / by one', (2 * bare.seconds) / pair.seconds, 'report (the most two threads can gain here)')
  row('cold / Eleventy', cold.seconds / (lookup(size, 'eleventy')?.seconds ?? NaN), 'report')
  row('nothing changed / Hugo cold', lookup(size, 'hugo') ? lookup(size, 'fieldnotes', 'nothing changed')!.seconds / lookup(size, 'hugo')!.seconds : undefined, hugo ? '< 1' : '< 1 (Hugo not installed)')
  row('peak RSS, cold (MB)', cold.peakRssMb, size === 10000 ? '≤ 1024' : 'report', 0)
}
const perPage = (size: number) => (lookup(size, 'fieldnotes')?.seconds ?? NaN) / size
if (sizes.includes(10000) && sizes.includes(1000)) lines.push(`\nTime per page at 10,000 / at 1,000: ${(perPage(10000) / perPage(1000)).toFixed(2)} (target ≤ 1.25).`)
if (!hugo) lines.push('\nHugo: not installed (`apt-get install hugo` to include it).')
const table = lines.join('\n')
process.stdout.write(`\n${table}\n`)

if (values.record && !values['no-record']) {
  const doc = path.join(root, 'docs', 'performance.md')
  const stamp = `\n## Latest run\n\n${table}\n`
  const existing = await readFile(doc, 'utf8').catch(() => '# Performance\n')
  const head = existing.split('\n## Latest run\n')[0]!
  await writeFile(doc, `${head.trimEnd()}\n${stamp}`)
  await appendFile(doc, '')
}

// Every figure is taken: what the runs replaced goes now, with what an interrupted run left.
await rm(trash, { recursive: true, force: true })
