// The preview's file watcher, on real folders: every change is told by its
// path, in folders that were there from the start and in those made later,
// and nothing under an ignored name.

import { appendFile, mkdir, rename, rm, writeFile } from 'node:fs/promises'
import path from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { watchFolders, type FolderWatcher } from '../src/dev/watch.js'
import { tempDir, writeFiles } from './helpers.js'

let open: FolderWatcher | undefined

afterEach(() => {
  open?.close()
  open = undefined
})

/** A watcher on `root` that keeps every path it is told of. */
async function watching(root: string) {
  const seen: string[] = []
  open = await watchFolders([root, path.join(root, 'not-there')], {
    ignored: (file) => path.basename(file).startsWith('.'),
    onChange: (file) => seen.push(file),
  })
  return { seen, saw: (file: string) => expect.poll(() => seen.includes(file), { timeout: 5_000 }).toBe(true) }
}

describe('the preview’s file watcher', () => {
  it('tells of a file written, made, moved in and removed, in the folder watched and below it', async () => {
    const root = await tempDir()
    await writeFiles(root, { 'index.md': '# A\n', 'themes/deep/b.md': '# B\n' })
    const { saw } = await watching(root)
    await appendFile(path.join(root, 'themes', 'deep', 'b.md'), 'More.\n')
    await saw(path.join(root, 'themes', 'deep', 'b.md'))
    await writeFile(path.join(root, 'themes', 'c.md'), '# C\n')
    await saw(path.join(root, 'themes', 'c.md'))
    await writeFile(path.join(root, 'draft'), '# D\n')
    await rename(path.join(root, 'draft'), path.join(root, 'themes', 'd.md'))
    await saw(path.join(root, 'themes', 'd.md'))
    await rm(path.join(root, 'index.md'))
    await saw(path.join(root, 'index.md'))
  })

  it('watches a folder made after it began, and what is written in it then and later', async () => {
    const root = await tempDir()
    const { seen, saw } = await watching(root)
    const made = path.join(root, 'new', 'deeper')
    await mkdir(made, { recursive: true })
    await writeFile(path.join(made, 'a.md'), '# A\n')
    await saw(path.join(root, 'new'))
    // Whatever was written before its watch began, the folder is told of again once its watch is on.
    await expect.poll(() => seen.filter((file) => file === path.join(root, 'new')).length, { timeout: 5_000 }).toBeGreaterThanOrEqual(2)
    await appendFile(path.join(made, 'a.md'), 'Later.\n')
    await saw(path.join(made, 'a.md'))
  })

  it('stops watching a folder removed, watches one made again in its place, and tells nothing under a dot name', async () => {
    const root = await tempDir()
    await writeFiles(root, { 'themes/a.md': '# A\n', '.git/HEAD': 'ref: refs/heads/main\n' })
    const { seen, saw } = await watching(root)
    await rm(path.join(root, 'themes'), { recursive: true })
    await saw(path.join(root, 'themes'))
    await writeFiles(root, { 'themes/b.md': '# B\n' })
    await expect.poll(() => seen.filter((file) => file === path.join(root, 'themes')).length, { timeout: 5_000 }).toBeGreaterThanOrEqual(2)
    await appendFile(path.join(root, 'themes', 'b.md'), 'More.\n')
    await saw(path.join(root, 'themes', 'b.md'))
    await writeFile(path.join(root, '.git', 'HEAD'), 'ref: refs/heads/other\n')
    await writeFile(path.join(root, '.hidden.md'), '# Hidden\n')
    // A change after those, once told, shows they have had their chance to be told.
    await appendFile(path.join(root, 'themes', 'b.md'), 'Last.\n')
    await expect.poll(() => seen.filter((file) => file === path.join(root, 'themes', 'b.md')).length, { timeout: 5_000 }).toBeGreaterThanOrEqual(2)
    expect(seen.filter((file) => file.includes(`${path.sep}.`))).toEqual([])
  })
})
