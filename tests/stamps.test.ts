// The command tells that nothing changed from the stamps of a build's inputs,
// without reading them (src/cache/stamps.ts). It may answer only when the last
// build saw exactly these inputs and its site is still the one published:
// every change below must send it back to the build, and a change the stamps
// could miss (a file changed just before the build) must keep it from
// answering at all.

import { execFile } from 'node:child_process'
import { mkdir, readdir, readFile, rm, symlink, writeFile } from 'node:fs/promises'
import path from 'node:path'
import { promisify } from 'node:util'
import { beforeAll, describe, expect, it } from 'vitest'
import { build, type BuildOptions } from '../src/build.js'
import { unchangedByStamps } from '../src/cache/stamps.js'
import { settledMs } from '../src/load/folders.js'
import { repoRoot, tempDir, writeFiles } from './helpers.js'

const run = promisify(execFile)

const content = {
  'index.md': '# Notes\n\n:::finding{#f}\n## A finding\n\n> Said.\n> — P01\n:::\n\n:::recommendation{#r addresses="f"}\n## Do\n:::\n',
  // Not addressed by any recommendation: a warning, so that there are messages to remember.
  'later.md': '# Later\n\n:::finding{#g}\n## Another finding\n\n> Also said.\n> — P01\n:::\n',
  // Never read: a folder whose name starts with a dot.
  '.notes/old.md': '# Old\n',
}

/** Projects made before the tests begin, each used by one test, so that all are older than `settledMs` when built. */
const projects = new Map<string, string>()
const scenarios = ['unchanged', 'check', 'edited', 'listing', 'public', 'output', 'recent', 'link', 'history', 'plugins', 'settings', 'command']

beforeAll(async () => {
  for (const name of scenarios) {
    const dir = await tempDir()
    await writeFiles(path.join(dir, 'content'), content)
    await writeFiles(path.join(dir, 'public'), { 'robots.txt': 'User-agent: *\n' })
    projects.set(name, dir)
  }
  // A plugin of the project's own, beside the content folder: outside everything stamped.
  await writeFiles(projects.get('plugins')!, {
    'package.json': '{ "name": "with-plugins", "private": true }\n',
    'plugins/sign.js': "export default function sign() { return (tree) => { tree.children.push({ type: 'paragraph', children: [{ type: 'text', value: 'Signed' }] }) } }\n",
    'content/report.yml': 'title: Notes\nplugins:\n  remark:\n    - ./plugins/sign.js\n',
  })
  const history = projects.get('history')!
  await git(history, ['init', '-q', '-b', 'main'])
  await git(history, ['add', '.'])
  await git(history, ['commit', '-q', '-m', 'First'], '2024-03-05T10:00:00Z')
  await new Promise((resolve) => setTimeout(resolve, settledMs + 200))
}, 30_000)

function optionsOf(name: string, more: Partial<BuildOptions> = {}): BuildOptions {
  const dir = projects.get(name)!
  return { contentDir: path.join(dir, 'content'), outDir: path.join(dir, 'dist'), cache: path.join(dir, 'cache'), ...more }
}

async function git(dir: string, args: string[], date = '2024-01-01T00:00:00Z') {
  const env = { ...process.env, GIT_AUTHOR_DATE: date, GIT_COMMITTER_DATE: date }
  await run('git', ['-c', 'user.name=Test', '-c', 'user.email=test@example.org', '-c', 'commit.gpgsign=false', ...args], { cwd: dir, env })
}

/** Build, and make sure the stamps now answer as the build would. */
async function built(options: BuildOptions) {
  const result = await build(options)
  expect(await unchangedByStamps(options)).toEqual({ messages: result.messages, pages: result.pages, written: options.write !== false, unchanged: options.write !== false })
  return result
}

describe('nothing changed, told from the stamps', () => {
  it('answers with the last build’s messages and pages, and again after a build that found nothing changed', async () => {
    const options = optionsOf('unchanged')
    const first = await built(options)
    expect(first.messages.map((m) => m.ruleId)).toEqual(['finding-addressed'])
    const second = await build(options)
    expect(second.unchanged).toBe(true)
    expect(await unchangedByStamps(options)).toMatchObject({ pages: first.pages, unchanged: true })
    // Under --strict the warning fails the build: the build itself says so.
    expect(await unchangedByStamps({ ...options, strict: true })).toBeUndefined()
  })

  it('answers `check` apart from `build`', async () => {
    const options = optionsOf('check', { write: false })
    await built(options)
    expect(await unchangedByStamps({ ...options, write: true })).toBeUndefined()
  })

  it('builds again after an edit that keeps the file’s size', async () => {
    const options = optionsOf('edited')
    await built(options)
    const file = path.join(projects.get('edited')!, 'content', 'later.md')
    await writeFile(file, content['later.md'].replace('Also', 'Alas'))
    expect(await unchangedByStamps(options)).toBeUndefined()
    const again = await build(options)
    expect(again.unchanged).toBeUndefined()
    expect(await readFile(path.join(options.outDir!, 'later', 'index.html'), 'utf8')).toContain('Alas said')
  })

  it('builds again when a file is added where the loader reads, and not for one where it never reads', async () => {
    const options = optionsOf('listing')
    await built(options)
    const contentDir = options.contentDir!
    await writeFiles(contentDir, { '.notes/draft.md': '# Draft\n' })
    expect(await unchangedByStamps(options)).toMatchObject({ unchanged: true })
    await writeFiles(contentDir, { 'images/map.png': 'not really a picture' })
    expect(await unchangedByStamps(options)).toBeUndefined()
    // Gone again, the folder is as the build saw it, but a folder is left where there was none.
    await rm(path.join(contentDir, 'images', 'map.png'))
    expect(await unchangedByStamps(options)).toBeUndefined()
    await rm(path.join(contentDir, 'images'), { recursive: true })
    expect(await unchangedByStamps(options)).toMatchObject({ unchanged: true })
  })

  it('builds again when a template the report overrides or a static file changes', async () => {
    const dir = projects.get('public')!
    const options = optionsOf('public', { publicDir: path.join(dir, 'public') })
    await built(options)
    await writeFiles(options.contentDir!, { 'templates/footer.liquid': '<footer>Ours</footer>\n' })
    expect(await unchangedByStamps(options)).toBeUndefined()
    await rm(path.join(options.contentDir!, 'templates'), { recursive: true })
    expect(await unchangedByStamps(options)).toMatchObject({ unchanged: true })
    await writeFile(path.join(dir, 'public', 'robots.txt'), 'User-agent: x\n')
    expect(await unchangedByStamps(options)).toBeUndefined()
  })

  it('builds again when the output folder is not the site the last build published, or a build left something beside it to tidy', async () => {
    const options = optionsOf('output')
    await built(options)
    const parent = path.dirname(options.outDir!)
    // One draft a killed build left is the spare a build keeps; a second, or anything that is not a folder, it tidies.
    await mkdir(path.join(parent, '.dist-new-123-1'))
    expect(await unchangedByStamps(options)).toMatchObject({ unchanged: true })
    await mkdir(path.join(parent, '.dist-site-123-2'))
    expect(await unchangedByStamps(options)).toBeUndefined()
    await rm(path.join(parent, '.dist-new-123-1'), { recursive: true })
    // As is the site the last build replaced.
    expect(await unchangedByStamps(options)).toMatchObject({ unchanged: true })
    await rm(path.join(parent, '.dist-site-123-2'), { recursive: true })
    await writeFile(path.join(parent, '.dist-new-123-1'), '')
    expect(await unchangedByStamps(options)).toBeUndefined()
    await rm(path.join(parent, '.dist-new-123-1'))
    await writeFile(path.join(parent, '.dist.lock'), '')
    expect(await unchangedByStamps(options)).toBeUndefined()
    await rm(path.join(parent, '.dist.lock'))
    expect(await unchangedByStamps(options)).toMatchObject({ unchanged: true })
    // The same inputs built without the cache: the output folder links to a site of another build.
    expect((await build({ ...options, cache: false })).written).toBe(true)
    expect(await unchangedByStamps(options)).toBeUndefined()
  })

  it('keeps no stamps of a build whose inputs changed too recently for a later change to show in them', async () => {
    const options = optionsOf('recent')
    await built(options)
    // Changed just before the build began: a second change within the clock's tick could leave the same stamp.
    await writeFile(path.join(options.contentDir!, 'later.md'), content['later.md'].replace('Also', 'Alas'))
    expect((await build(options)).written).toBe(true)
    expect(await unchangedByStamps(options)).toBeUndefined()
  })

  it('checks again when a symbolic link’s target goes, though the link itself is the same', async () => {
    const dir = projects.get('link')!
    const options = optionsOf('link', { write: false })
    await writeFiles(dir, { 'elsewhere/notes.md': '# Elsewhere\n' })
    await symlink(path.join(dir, 'elsewhere', 'notes.md'), path.join(dir, 'content', 'notes.md'))
    const first = await built(options)
    expect(first.messages.find((m) => m.ruleId === 'path-inside-project')?.reason).toContain('points outside')
    await rm(path.join(dir, 'elsewhere', 'notes.md'))
    expect(await unchangedByStamps(options)).toBeUndefined()
    expect((await build(options)).messages.find((m) => m.ruleId === 'path-inside-project')?.reason).toContain('points to nothing')
  })

  it('builds again when the history the pages are dated from changes, though no file does', async () => {
    const dir = projects.get('history')!
    const options = optionsOf('history')
    await built(options)
    expect(await readFile(path.join(options.outDir!, 'later', 'index.html'), 'utf8')).toContain('2024-03-05')
    await git(dir, ['commit', '-q', '--amend', '--no-edit', '--reset-author'], '2024-07-09T10:00:00Z')
    expect(await unchangedByStamps(options)).toBeUndefined()
    expect((await build(options)).unchanged).toBeUndefined()
    expect(await readFile(path.join(options.outDir!, 'later', 'index.html'), 'utf8')).toContain('2024-07-09')
  })

  it('keeps no stamps of a report that names plugins, whose code lies outside the folders stamped', async () => {
    const options = optionsOf('plugins')
    const result = await build(options)
    expect(result.written).toBe(true)
    expect(await readFile(path.join(options.outDir!, 'later', 'index.html'), 'utf8')).toContain('Signed')
    expect(await unchangedByStamps(options)).toBeUndefined()
    expect((await build(options)).unchanged).toBe(true)
    expect(await unchangedByStamps(options)).toBeUndefined()
  })

  it('builds again with other settings: the site’s address, the date, the working folder', async () => {
    const options = optionsOf('settings')
    await built(options)
    expect(await unchangedByStamps({ ...options, siteUrl: 'https://example.org/report/' })).toBeUndefined()
    process.env['SOURCE_DATE_EPOCH'] = '1700000000'
    try {
      expect(await unchangedByStamps(options)).toBeUndefined()
    } finally {
      delete process.env['SOURCE_DATE_EPOCH']
    }
    const cwd = process.cwd()
    process.chdir(projects.get('settings')!)
    try {
      expect(await unchangedByStamps(options)).toBeUndefined()
    } finally {
      process.chdir(cwd)
    }
    expect(await unchangedByStamps(options)).toMatchObject({ unchanged: true })
  })
})

describe('the command', () => {
  const bin = path.join(repoRoot, 'bin', 'fieldnotes.js')
  const cli = async (dir: string) => (await run(process.execPath, [bin, 'build'], { cwd: dir, env: { ...process.env, GITHUB_ACTIONS: '' } })).stderr

  it('says nothing changed from the stamps, without the build’s own record, and builds after an edit', async () => {
    const dir = projects.get('command')!
    expect(await cli(dir)).toMatch(/Built \d+ pages/)
    // The build's record of its inputs' contents is gone: only the stamps can tell that nothing changed.
    const builds = path.join(dir, '.cache', 'fieldnotes', 'builds')
    const [project] = await readdir(builds)
    await rm(path.join(builds, project!, 'build.json'))
    const stderr = await cli(dir)
    expect(stderr).toContain('1 warning')
    expect(stderr).toContain('Nothing changed since the last build')
    await writeFile(path.join(dir, 'content', 'later.md'), content['later.md'].replace('Also', 'Alas'))
    expect(await cli(dir)).toMatch(/Built \d+ pages/)
  }, 60_000)
})
