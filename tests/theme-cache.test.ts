// The theme is part of the build cache's key: editing the theme in report.yml,
// a template override, the custom stylesheet or a font file each makes the
// next build build again, and its site shows the edit.

import { readFile, utimes, writeFile } from 'node:fs/promises'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { build } from '../src/build.js'
import { tempDir, writeFiles } from './helpers.js'

describe('the build cache, for a themed report', () => {
  it('builds again after an edit to the theme, an override, the custom stylesheet or a font file, and only then', async () => {
    const dir = await tempDir()
    const content = path.join(dir, 'content')
    const out = path.join(dir, 'dist')
    await writeFiles(content, {
      'report.yml': 'title: Cached\ntheme:\n  accent: "#6b2c7a"\n  fonts:\n    body: fonts/Body.woff2\n',
      'index.md': '# Home\n\nThe report.\n',
      'fonts/Body.woff2': 'first font',
      'custom.css': '.site-footer { border-top-width: 2px; }\n',
      'templates/footer.liquid': '<footer class="site-footer">First footer</footer>\n',
    })
    const run = () => build({ contentDir: content, outDir: out, cache: path.join(dir, 'cache') })
    const published = (file: string) => readFile(path.join(out, file), 'utf8')
    let stamp = Date.now() / 1000
    const edit = async (file: string, from: string, to: string) => {
      const full = path.join(content, file)
      const text = await readFile(full, 'utf8')
      expect(text).toContain(from)
      await writeFile(full, text.replace(from, to))
      // A new modification time whatever the file system's clock resolution: files read only when written are keyed by it.
      stamp += 10
      await utimes(full, stamp, stamp)
    }

    const first = await run()
    expect(first.messages).toEqual([])
    expect(first.written).toBe(true)
    expect((await run()).unchanged).toBe(true)

    const steps: [file: string, from: string, to: string, output: string, shows: string][] = [
      ['report.yml', '#6b2c7a', '#1d5e3a', 'assets/theme.css', '--accent: #1d5e3a;'],
      ['templates/footer.liquid', 'First footer', 'Second footer', 'index.html', 'Second footer'],
      ['custom.css', '2px', '5px', 'assets/custom.css', 'border-top-width: 5px'],
      ['fonts/Body.woff2', 'first font', 'second, longer font', 'fonts/Body.woff2', 'second, longer font'],
    ]
    for (const [file, from, to, output, shows] of steps) {
      await edit(file, from, to)
      const result = await run()
      expect(result.unchanged, file).toBeUndefined()
      expect(result.written, file).toBe(true)
      expect(await published(output), file).toContain(shows)
      // And with nothing changed since, nothing is done.
      expect((await run()).unchanged, file).toBe(true)
    }
  }, 120_000)
})
