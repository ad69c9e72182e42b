// Content arrives in pull requests and is built in CI with the repository's
// rights, so it is treated as hostile: it must not make the build run a
// program, replace the generator's own files, or publish a file a browser
// would execute. Each case here was a working attack before it was closed.

import { execFile } from 'node:child_process'
import { chmod, readFile, writeFile } from 'node:fs/promises'
import path from 'node:path'
import { promisify } from 'node:util'
import { describe, expect, it } from 'vitest'
import { build } from '../src/build.js'
import { readHistory } from '../src/load/history.js'
import { tempDir, where, writeFiles } from './helpers.js'

const run = promisify(execFile)
const exists = (file: string) => readFile(file).then(() => true, () => false)

describe('a content folder shaped like a git repository', () => {
  /**
   * A bare repository in the content folder whose configuration asks git to
   * check signatures with a program of the contributor's, next to a commit
   * that carries a signature and touches a chapter: `git log` in that folder
   * runs the program. Returns where the program leaves its mark.
   */
  async function plantRepository(content: string): Promise<string> {
    const dir = path.dirname(content)
    const mark = path.join(dir, 'program-ran')
    const program = path.join(dir, 'verify.sh')
    await writeFile(program, `#!/bin/sh\ntouch '${mark}'\nexit 1\n`)
    await chmod(program, 0o755)
    const git = (args: string[], input?: string) => {
      const child = run('git', args, { cwd: content })
      if (input !== undefined) child.child.stdin?.end(input)
      return child.then(({ stdout }) => stdout.trim())
    }
    await run('git', ['init', '-q', '--bare', content])
    await writeFile(path.join(content, 'index.md'), '# Home\n\nWelcome.\n')
    const blob = await git(['hash-object', '-w', 'index.md'])
    const tree = await git(['mktree'], `100644 blob ${blob}\tindex.md\n`)
    const signature = ['-----BEGIN PGP SIGNATURE-----', ' ', ' iQ==', ' -----END PGP SIGNATURE-----'].join('\n')
    const commit = `tree ${tree}\nauthor A <a@example.org> 1700000000 +0000\ncommitter A <a@example.org> 1700000000 +0000\ngpgsig ${signature}\n\nSigned\n`
    await writeFile(path.join(dir, 'commit.txt'), commit)
    const id = await git(['hash-object', '-t', 'commit', '-w', path.join(dir, 'commit.txt')])
    await git(['update-ref', 'refs/heads/main', id])
    await git(['symbolic-ref', 'HEAD', 'refs/heads/main'])
    await git(['config', 'log.showSignature', 'true'])
    await git(['config', 'gpg.program', program])
    // The attack works today with plain git: the program runs when git is let discover the folder.
    await run('git', ['-C', content, 'log', '--format=%H', '--', '.'])
    expect(await exists(mark)).toBe(true)
    await run('rm', ['-f', mark])
    return mark
  }

  it('never lets git read its configuration, in check, build or the dev server\'s history', async () => {
    const dir = await tempDir()
    const content = path.join(dir, 'content')
    const mark = await plantRepository(content)

    const checked = await build({ contentDir: content, write: false, cache: false })
    await readHistory(content, ['index.md'])
    const built = await build({ contentDir: content, outDir: path.join(dir, 'dist'), cache: false })
    expect(await exists(mark)).toBe(false)

    for (const result of [checked, built]) {
      const found = result.messages.filter((m) => m.ruleId === 'content-holds-no-repository')
      expect(where(found).map((w) => path.relative(dir, w))).toEqual(['content/HEAD:1:1 content-holds-no-repository'])
      expect(found[0]!.reason).toBe('The content folder is shaped like a bare git repository (`HEAD`, `objects/` and `refs/`)')
      expect(found[0]!.hint).toMatch(/^Remove the repository files from the content folder/)
    }
    expect(built.written).toBe(false)
  })

  it('reports a repository in a subfolder, and a .git in one, but not the checkout that holds the content', async () => {
    const dir = await tempDir()
    await run('git', ['init', '-q', dir])
    const content = path.join(dir, 'content')
    await writeFiles(content, { 'index.md': '# Home\n', 'data/notes.md': '# Notes\n', 'vendor/.git/HEAD': 'ref: refs/heads/main\n' })
    await run('git', ['init', '-q', '--bare', path.join(content, 'data', 'mirror')])
    const result = await build({ contentDir: content, write: false, cache: false })
    expect(where(result.messages).map((w) => path.relative(dir, w))).toEqual([
      'content/data/mirror/HEAD:1:1 content-holds-no-repository',
      'content/vendor/.git:1:1 content-holds-no-repository',
    ])
  })

  it('still dates chapters from the checkout when the content folder is the repository itself', async () => {
    const dir = await tempDir()
    await writeFiles(dir, { 'index.md': '# Home\n' })
    const date = '2024-03-05T10:00:00+01:00'
    const env = { ...process.env, GIT_AUTHOR_DATE: date, GIT_COMMITTER_DATE: date }
    const git = (args: string[]) => run('git', ['-c', 'user.name=T', '-c', 'user.email=t@example.org', '-c', 'commit.gpgsign=false', ...args], { cwd: dir, env })
    await git(['init', '-q'])
    await git(['add', '.'])
    await git(['commit', '-q', '-m', 'First'])
    const history = await readHistory(dir, ['index.md'])
    expect(history.repositoryPath).toBe('')
    expect(history.updated.get('index.md')).toBe(date)
    const result = await build({ contentDir: dir, write: false, cache: false })
    expect(result.messages.filter((m) => m.ruleId === 'content-holds-no-repository')).toEqual([])
  })
})
