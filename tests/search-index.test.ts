// The Pagefind index written with the site, read back from its fragments:
// which pages are indexed, findings and recommendations as results of their
// own, participants findable by label and role, and names only with consent;
// and a build whose index cannot be made, which publishes nothing.

import { existsSync } from 'node:fs'
import { readdir, readFile } from 'node:fs/promises'
import path from 'node:path'
import { beforeAll, describe, expect, it, vi } from 'vitest'
import { buildProject, searchFragments, where, type BuiltProject, type SearchFragment } from './helpers.js'

let project: BuiltProject
let fragments: SearchFragment[]

beforeAll(async () => {
  project = await buildProject({
    'report.yml': 'title: Field notes on tea\n',
    'participants.yml': `participants:
  - id: P1
    role: Teacher of chemistry
    consent: named
    name: Rosalind Franklin
  - id: P2
    role: Night-shift nurse
    consent: anonymous
  - id: P3
    role: Caretaker
    consent: no-quotes
`,
    'index.md': '# Welcome\n\nThe start of the notes.\n',
    'pots.md': `# Pots

Pots come in many sizes.

:::finding{#shared-pot}
## One pot for everyone

Sharing a pot builds trust among colleagues.

> The pot is where we meet.
> — P2 (paraphrased)

> I bring the good leaves.
> — P1
:::
`,
    'next.md': `# Next

:::recommendation{#r-rota addresses="shared-pot" audience="Office managers" horizon="short"}
## Keep a tea rota

Someone fills the kettle every morning.
:::
`,
  })
  fragments = await searchFragments(project.out)
})

const byUrl = (url: string) => fragments.find((f) => f.url === url)

describe('the search index', () => {
  it('is written with the site, without the interfaces Pagefind would add', async () => {
    expect(project.result.written).toBe(true)
    // A report this short is one shard, listed for the search page.
    const { shards } = JSON.parse(await readFile(path.join(project.out, 'pagefind/shards.json'), 'utf8')) as { shards: string[] }
    expect(shards).toHaveLength(1)
    expect(await readdir(path.join(project.out, 'pagefind'))).toEqual([shards[0], 'shards.json'])
    const files = await readdir(path.join(project.out, 'pagefind', shards[0]!))
    expect(files).toContain('pagefind.js')
    expect(files).toContain('pagefind-worker.js')
    expect(files.some((f) => f.startsWith('wasm.'))).toBe(true)
    expect(files.filter((f) => /ui|highlight/.test(f))).toEqual([])
  })

  it('holds chapters and the participants page, not the indexes, the full report, search or 404', () => {
    expect(fragments.map((f) => f.url).filter((u) => !u.includes('#')).sort()).toEqual(['/', '/next/', '/participants/', '/pots/'])
  })

  it('makes every finding and recommendation a result of its own, with its number and title', () => {
    expect(byUrl('/pots/#shared-pot')).toMatchObject({ meta: { title: 'Finding 1: One pot for everyone', kind: 'Finding', chapter: 'Pots' } })
    expect(byUrl('/next/#r-rota')).toMatchObject({ meta: { title: 'Recommendation 1: Keep a tea rota', kind: 'Recommendation' } })
    expect(byUrl('/next/#r-rota')!.content).toContain('Someone fills the kettle every morning.')
    // The chapter's own result keeps its prose, leaving the finding to its result.
    expect(byUrl('/pots/')!.content).toContain('Pots come in many sizes.')
    expect(byUrl('/pots/')!.content).not.toContain('Sharing a pot builds trust')
  })

  it('finds participants by label and role, and holds a name only where the participant agreed to be named', () => {
    const finding = byUrl('/pots/#shared-pot')!.content
    expect(finding).toContain('The pot is where we meet. — P2, Night-shift nurse')
    expect(finding).toContain('I bring the good leaves. — P1, Rosalind Franklin, Teacher of chemistry')
    const participants = byUrl('/participants/')!.content
    expect(participants).toContain('P2')
    expect(participants).toContain('Night-shift nurse')
    // The one name in the index is the one given with consent to be named.
    const all = fragments.map((f) => f.content).join('\n')
    expect(all.match(/Rosalind|Franklin/g)?.length).toBeGreaterThan(0)
    expect(all).not.toContain('Caretaker')
  })
})

describe('a search index that cannot be built', () => {
  it('fails the build with a message saying how to get Pagefind, and publishes nothing', async () => {
    // Pagefind runs as a binary of its own; one that is not there is what a broken install looks like.
    const missing = path.join(project.dir, 'no-pagefind-here')
    vi.stubEnv('PAGEFIND_EXTENDED_BINARY_PATH', missing)
    vi.stubEnv('PAGEFIND_BINARY_PATH', missing)
    // Pagefind says so on the console as well; the message is what counts.
    const console = vi.spyOn(globalThis.console, 'error').mockImplementation(() => {})
    try {
      const broken = await buildProject({ 'index.md': '# Home\n\nWords to find.\n' })
      expect(broken.result.written).toBe(false)
      expect(where(broken.result.messages)).toEqual(['pagefind:1:1 search-index-builds'])
      expect(broken.result.messages[0]!.reason).toMatch(/^The search index could not be built: /)
      expect(broken.result.messages[0]!.hint).toBe('Run `npm ci` so that Pagefind and its binary for this platform are installed.')
      expect(existsSync(broken.out)).toBe(false)
    } finally {
      console.mockRestore()
      vi.unstubAllEnvs()
    }
  })
})
