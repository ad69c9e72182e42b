// The output folder under stress, with real processes: builds killed with
// SIGKILL at random moments while they write, two builds at once, and builds
// repeated under another clock and time zone. `dist` must always be one
// complete site, the previous or the new one, byte for byte; leftovers of a
// killed build are cleaned by the next; the same input gives the same bytes.
// Where a kill lands also depends on how fast the machine is; the check at
// every step of the switch, independent of timing, is tests/output.test.ts.
//
// KILL_RUNS sets the number of killed builds (default 12), KILL_SEED the seed
// the kill moments are drawn from (default 1; a failure names the seed it ran with).

import { spawn, type ChildProcess } from 'node:child_process'
import { createHash } from 'node:crypto'
import { existsSync, readdirSync } from 'node:fs'
import { lstat, mkdir, readdir, readFile, readlink, writeFile } from 'node:fs/promises'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { build } from '../src/build.js'
import { acquireLock } from '../src/write/lock.js'
import { OutputLockedError, writeSite } from '../src/write/output.js'
import { sourceDate, stampPdf } from '../src/write/reproducible.js'
import { launchBrowser, type Browser } from './browser.js'
import { repoRoot, tempDir, writeFiles } from './helpers.js'

const bin = path.join(repoRoot, 'bin', 'fieldnotes.js')
const killRuns = Number(process.env['KILL_RUNS'] ?? 12)
const killSeed = Number(process.env['KILL_SEED'] ?? 1)

/** Numbers in [0, 1) from a seed (mulberry32): the same seed draws the same kill moments. */
function seededRandom(seed: number): () => number {
  let state = seed >>> 0
  return () => {
    state = (state + 0x6d2b79f5) >>> 0
    let t = Math.imul(state ^ (state >>> 15), state | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

/** Every file of a built site, by path, with a hash of its bytes. */
async function manifest(dir: string): Promise<Map<string, string>> {
  const files = new Map<string, string>()
  const entries = await readdir(dir, { recursive: true, withFileTypes: true })
  for (const entry of entries) {
    if (!entry.isFile()) continue
    const full = path.join(entry.parentPath, entry.name)
    files.set(path.relative(dir, full).split(path.sep).join('/'), createHash('sha256').update(await readFile(full)).digest('hex'))
  }
  return new Map([...files].sort(([a], [b]) => (a < b ? -1 : 1)))
}

/** A report of many chapters, so that writing it takes a measurable while. */
function manyChapters(title: string, count: number): Record<string, string> {
  const files: Record<string, string> = { 'index.md': `# ${title}\n\nA report with many chapters.\n` }
  const toc = [`title: ${title}`, 'date: 2025-03-01', 'toc:', '  - file: index.md']
  for (let i = 0; i < count; i++) {
    const name = `chapters/c${String(i).padStart(3, '0')}.md`
    toc.push(`  - file: ${name}`)
    files[name] = `# Chapter ${i}\n\n${`Paragraph ${i} on review queues and the people who keep them moving. `.repeat(30)}\n`
  }
  files['report.yml'] = `${toc.join('\n')}\n`
  return files
}

function run(cwd: string, args: string[], env: NodeJS.ProcessEnv = {}, nodeArgs: string[] = []): ChildProcess {
  return spawn(process.execPath, [...nodeArgs, bin, ...args], { cwd, stdio: 'ignore', env: { ...process.env, ...env } })
}

function exited(child: ChildProcess): Promise<number | null> {
  return new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) resolve(child.exitCode)
    else child.once('exit', (code) => resolve(code))
  })
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

/** Wait until a new file whose name starts with `prefix` appears in `dir`, or the process ends. Returns when it was seen, in ms from `since`. */
async function watchFor(dir: string, prefix: string, child: ChildProcess, since: number, earlier: ReadonlySet<string> = new Set()): Promise<number | undefined> {
  for (;;) {
    if (readdirSync(dir).some((name) => name.startsWith(prefix) && !earlier.has(name))) return performance.now() - since
    if (child.exitCode !== null || child.signalCode !== null) return undefined
    await sleep(1)
  }
}

describe('a build killed while it writes', () => {
  let dir: string
  const sites = new Map<string, Map<string, string>>()
  let total = 0
  let window = 0

  beforeAll(async () => {
    dir = await tempDir()
    await writeFiles(path.join(dir, 'a'), manyChapters('Version A', 40))
    await writeFiles(path.join(dir, 'b'), manyChapters('Version B', 40))
    // The first run of the command line may bundle the sources (see bin/fieldnotes.js); that must not count in the timings below.
    expect(await exited(run(dir, ['--help']))).toBe(0)
    // Two full builds, one of each version: their sites are the only two `dist` may ever be,
    // and their timing says when writing happens.
    for (const variant of ['a', 'b']) {
      const started = performance.now()
      const child = run(dir, ['build', '--content', variant, '--out', 'dist'])
      const seen = await watchFor(dir, '.dist-new-', child, started)
      expect(await exited(child)).toBe(0)
      total = Math.max(total, performance.now() - started)
      if (seen !== undefined) window = Math.max(window, performance.now() - started - seen)
      sites.set(variant, await manifest(path.join(dir, 'dist')))
    }
    expect(sites.get('a')!.size).toBeGreaterThan(40)
    expect(sites.get('a')).not.toEqual(sites.get('b'))
  }, 300_000)

  it(`leaves dist as the complete previous or the complete new site, whenever it is killed (${killRuns} kills, seed ${killSeed})`, async () => {
    const random = seededRandom(killSeed)
    const outcomes = { interrupted: 0, before: 0, after: 0, finished: 0 }
    // What a killed build left, by kind: a draft (`new`), a finished site not yet linked (`site`), a link that did not take its name, the lock.
    const left = { new: 0, site: 0, link: 0, lock: 0 }
    let current = 'b'
    for (let k = 0; k < killRuns; k++) {
      const next = current === 'a' ? 'b' : 'a'
      const earlier = new Set(readdirSync(dir))
      const started = performance.now()
      const child = run(dir, ['build', '--content', next, '--out', 'dist'])
      // Most kills land while the site is being written (after its draft folder appears); some at any moment.
      if (k % 4 !== 3) {
        await watchFor(dir, '.dist-new-', child, started, earlier)
        await sleep(random() * window)
      } else {
        await sleep(random() * total)
      }
      child.kill('SIGKILL')
      const code = await exited(child)
      const siblings = readdirSync(dir).filter((name) => name.startsWith('.dist'))
      const target = path.basename(await readlink(path.join(dir, 'dist')))
      const leftovers = siblings.filter((name) => name !== target && !earlier.has(name))

      // dist always exists, and is exactly one of the two complete sites.
      expect((await lstat(path.join(dir, 'dist'))).isSymbolicLink()).toBe(true)
      const now = await manifest(path.join(dir, 'dist'))
      const which = [...sites].find(([, site]) => mapsEqual(site, now))?.[0]
      expect(which, `kill ${k} (seed ${killSeed}): dist is neither complete site: ${describeDifference(now, sites)}`).toBeDefined()

      if (code === 0) outcomes.finished++
      else if (leftovers.length > 0) {
        outcomes.interrupted++
        for (const name of leftovers) {
          const kind = name === '.dist.lock' || name.startsWith('.dist.lock.stale-') ? 'lock' : (/^\.dist-(new|site|link)-/.exec(name)?.[1] as 'new' | 'site' | 'link' | undefined)
          if (kind) left[kind]++
        }
      }
      else if (which === current) outcomes.before++
      else outcomes.after++
      current = which!
    }
    console.info(
      `kills: ${killRuns}; interrupted while writing: ${outcomes.interrupted} (left a draft ${left.new}, an unlinked site ${left.site}, a link that did not take its name ${left.link}, the lock ${left.lock}); before writing: ${outcomes.before}; after the swap: ${outcomes.after}; finished first: ${outcomes.finished}`,
    )
    // The kills did reach the write itself, not only the time around it.
    expect(outcomes.interrupted).toBeGreaterThan(0)

    // The next build takes over the lock of the killed one, makes its site from one spare, whatever state a kill
    // left it in, and removes the rest; the site it replaced is the spare for the one after. (When dist already
    // is version A, it writes nothing and keeps one spare, which may be a draft.)
    const before = await readlink(path.join(dir, 'dist'))
    const last = run(dir, ['build', '--content', 'a', '--out', 'dist'])
    expect(await exited(last)).toBe(0)
    const after = await readlink(path.join(dir, 'dist'))
    const siblings = readdirSync(dir).filter((name) => name.startsWith('.dist'))
    const others = siblings.filter((name) => name !== after)
    expect(siblings, `left beside dist: ${siblings.join(', ')}`).toContain(after)
    if (after !== before) expect(others, `left beside dist: ${siblings.join(', ')}`).toEqual([before])
    else expect(others.length <= 1 && others.every((name) => /^\.dist-(site|new)-/.test(name)), `left beside dist: ${siblings.join(', ')}`).toBe(true)
    expect(mapsEqual(await manifest(path.join(dir, 'dist')), sites.get('a')!)).toBe(true)
  }, 600_000)

  it('lets one of two builds started at once wait for the other, leaving one complete site', async () => {
    const both = [run(dir, ['build', '--content', 'a', '--out', 'dist']), run(dir, ['build', '--content', 'b', '--out', 'dist'])]
    expect(await Promise.all(both.map(exited))).toEqual([0, 0])
    const now = await manifest(path.join(dir, 'dist'))
    expect(mapsEqual(now, sites.get('a')!) || mapsEqual(now, sites.get('b')!), describeDifference(now, sites)).toBe(true)
    // The site and the one it replaced, the spare.
    const siblings = readdirSync(dir).filter((name) => name.startsWith('.dist'))
    expect(siblings, `left beside dist: ${siblings.join(', ')}`).toHaveLength(2)
    expect(siblings.every((name) => name.startsWith('.dist-site-'))).toBe(true)
  }, 300_000)
})

describe('the link that is the output folder', () => {
  it('replaces a real folder left by an older version once, then switches by link', async () => {
    const dir = await tempDir()
    const out = path.join(dir, 'dist')
    await writeFiles(out, { 'index.html': 'old', 'stale/page.html': 'old' })
    await writeSite({ outDir: out, files: new Map([['index.html', 'first']]), assetDirs: [] })
    expect((await lstat(out)).isSymbolicLink()).toBe(true)
    expect(await readFile(path.join(out, 'index.html'), 'utf8')).toBe('first')
    expect(existsSync(path.join(out, 'stale'))).toBe(false)
    const firstTarget = await readlink(out)
    await writeSite({ outDir: out, files: new Map([['index.html', 'second']]), assetDirs: [] })
    expect(await readlink(out)).not.toBe(firstTarget)
    expect(await readFile(path.join(out, 'index.html'), 'utf8')).toBe('second')
    expect(readdirSync(dir).sort()).toEqual([await readlink(out), firstTarget, 'dist'].sort())
  })
})

describe('the lock on the output folder', () => {
  it('makes a second writer wait, and fail with a clear message if the first does not finish in time', async () => {
    const dir = await tempDir()
    const out = path.join(dir, 'dist')
    const release = await acquireLock(path.join(dir, '.dist.lock'), 1000)
    await expect(writeSite({ outDir: out, files: new Map([['index.html', 'x']]), assetDirs: [], lockWait: 200 })).rejects.toBeInstanceOf(OutputLockedError)
    await writeFiles(path.join(dir, 'content'), { 'index.md': '# Home\n' })
    const result = await build({ contentDir: path.join(dir, 'content'), outDir: out, lockWait: 200 })
    expect(result.written).toBe(false)
    expect(result.messages.map((m) => m.ruleId)).toEqual(['output-unlocked'])
    expect(result.messages[0]!.reason).toContain(`process ${process.pid}`)
    expect(result.messages[0]!.hint).toContain('.dist.lock')
    expect(existsSync(out)).toBe(false)
    // Once the first writer lets go, the waiting one goes ahead.
    const waiting = writeSite({ outDir: out, files: new Map([['index.html', 'second']]), assetDirs: [], lockWait: 10_000 })
    await sleep(100)
    await release()
    await waiting
    expect(await readFile(path.join(out, 'index.html'), 'utf8')).toBe('second')
    expect(existsSync(path.join(dir, '.dist.lock'))).toBe(false)
  })

  it('takes over a lock left by a process that no longer exists', async () => {
    const dir = await tempDir()
    const dead = spawn(process.execPath, ['-e', ''])
    await exited(dead)
    const { hostname } = await import('node:os')
    await mkdir(dir, { recursive: true })
    await writeFile(path.join(dir, '.dist.lock'), JSON.stringify({ pid: dead.pid, host: hostname(), since: '2025-01-01T00:00:00.000Z' }))
    await writeSite({ outDir: path.join(dir, 'dist'), files: new Map([['index.html', 'ok']]), assetDirs: [], lockWait: 200 })
    expect(await readFile(path.join(dir, 'dist', 'index.html'), 'utf8')).toBe('ok')
  })

  it('removes a stale lock that a killed build had moved aside, and leaves a live build\'s alone', async () => {
    const dir = await tempDir()
    const dead = spawn(process.execPath, ['-e', ''])
    await exited(dead)
    await mkdir(dir, { recursive: true })
    const abandoned = path.join(dir, `.dist.lock.stale-${dead.pid}-abc`)
    const live = path.join(dir, `.dist.lock.stale-${process.pid}-def`)
    await writeFile(abandoned, '{}')
    await writeFile(live, '{}')
    await writeSite({ outDir: path.join(dir, 'dist'), files: new Map([['index.html', 'ok']]), assetDirs: [], lockWait: 200 })
    expect(existsSync(abandoned)).toBe(false)
    expect(existsSync(live)).toBe(true)
    expect(readdirSync(dir).filter((name) => name.startsWith('.dist.lock'))).toEqual([path.basename(live)])
  })
})

describe('deterministic output', () => {
  let browser: Browser | undefined
  afterAll(async () => {
    await browser?.close()
  })

  it('builds the same input to the same bytes, search index included, under another clock and time zone', async () => {
    const dir = await tempDir()
    const first = path.join(dir, 'one', 'dist')
    const second = path.join(dir, 'two', 'dist')
    const result = await build({ contentDir: path.join(repoRoot, 'content'), outDir: first })
    expect(result.written).toBe(true)
    // Three years later, on the other side of the world, in another language.
    const shift = `const D = Date; const t = 3 * 365 * 864e5; globalThis.Date = class extends D { constructor(...a) { if (a.length === 0) super(D.now() + t); else super(...a) } static now() { return D.now() + t } }`
    const child = run(dir, ['build', '--content', path.join(repoRoot, 'content'), '--out', second], { TZ: 'Pacific/Kiritimati', LANG: 'fr_FR.UTF-8', LC_ALL: 'fr_FR.UTF-8' }, [
      '--import',
      `data:text/javascript,${encodeURIComponent(shift)}`,
    ])
    expect(await exited(child)).toBe(0)
    const one = await manifest(first)
    const two = await manifest(second)
    expect([...one.keys()].some((file) => file.startsWith('pagefind/'))).toBe(true)
    expect([...two.keys()]).toEqual([...one.keys()])
    const differing = [...one].filter(([file, hash]) => two.get(file) !== hash).map(([file]) => file)
    expect(differing).toEqual([])
  }, 300_000)

  it('gives PDFs printed at different moments the same bytes, dated by the report', async () => {
    browser = await launchBrowser()
    const printed: Uint8Array[] = []
    for (let i = 0; i < 2; i++) {
      const page = await browser.context.newPage()
      await page.setContent('<h1>Voices</h1><p>A report.</p>')
      printed.push(await page.pdf({ format: 'A4' }))
      await page.close()
    }
    // Chromium's stamps count seconds, so two prints may share one. Rather than wait for the clock,
    // move the second print's stamps to another moment, as a print years later would have them.
    const stamps = /(\/(?:CreationDate|ModDate)\s*\(D:)\d{14}/g
    const original = Buffer.from(printed[1]!).toString('latin1')
    expect(original.match(stamps)?.length).toBeGreaterThan(0)
    printed[1] = Buffer.from(original.replace(stamps, (_stamp, head: string) => `${head}19991231235959`), 'latin1')
    expect(Buffer.from(printed[0]!).equals(Buffer.from(printed[1]!))).toBe(false)
    const date = sourceDate('2025-03-01', undefined)
    const [a, b] = printed.map((pdf) => stampPdf(pdf, date))
    expect(Buffer.from(a!).equals(Buffer.from(b!))).toBe(true)
    expect(Buffer.from(a!).toString('latin1')).toContain("/CreationDate (D:20250301000000+00'00')")
    expect(a!.length).toBe(printed[0]!.length)
    expect(sourceDate(null, '1700000000').toISOString()).toBe('2023-11-14T22:13:20.000Z')
    expect(sourceDate(undefined, undefined).toISOString()).toBe('1970-01-01T00:00:00.000Z')
  }, 120_000)
})

/** How a site differs from each of the expected ones, for failure messages. */
function describeDifference(now: Map<string, string>, sites: Map<string, Map<string, string>>): string {
  return [...sites]
    .map(([name, site]) => {
      const missing = [...site.keys()].filter((file) => !now.has(file))
      const extra = [...now.keys()].filter((file) => !site.has(file))
      const changed = [...site].filter(([file, hash]) => now.has(file) && now.get(file) !== hash).map(([file]) => file)
      return `${name}: ${missing.length} missing (${missing.slice(0, 3).join(', ')}), ${extra.length} extra (${extra.slice(0, 3).join(', ')}), ${changed.length} changed (${changed.slice(0, 3).join(', ')})`
    })
    .join('; ')
}

function mapsEqual(a: Map<string, string>, b: Map<string, string>): boolean {
  return a.size === b.size && [...a].every(([key, value]) => b.get(key) === value)
}
