// The per-chapter work shared among worker threads gives the very site one
// thread builds: every file, byte for byte, and the same messages.

import { readFile, readdir } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { describe, expect, it, vi } from 'vitest'
import { generateCorpus, writeCorpus } from '../bench/corpus.js'
import { build } from '../src/build.js'
import { threadsFor, threadThreshold } from '../src/parallel/pool.js'
import { repoRoot, tempDir } from './helpers.js'

async function readTree(dir: string): Promise<Map<string, Buffer>> {
  const files = new Map<string, Buffer>()
  for (const name of (await readdir(dir, { recursive: true, withFileTypes: true })).filter((e) => e.isFile())) {
    const full = path.join(name.parentPath, name.name)
    files.set(path.relative(dir, full), await readFile(full))
  }
  return files
}

async function buildBoth(contentDir: string) {
  const dir = await tempDir()
  const one = await build({ contentDir, outDir: path.join(dir, 'one'), threads: 1 })
  const two = await build({ contentDir, outDir: path.join(dir, 'two'), threads: 2 })
  return { one, two, files: { one: await readTree(path.join(dir, 'one')), two: await readTree(path.join(dir, 'two')) } }
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
})
