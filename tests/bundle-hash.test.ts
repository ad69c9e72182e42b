// In its own repository the command runs a bundle named by a hash of the
// sources (bin/fieldnotes.js). That hash is kept under the files' stamps, so a
// run does not read every source; these tests check that an edit is never
// missed for it.

import { appendFile, readFile, writeFile } from 'node:fs/promises'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { knownSourceHash, sourceHash } from '../scripts/bundle.mjs'
import { tempDir, writeFiles } from './helpers.js'

const settle = () => new Promise((resolve) => setTimeout(resolve, 2100))

describe('the sources hash the command is bundled under', () => {
  it('is kept while the sources are unchanged, and made again after any edit, however quick', async () => {
    const root = await tempDir()
    const cache = path.join(root, 'cache')
    await writeFiles(root, { 'package.json': '{"name":"x"}\n', 'src/a.ts': 'export const a = 1\n', 'src/deep/b.ts': 'export const b = 2\n', 'src/notes.md': 'not bundled\n' })
    const memo = path.join(cache, 'sources.json')

    // Files changed within the last two seconds: hashed, and not kept.
    const first = knownSourceHash(root, cache)
    expect(first).toBe(sourceHash(root))
    await expect(readFile(memo, 'utf8')).rejects.toThrow()

    await settle()
    expect(knownSourceHash(root, cache)).toBe(first)
    // Kept now, and taken from there while no stamp changes: a hash put in its place is what comes back.
    const kept = JSON.parse(await readFile(memo, 'utf8')) as { stamp: string; hash: string }
    await writeFile(memo, JSON.stringify({ ...kept, hash: 'as-kept' }))
    expect(knownSourceHash(root, cache)).toBe('as-kept')
    // Files that are not bundled do not count.
    await appendFile(path.join(root, 'src/notes.md'), 'more\n')
    expect(knownSourceHash(root, cache)).toBe('as-kept')

    // An edit of the same size, then another straight after: each is seen.
    await writeFile(path.join(root, 'src/deep/b.ts'), 'export const b = 3\n')
    const edited = knownSourceHash(root, cache)
    expect(edited).toBe(sourceHash(root))
    expect(edited).not.toBe(first)
    await writeFile(path.join(root, 'src/deep/b.ts'), 'export const b = 4\n')
    expect(knownSourceHash(root, cache)).toBe(sourceHash(root))
    expect(knownSourceHash(root, cache)).not.toBe(edited)

    // A new source file changes it too.
    await settle()
    const before = knownSourceHash(root, cache)
    await writeFile(path.join(root, 'src/c.ts'), 'export const c = 5\n')
    expect(knownSourceHash(root, cache)).not.toBe(before)
  }, 15_000)
})
