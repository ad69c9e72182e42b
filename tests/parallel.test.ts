// The per-chapter work shared among worker threads gives the very site one
// thread builds: every file, byte for byte, and the same messages.

import os from 'node:os'
import path from 'node:path'
import { describe, expect, it, vi } from 'vitest'
import { generateCorpus, writeCorpus } from '../bench/corpus.js'
import { build } from '../src/build.js'
import { startPool, threadsFor, threadThreshold, workerHeapMb } from '../src/parallel/pool.js'
import { loadSources } from '../src/load/files.js'
import { loadTemplates } from '../src/load/templates.js'
import { buildSite, buildSiteInParallel } from '../src/pipeline.js'
import { readSite, repoRoot, tempDir } from './helpers.js'

async function buildBoth(contentDir: string) {
  const dir = await tempDir()
  const one = await build({ contentDir, outDir: path.join(dir, 'one'), threads: 1 })
  const two = await build({ contentDir, outDir: path.join(dir, 'two'), threads: 2 })
  return { one, two, files: { one: await readSite(path.join(dir, 'one')), two: await readSite(path.join(dir, 'two')) } }
}

function expectSameSite(built: Awaited<ReturnType<typeof buildBoth>>) {
  expect(built.one.written).toBe(true)
  expect(built.two.written).toBe(true)
  expect(built.two.messages).toEqual(built.one.messages)
  expect([...built.files.two.keys()].sort()).toEqual([...built.files.one.keys()].sort())
  const differing = [...built.files.one].filter(([name, bytes]) => !bytes.equals(built.files.two.get(name)!)).map(([name]) => name)
  expect(differing).toEqual([])
}

describe('building with worker threads', () => {
  it('gives the default report byte for byte', async () => {
    expectSameSite(await buildBoth(path.join(repoRoot, 'content')))
  }, 120_000)

  it('gives a generated report with findings, quotes and cross-references byte for byte', async () => {
    const content = path.join(await tempDir(), 'content')
    await writeCorpus(content, generateCorpus({ pages: 40, seed: 7 }).report)
    const built = await buildBoth(content)
    expectSameSite(built)
    expect(built.one.pages.length).toBeGreaterThan(40)
  }, 120_000)

  it('gives a MyST project byte for byte', async () => {
    expectSameSite(await buildBoth(path.join(repoRoot, 'tests', 'fixtures', 'myst-all')))
  }, 120_000)

  it('starts threads only for reports long enough to gain from them, one per half threshold, up to the cores and 8', () => {
    const file = (size: number) => ({ path: 'a.md', display: 'content/a.md', text: 'x'.repeat(size) })
    // The choice depends on the machine: pretend to be one with 4 cores, then one with 16.
    const cores = vi.spyOn(os, 'availableParallelism').mockReturnValue(4)
    try {
      expect(threadsFor([file(threadThreshold - 1)])).toBe(1)
      expect(threadsFor([file(threadThreshold)])).toBe(2)
      expect(threadsFor([file(threadThreshold / 2), file(threadThreshold)])).toBe(3)
      expect(threadsFor([file(threadThreshold * 4)])).toBe(4)
      cores.mockReturnValue(16)
      expect(threadsFor([file(threadThreshold * 4)])).toBe(8)
      expect(threadsFor([file(threadThreshold * 40)])).toBe(8)
      cores.mockReturnValue(1)
      expect(threadsFor([file(threadThreshold * 4)])).toBe(1)
    } finally {
      cores.mockRestore()
    }
    expect(threadsFor([file(10)], 3)).toBe(3)
    expect(threadsFor([file(threadThreshold * 4)], 0)).toBe(1)
  })

  it('holds each worker to a heap that grows with its share of the text', () => {
    expect(workerHeapMb(0)).toBe(384)
    expect(workerHeapMb(40 * 1024 * 1024)).toBe(384 + 240)
  })

  it('does the work again in one thread when a worker runs out of its heap, and gives the same site', async () => {
    const dir = await tempDir()
    await writeCorpus(path.join(dir, 'report'), generateCorpus({ pages: 40, seed: 5 }).report)
    const sources = await loadSources({ contentDir: path.join(dir, 'report') })
    const templates = await loadTemplates(path.join(repoRoot, 'templates'))
    // A heap this small cannot hold a worker's share: the pool reports it as such.
    const pool = await startPool(2, [], 0, 4)
    const chapters = sources.markdown.map((source, i) => ({ chapter: { source, slug: `c${i}` } as never, i }))
    const failure = await pool.collect({ dialect: 'report', chapters, markdown: [], outsideLinks: [] }).catch((error: NodeJS.ErrnoException) => error.code)
    await pool.close()
    expect(failure).toBe('ERR_WORKER_OUT_OF_MEMORY')

    const alone = buildSite(sources, templates)
    const fallen = await buildSiteInParallel(sources, templates, { threads: 2, workerHeapMb: 4 })
    expect(fallen.messages).toEqual(alone.messages)
    expect([...fallen.files]).toEqual([...alone.files])
  }, 120_000)
})
