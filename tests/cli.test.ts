// The command line, run as a real process on real folders.

import { execFile } from 'node:child_process'
import { readFile, readdir, writeFile } from 'node:fs/promises'
import path from 'node:path'
import { promisify } from 'node:util'
import { describe, expect, it } from 'vitest'
import { repoRoot, tempDir, writeFiles } from './helpers.js'

const run = promisify(execFile)
const bin = path.join(repoRoot, 'bin', 'fieldnotes.js')

async function cli(args: string[], cwd: string, env: Record<string, string> = {}) {
  try {
    const { stdout, stderr } = await run(process.execPath, [bin, ...args], { cwd, env: { ...process.env, GITHUB_ACTIONS: '', ...env } })
    return { code: 0, stdout, stderr }
  } catch (error) {
    const e = error as { code: number; stdout: string; stderr: string }
    return { code: e.code, stdout: e.stdout, stderr: e.stderr }
  }
}

const good = {
  'index.md': '# Notes\n\n:::finding{#f}\n## A finding\n\n> Said.\n> — P01\n:::\n\n:::recommendation{#r addresses="f"}\n## Do\n:::\n',
}

describe('fieldnotes build', () => {
  it('writes the site and exits 0 on a clean report', async () => {
    const dir = await tempDir()
    await writeFiles(path.join(dir, 'content'), good)
    const { code, stderr } = await cli(['build'], dir)
    expect(code).toBe(0)
    expect(stderr).toContain('No problems found.')
    expect(stderr).toMatch(/Built \d+ pages into dist\//)
    expect(await readFile(path.join(dir, 'dist', 'index.html'), 'utf8')).toContain('A finding')
    expect(await readdir(path.join(dir, 'dist', 'assets'))).toContain('style.css')
  })

  it('exits 1, prints positioned messages and leaves the previous site as it was when there are errors', async () => {
    const dir = await tempDir()
    await writeFiles(path.join(dir, 'content'), good)
    expect((await cli(['build'], dir)).code).toBe(0)
    const before = await readFile(path.join(dir, 'dist', 'index.html'), 'utf8')
    // `dist` links to the hidden folder that holds the site (see docs/output.md); with no node_modules here, the build cache is .cache.
    const listed = (await readdir(dir)).sort()
    expect(listed.filter((name) => !name.startsWith('.dist-site-'))).toEqual(['.cache', 'content', 'dist'])

    await writeFile(path.join(dir, 'content', 'index.md'), `${good['index.md']}\nSee [](#g).\n`)
    const { code, stderr } = await cli(['build'], dir)
    expect(code).toBe(1)
    expect(stderr).toContain('content/index.md:14:5  error  Nothing in the report has the id `g`  reference-target-exists')
    expect(stderr).toContain('1 error, 0 warnings, 0 info')
    expect(stderr).toContain('Nothing was written')
    expect(await readFile(path.join(dir, 'dist', 'index.html'), 'utf8')).toBe(before)
    expect((await readdir(dir)).sort()).toEqual(listed)
  })

  it('takes the site address with --site-url, ignores an empty one, and refuses one that is not a full address', async () => {
    const dir = await tempDir()
    await writeFiles(dir, { ...Object.fromEntries(Object.entries(good).map(([name, text]) => [`content/${name}`, text])), '.github/workflows/site.yml': 'on: push\njobs:\n  deploy:\n    runs-on: ubuntu-latest\n    steps:\n      - uses: actions/deploy-pages@v4\n' })
    const warned = await cli(['check', '--site-url', ''], dir)
    expect(warned.code).toBe(0)
    expect(warned.stderr).toContain('.github/workflows/site.yml:6:15  warning  This workflow publishes the site to GitHub Pages')
    const given = await cli(['build', '--site-url', 'https://example-org.github.io/notes'], dir)
    expect(given.code).toBe(0)
    expect(given.stderr).toContain('No problems found.')
    expect(await readFile(path.join(dir, 'dist', 'robots.txt'), 'utf8')).toContain('Sitemap: https://example-org.github.io/notes/sitemap.xml')
    const bad = await cli(['build', '--site-url', 'example-org.github.io/notes'], dir)
    expect(bad.code).toBe(2)
    expect(bad.stderr).toContain('--site-url takes a full http(s) address')
  })

  it('fails on warnings only under --strict', async () => {
    const dir = await tempDir()
    await writeFiles(path.join(dir, 'content'), { 'index.md': '---\ntitel: x\n---\n# Notes\n' })
    expect((await cli(['build', '--out', 'site'], dir)).code).toBe(0)
    const strict = await cli(['build', '--strict', '--out', 'strict-site'], dir)
    expect(strict.code).toBe(1)
    expect(strict.stderr).toContain('content/index.md:2:1  warning  Unknown key `titel` in front matter  frontmatter-key-known')
    expect((await readdir(dir)).filter((name) => !name.startsWith('.site-site-')).sort()).toEqual(['.cache', 'content', 'site'])
  })

  it('takes --content and --out', async () => {
    const dir = await tempDir()
    await writeFiles(path.join(dir, 'notes'), good)
    const { code } = await cli(['build', '--content', 'notes', '--out', 'public-site'], dir)
    expect(code).toBe(0)
    expect(await readdir(path.join(dir, 'public-site'))).toContain('findings')
  })

  it('refuses an output folder that holds the content', async () => {
    const dir = await tempDir()
    await writeFiles(path.join(dir, 'content'), good)
    const { code, stderr } = await cli(['build', '--out', '.'], dir)
    expect(code).toBe(1)
    expect(stderr).toContain('output-safe')
    expect(await readdir(path.join(dir, 'content'))).toEqual(['index.md'])
  })
})

describe('fieldnotes check', () => {
  it('reports problems, writes nothing, and exits 1 on errors', async () => {
    const dir = await tempDir()
    await writeFiles(path.join(dir, 'content'), { 'index.md': '# A\n\n:::finding{#x}\n## X\n' })
    const { code, stderr } = await cli(['check'], dir)
    expect(code).toBe(1)
    expect(stderr).toContain('content/index.md:3:1  error')
    expect(stderr).toContain('directive-closed')
    expect(stderr).toContain('hint: Add a line with `:::` where the finding ends.')
    // Only the build cache is written, and no site.
    expect((await readdir(dir)).sort()).toEqual(['.cache', 'content'])
  })

  it('prints GitHub annotations under GitHub Actions', async () => {
    const dir = await tempDir()
    await writeFiles(path.join(dir, 'content'), { 'index.md': '# A\n\n[](#nope)\n' })
    const { stdout } = await cli(['check'], dir, { GITHUB_ACTIONS: 'true' })
    expect(stdout.trim()).toBe(
      '::error file=content/index.md,line=3,col=1,title=reference-target-exists::Nothing in the report has the id `nope`%0ALink to the id of a finding, a recommendation or a heading.',
    )
  })

  it('explains itself with --help and rejects unknown commands', async () => {
    const dir = await tempDir()
    const help = await cli(['--help'], dir)
    expect(help.code).toBe(0)
    expect(help.stdout).toContain('--content DIR')
    const bad = await cli(['publish'], dir)
    expect(bad.code).toBe(2)
    expect(bad.stderr).toContain('Unknown command `publish`')
  })
})
