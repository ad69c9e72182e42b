// The switch from one site to the next, watched before and after every call
// the writer makes that changes the file system: `dist` is at every one of
// those moments the complete previous site or the complete new one, never
// missing and never part of each. Deterministic, where
// output-integrity.test.ts kills real builds at moments it cannot choose.

import type * as Fs from 'node:fs'
import type * as FsPromises from 'node:fs/promises'
import path from 'node:path'
import { describe, expect, it, vi } from 'vitest'
import { writeSite } from '../src/write/output.js'
import { tempDir, writeFiles } from './helpers.js'

// Hoisted with the mocks below: what the test does at each call (nothing until a test sets it), and the calls watched.
const watch = vi.hoisted(() => {
  const state = {
    check: undefined as ((call: string) => void) | undefined,
    // The calls that change the file system; a writer that used any other would escape this test.
    changing: ['rename', 'rm', 'rmdir', 'unlink', 'symlink', 'link', 'mkdir', 'cp', 'copyFile', 'writeFile', 'open'],
    /** The module with each of `names` checked before and after it runs. */
    wrap(module: object, names: string[], sync: boolean): Record<string, unknown> {
      const wrapped: Record<string, unknown> = { ...module }
      for (const name of names) {
        const original = (module as Record<string, (...args: unknown[]) => unknown>)[name]!
        wrapped[name] = sync
          ? (...args: unknown[]) => {
              state.check?.(`before ${name}`)
              try {
                return original(...args)
              } finally {
                state.check?.(`after ${name}`)
              }
            }
          : async (...args: unknown[]) => {
              state.check?.(`before ${name}`)
              try {
                return await original(...args)
              } finally {
                state.check?.(`after ${name}`)
              }
            }
      }
      return { ...wrapped, default: wrapped }
    },
  }
  return state
})

vi.mock('node:fs/promises', async (importOriginal) => watch.wrap(await importOriginal<typeof FsPromises>(), watch.changing, false))
vi.mock('node:fs', async (importOriginal) =>
  watch.wrap(
    await importOriginal<typeof Fs>(),
    watch.changing.map((name) => `${name}Sync`),
    true,
  ),
)

// The checks read with the real functions, so that reading is not itself watched.
const real = await vi.importActual<typeof Fs>('node:fs')

/** Every file under `dir` with its text, or undefined when `dir` is not there. */
function readSite(dir: string): Map<string, string> | undefined {
  if (!real.existsSync(dir)) return undefined
  const files = new Map<string, string>()
  for (const entry of real.readdirSync(dir, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile()) continue
    const full = path.join(entry.parentPath, entry.name)
    files.set(path.relative(dir, full).split(path.sep).join('/'), real.readFileSync(full, 'utf8'))
  }
  return new Map([...files].sort(([a], [b]) => (a < b ? -1 : 1)))
}

const same = (a: Map<string, string> | undefined, b: Map<string, string>) => a !== undefined && a.size === b.size && [...a].every(([k, v]) => b.get(k) === v)

/** One version of a small site: pages of its own and one in common, a file that comes later (as the search index does) and a static file. */
function version(name: string): { files: Map<string, string>; later: Map<string, string>; expected: Map<string, string> } {
  const files = new Map([
    ['index.html', `${name} home`],
    [`${name.toLowerCase()}/index.html`, `${name} chapter`],
    ['shared/index.html', 'in both'],
  ])
  const later = new Map([['pagefind/pagefind.js', `${name} index`]])
  const expected = new Map([...files, ...later, ['assets/style.css', 'body {}']])
  return { files, later, expected: new Map([...expected].sort(([a], [b]) => (a < b ? -1 : 1))) }
}

describe('switching the output folder to a new site', () => {
  it('shows the complete previous or the complete new site at every step, and the new one from the switch on', async () => {
    const dir = await tempDir()
    const out = path.join(dir, 'dist')
    const assets = path.join(dir, 'public')
    await writeFiles(assets, { 'assets/style.css': 'body {}' })
    const sites = { A: version('A'), B: version('B') }
    const write = (name: 'A' | 'B') => writeSite({ outDir: out, files: sites[name].files, later: Promise.resolve(sites[name].later), assetDirs: [assets] })

    await write('A')
    expect(readSite(out)).toEqual(sites.A.expected)

    // To B and back: each switch replaces a linked site and removes it.
    for (const [from, to] of [['A', 'B'], ['B', 'A']] as const) {
      const seen: string[] = []
      const problems: string[] = []
      watch.check = (call) => {
        const now = real.lstatSync(out, { throwIfNoEntry: false })?.isSymbolicLink() ? readSite(out) : undefined
        const which = same(now, sites[from].expected) ? from : same(now, sites[to].expected) ? to : undefined
        if (which === undefined) problems.push(`${call}: dist is ${now ? `neither site: ${[...now.keys()].join(', ')}` : 'not there, or not a link'}`)
        else if (seen.at(-1) !== which) seen.push(which)
      }
      try {
        await write(to)
      } finally {
        watch.check = undefined
      }
      expect(problems).toEqual([])
      // The writer was watched while it switched: first the old site, then the new one, and never back.
      expect(seen).toEqual([from, to])
      expect(readSite(out)).toEqual(sites[to].expected)
      // Only the new site and the link are left.
      expect(real.readdirSync(dir).filter((name) => name !== 'public').sort()).toEqual([real.readlinkSync(out), 'dist'].sort())
    }
  })
})
