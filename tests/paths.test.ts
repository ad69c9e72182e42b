// Paths stay inside the project: what a chapter refers to resolves inside the
// content folder, symbolic links cannot reach outside it or public/, chapter
// names cannot make unsafe addresses, and nothing is written anywhere but the
// output folder and its hidden siblings.

import { mkdir, readdir, readFile, stat, symlink, writeFile } from 'node:fs/promises'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { build } from '../src/build.js'
import { safeJoin } from '../src/write/output.js'
import { buildInMemory, repoRoot, tempDir, where, writeFiles } from './helpers.js'

const home = '# Home\n\nWelcome.\n'

describe('references that leave the content folder', () => {
  it('reports ../ past the top, absolute paths and file: URLs at their place', () => {
    const site = buildInMemory({
      'index.md': home,
      'themes/a.md': [
        '# A', //                                                1
        '', //                                                   2
        '![map](../../private/map.png)', //                      3
        '', //                                                   4
        '[notes](../../../etc/passwd) and [fine](../index.md)', // 5
        '', //                                                   6
        '![root](/etc/hostname) ![drive](C:\\pictures\\map.png)', // 7
        '', //                                                   8
        '[file](file:///etc/passwd) [share](\\\\server\\share\\x.png)', // 9
        '', //                                                   10
        '[encoded](%2e%2e/%2e%2e/secret.txt)', //                11
        '', //                                                   12
        '<img src="../../x.png" alt="raw"> <a href=\'/abs/path\'>raw</a>', // 13
        '', //                                                   14
        '[ref][r]', //                                           15
        '', //                                                   16
        '[r]: ../../outside.pdf', //                             17
        '',
      ].join('\n'),
    })
    const paths = site.messages.filter((m) => m.ruleId === 'path-inside-project')
    expect(where(paths)).toEqual([
      'content/themes/a.md:3:1 path-inside-project',
      'content/themes/a.md:5:1 path-inside-project',
      'content/themes/a.md:7:1 path-inside-project',
      'content/themes/a.md:7:24 path-inside-project',
      'content/themes/a.md:9:1 path-inside-project',
      'content/themes/a.md:9:28 path-inside-project',
      'content/themes/a.md:11:1 path-inside-project',
      'content/themes/a.md:13:6 path-inside-project',
      'content/themes/a.md:13:38 path-inside-project',
      'content/themes/a.md:17:1 path-inside-project',
    ])
    expect(paths[0]!.reason).toBe('The image `../../private/map.png` climbs out of the content folder with `../`')
    expect(paths[2]!.reason).toContain('is an absolute path')
    expect(paths.every((m) => m.severity === 'error' && m.hint?.includes('relative to this file'))).toBe(true)
  })

  it('leaves web addresses, anchors and paths inside the folder alone', () => {
    const site = buildInMemory({
      'index.md': home,
      'themes/a.md': '# A\n\n[web](https://example.org/../x) [mail](mailto:a@example.org) [cdn](//example.org/x.png) [up](../index.md) [here](#a)\n',
    })
    expect(site.messages.filter((m) => m.ruleId === 'path-inside-project')).toEqual([])
  })
})

describe('symbolic links', () => {
  it('reports a link in content/ that leads outside it, and the image that goes through it, and writes nothing', async () => {
    const dir = await tempDir()
    const secret = path.join(dir, 'secret')
    await writeFiles(secret, { 'key.png': 'not for publication' })
    await writeFiles(path.join(dir, 'content'), { 'index.md': '# Home\n\n![A key](shared/key.png)\n' })
    await symlink(secret, path.join(dir, 'content', 'shared'))
    const result = await build({ contentDir: path.join(dir, 'content'), outDir: path.join(dir, 'dist') })
    const paths = result.messages.filter((m) => m.ruleId === 'path-inside-project')
    expect(paths.map((m) => `${m.file.replace(/^.*content\//, 'content/')}:${m.line}:${m.column}`)).toEqual(['content/index.md:3:1', 'content/shared:1:1'])
    expect(paths[0]!.reason).toContain('symbolic link `shared`')
    expect(result.written).toBe(false)
    await expect(stat(path.join(dir, 'dist'))).rejects.toThrow()
  })

  it('does not read a chapter or report.yml that is a link to a file outside', async () => {
    const dir = await tempDir()
    await writeFiles(dir, { 'outside.md': '# Outside\n\nSECRET TEXT\n', 'outside.yml': 'title: SECRET TITLE\n' })
    await writeFiles(path.join(dir, 'content'), { 'index.md': home })
    await symlink(path.join(dir, 'outside.md'), path.join(dir, 'content', 'linked.md'))
    await symlink(path.join(dir, 'outside.yml'), path.join(dir, 'content', 'report.yml'))
    const result = await build({ contentDir: path.join(dir, 'content'), outDir: path.join(dir, 'dist'), write: false })
    expect(result.messages.map((m) => `${m.ruleId} ${path.basename(m.file)}`).sort()).toEqual(['path-inside-project linked.md', 'path-inside-project report.yml'])
    expect(JSON.stringify(result)).not.toContain('SECRET')
  })

  it('reports a link in public/ that leads outside it, and never copies its target', async () => {
    const dir = await tempDir()
    await writeFiles(dir, { 'private.txt': 'SECRET', 'public/assets/style.css': 'body {}' })
    await symlink(path.join(dir, 'private.txt'), path.join(dir, 'public', 'assets', 'leak.txt'))
    await writeFiles(path.join(dir, 'content'), { 'index.md': home })
    const result = await build({ contentDir: path.join(dir, 'content'), outDir: path.join(dir, 'dist'), publicDir: path.join(dir, 'public') })
    expect(where(result.messages).map((w) => w.replace(/^.*public\//, 'public/'))).toEqual(['public/assets/leak.txt:1:1 path-inside-project'])
    expect(result.written).toBe(false)
  })
})

describe('chapter names and output paths', () => {
  it('reports file names that cannot be safe addresses', () => {
    const site = buildInMemory({
      'index.md': home,
      'what#next.md': '# A\n',
      '100%.md': '# B\n',
      'notes /draft.md': '# C\n',
      'con.md': '# D\n',
      'fine name (draft).md': '# E\n',
    })
    expect(where(site.messages)).toEqual([
      'content/100%.md:1:1 page-path-safe',
      'content/con.md:1:1 page-path-safe',
      'content/notes /draft.md:1:1 page-path-safe',
      'content/what#next.md:1:1 page-path-safe',
    ])
  })

  it('reports chapters whose addresses differ only in case', () => {
    const site = buildInMemory({ 'index.md': home, 'Methods.md': '# M\n', 'methods.md': '# m\n' })
    expect(where(site.messages)).toEqual(['content/methods.md:1:1 page-path-unique'])
    expect(site.messages[0]!.reason).toContain('differs only in case from /Methods/')
  })

  it('never publishes dot-files such as `..md`, and writes only the output folder and its hidden siblings', async () => {
    const dir = await tempDir()
    await writeFiles(path.join(dir, 'content'), { 'index.md': home, '..md': '# Dots\n', '.hidden.md': '# Hidden\n', 'sub/..md': '# Sub\n' })
    const before = (await readdir(dir)).sort()
    const result = await build({ contentDir: path.join(dir, 'content'), outDir: path.join(dir, 'dist') })
    expect(result.messages).toEqual([])
    expect(result.pages).not.toContain('index.html/index.html')
    const after = (await readdir(dir)).sort()
    expect(after.filter((name) => !before.includes(name)).map((name) => name.replace(/-site-.*/, '-site-*'))).toEqual(['.dist-site-*', 'dist'])
    expect(await readdir(path.join(dir, 'content'))).toEqual(expect.arrayContaining(['..md', '.hidden.md', 'index.md', 'sub']))
    expect(await readFile(path.join(dir, 'dist', 'index.html'), 'utf8')).toContain('Welcome.')
  })

  it('refuses any output path outside the output folder', () => {
    const root = path.join(repoRoot, 'dist-probe')
    for (const bad of ['../x.html', '../dist-probe-2/index.html', '../../etc/passwd', '/etc/passwd', 'a/../../x', '', '.', 'a\u0000b']) {
      expect(() => safeJoin(root, bad), JSON.stringify(bad)).toThrow(/outside the output folder/)
    }
    expect(safeJoin(root, 'themes/a/index.html')).toBe(path.join(root, 'themes', 'a', 'index.html'))
  })

  it('refuses to build into a folder that holds the content or the working directory', async () => {
    const dir = await tempDir()
    await writeFiles(path.join(dir, 'content'), { 'index.md': home })
    const result = await build({ contentDir: path.join(dir, 'content'), outDir: dir })
    expect(result.messages.map((m) => m.ruleId)).toEqual(['output-safe'])
    expect(result.written).toBe(false)
    await mkdir(path.join(dir, 'content', 'inner'))
    const inside = await build({ contentDir: path.join(dir, 'content'), outDir: path.join(dir, 'content') })
    expect(inside.messages.map((m) => m.ruleId)).toEqual(['output-safe'])
  })
})
