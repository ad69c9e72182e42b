// Images and downloads published beside the pages that use them, and each
// chapter's "Edit this page" and "Last updated", built for real on disk.

import { execFile } from 'node:child_process'
import { access, readFile, utimes } from 'node:fs/promises'
import path from 'node:path'
import { promisify } from 'node:util'
import { describe, expect, it } from 'vitest'
import { build } from '../src/build.js'
import { editBase, pageHistory } from '../src/render/history.js'
import { attr, buildProject, select, tempDir, text, writeFiles } from './helpers.js'

const run = promisify(execFile)
const exists = (file: string) => access(file).then(() => true, () => false)

const chapter = (extra: string) => `# A theme

:::finding{#f}
## A finding

> Said.
> — P01
:::

${extra}
`

describe('images and files in the content folder', () => {
  it('copies the files pages use to their content path, points at them from each page, and leaves the rest out', async () => {
    const project = await buildProject({
      'index.md': '# Home\n\n![The team at work](team.png)\n',
      'themes/a.md': chapter('![Reviews per week](img.png)\n\nThe [raw counts](data/counts.csv).'),
      'themes/b.md': chapter('Also ![Reviews per week](img.png).').replace('#f', '#g'),
      'team.png': 'team',
      'themes/img.png': '',
      'themes/data/counts.csv': 'week,count\n1,3\n',
      'themes/interview-notes.txt': 'never published',
    })
    expect(project.result.messages).toEqual([])
    expect(project.result.written).toBe(true)

    expect(attr(await project.page('themes/a/index.html'), '.prose img', 'src')).toBe('../img.png')
    expect(attr(await project.page('themes/a/index.html'), '.prose a[href$=".csv"]', 'href')).toBe('../data/counts.csv')
    expect(attr(await project.page('index.html'), '.prose img', 'src')).toBe('team.png')
    expect(attr(await project.page('full-report/index.html'), 'img[alt="The team at work"]', 'src')).toBe('../team.png')
    expect(attr(await project.page('full-report/index.html'), 'img[alt="Reviews per week"]', 'src')).toBe('../themes/img.png')

    // Every src resolves to a file that was written.
    for (const [page, src] of [
      ['themes/a/index.html', '../img.png'],
      ['index.html', 'team.png'],
      ['full-report/index.html', '../themes/img.png'],
    ] as const) {
      expect(await exists(path.join(project.out, path.dirname(page), src))).toBe(true)
    }
    expect(await readFile(path.join(project.out, 'themes/data/counts.csv'), 'utf8')).toBe('week,count\n1,3\n')
    expect(await readFile(path.join(project.out, 'themes/img.png'))).toEqual(Buffer.from(''))
    // A file no page refers to stays private.
    expect(await exists(path.join(project.out, 'themes/interview-notes.txt'))).toBe(false)
  })

  it('publishes nothing when an image is missing', async () => {
    const project = await buildProject({ 'index.md': chapter('![Chart](chart.png)') })
    expect(project.result.messages.map((m) => `${path.basename(m.file)}:${m.line}:${m.column} ${m.ruleId}`)).toEqual(['index.md:10:1 image-exists'])
    expect(project.result.written).toBe(false)
    expect(await exists(project.out)).toBe(false)
  })
})

describe('"Edit this page" and "Last updated"', () => {
  const report = 'title: R\nrepository: https://github.com/example-org/example-report\n'

  it('links to the file on its branch and dates it by its last commit, the same on every build', async () => {
    const dir = await tempDir()
    await writeFiles(path.join(dir, 'report'), {
      'report.yml': report,
      'index.md': '# Home\n',
      'themes/a.md': chapter(''),
      'themes/b.md': chapter('').replace('#f', '#g'),
    })
    const git = (args: string[], date: string) =>
      run('git', ['-c', 'user.name=Test', '-c', 'user.email=test@example.org', '-c', 'commit.gpgsign=false', ...args], {
        cwd: dir,
        env: { ...process.env, GIT_AUTHOR_DATE: date, GIT_COMMITTER_DATE: date },
      })
    await git(['init', '-q', '-b', 'main'], '2024-01-01T00:00:00Z')
    await git(['add', '.'], '2024-01-01T00:00:00Z')
    await git(['commit', '-q', '-m', 'First'], '2024-03-05T10:00:00+01:00')
    await writeFiles(path.join(dir, 'report'), { 'themes/b.md': `${chapter('').replace('#f', '#g')}\nMore.\n` })
    await git(['commit', '-q', '-am', 'Second'], '2024-06-30T23:30:00-04:00')

    const builds = []
    for (const out of ['site-1', 'site-2']) {
      const result = await build({ contentDir: path.join(dir, 'report'), outDir: path.join(dir, out) })
      expect(result.messages).toEqual([])
      builds.push(await readFile(path.join(dir, out, 'themes/a/index.html'), 'utf8'))
    }
    expect(builds[0]).toBe(builds[1])

    const { fromHtml } = await import('hast-util-from-html')
    const a = fromHtml(builds[0]!)
    const b = fromHtml(await readFile(path.join(dir, 'site-1', 'themes/b/index.html'), 'utf8'))
    expect(attr(a, '.page-history time', 'dateTime')).toBe('2024-03-05T10:00:00+01:00')
    expect(text(a, '.page-history time')).toBe('5 March 2024')
    expect(attr(b, '.page-history time', 'dateTime')).toBe('2024-06-30T23:30:00-04:00')
    expect(text(b, '.page-history time')).toBe('30 June 2024')
    expect(attr(a, '.edit-link a', 'href')).toBe('https://github.com/example-org/example-report/edit/main/report/themes/a.md')
    const home = fromHtml(await readFile(path.join(dir, 'site-1', 'index.html'), 'utf8'))
    expect(attr(home, '.edit-link a', 'href')).toBe('https://github.com/example-org/example-report/edit/main/report/index.md')
  })

  it('falls back to the modification time outside git, and shows no edit link without a repository', async () => {
    const dir = await tempDir()
    await writeFiles(path.join(dir, 'content'), { 'index.md': '# Home\n', 'a.md': chapter('') })
    await utimes(path.join(dir, 'content', 'a.md'), new Date('2023-02-01T12:00:00Z'), new Date('2023-02-01T12:00:00Z'))
    const result = await build({ contentDir: path.join(dir, 'content'), outDir: path.join(dir, 'dist') })
    expect(result.messages).toEqual([])
    const { fromHtml } = await import('hast-util-from-html')
    const page = fromHtml(await readFile(path.join(dir, 'dist', 'a/index.html'), 'utf8'))
    expect(attr(page, '.page-history time', 'dateTime')).toBe('2023-02-01T12:00:00.000Z')
    expect(text(page, '.last-updated')).toBe('Last updated 1 February 2023')
    expect(select('.edit-link', page)).toBeUndefined()
  })

  it('takes the branch and the content path from report.yml, and knows GitLab', () => {
    expect(editBase({ repository: 'https://github.com/o/r', branch: 'draft', content_path: 'docs/report/' }, 'content')).toBe(
      'https://github.com/o/r/edit/draft/docs/report/',
    )
    expect(editBase({ repository: 'https://gitlab.com/o/r.git' }, '')).toBe('https://gitlab.com/o/r/-/edit/main/')
    expect(editBase({}, 'content')).toBeNull()
    expect(pageHistory('https://github.com/o/r/edit/main/content/', 'themes/a b.md', undefined)).toEqual({
      editUrl: 'https://github.com/o/r/edit/main/content/themes/a%20b.md',
      updated: null,
    })
  })
})
