// A deterministic synthetic report for the benchmark: the same seed always
// gives the same files. Written twice: in our dialect (findings, quotes,
// recommendations, cross-references) and as plain markdown for the peers.

import { mkdir, rm, writeFile } from 'node:fs/promises'
import path from 'node:path'

/** A small, fast, seeded generator (mulberry32). */
function random(seed: number): () => number {
  let state = seed >>> 0
  return () => {
    state = (state + 0x6d2b79f5) >>> 0
    let t = state
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

const words = (
  'community contributor maintainer review infrastructure deployment teaching research hub server ' +
  'notebook cluster onboarding mentor governance release roadmap volunteer funding workshop meeting ' +
  'documentation newcomer leadership kubernetes university laboratory students instructor culture ' +
  'trust burden context history decision consensus triage issue request merge backlog support ' +
  'scale cost storage access browser environment shared collaboration visibility recognition care'
).split(' ')

export interface CorpusOptions {
  pages: number
  seed?: number
}

export interface Corpus {
  /** Our dialect: content folder files. */
  report: Map<string, string>
  /** Plain markdown with front matter, for Eleventy, Hugo and the bare script. */
  plain: Map<string, string>
}

const pad = (n: number) => String(n).padStart(5, '0')

export function generateCorpus({ pages, seed = 42 }: CorpusOptions): Corpus {
  const next = random(seed)
  const pick = <T>(list: readonly T[]): T => list[Math.floor(next() * list.length)]!
  const sentence = (n: number) => {
    const s = Array.from({ length: n }, () => pick(words)).join(' ')
    return `${s.charAt(0).toUpperCase()}${s.slice(1)}.`
  }
  const paragraph = (sentences: number) => Array.from({ length: sentences }, () => sentence(8 + Math.floor(next() * 10))).join(' ')
  const findingId = (page: number, n: number) => `f-${pad(page)}-${n}`
  const report = new Map<string, string>()
  const plain = new Map<string, string>()

  report.set('report.yml', `title: Synthetic report\ndate: 2025-01-01\nlanguage: en\n`)
  report.set(
    'participants.yml',
    `participants:\n${Array.from({ length: 40 }, (_, i) => `  - id: P${String(i + 1).padStart(2, '0')}\n    role: Role ${i + 1}\n    consent: anonymous\n`).join('')}`,
  )

  for (let page = 1; page <= pages; page++) {
    const ours: string[] = [`---\ndescription: Chapter ${page} of the synthetic report.\n---\n`, `# Chapter ${page}: ${sentence(3).slice(0, -1)}\n`]
    const flat: string[] = [`---\ntitle: "Chapter ${page}"\n---\n`, `# Chapter ${page}\n`]
    const add = (both: string, plainVersion = both) => {
      ours.push(both)
      flat.push(plainVersion)
    }
    add(`${paragraph(4)}[^${page}a]\n`)
    add(`## Background\n\n${paragraph(5)}\n`)
    for (let n = 1; n <= 2; n++) {
      const id = findingId(page, n)
      const title = sentence(5).slice(0, -1)
      const quote = `> ${paragraph(2)}\n> — P${String(1 + Math.floor(next() * 40)).padStart(2, '0')} (paraphrased)\n`
      ours.push(`:::finding{#${id}}\n## ${title}\n\n${paragraph(4)}\n\n${quote}\n${paragraph(2)}\n:::\n`)
      flat.push(`## ${title}\n\n${paragraph(4)}\n\n${quote}\n${paragraph(2)}\n`)
    }
    // About five cross-references to other pages.
    const refs = Array.from({ length: 5 }, () => findingId(1 + Math.floor(next() * pages), 1 + Math.floor(next() * 2)))
    ours.push(`## Connections\n\n${refs.map((id) => `See [](#${id}). ${sentence(6)}`).join(' ')}\n`)
    flat.push(`## Connections\n\n${refs.map((id) => `See [${id}](ch-${id.slice(2, 7)}.md#${id}). ${sentence(6)}`).join(' ')}\n`)
    if (page % 10 === 0) {
      const table = `| Theme | Count | Note |\n|---|---|---|\n${Array.from({ length: 6 }, (_, i) => `| ${pick(words)} | ${i + 1} | ${sentence(4)} |`).join('\n')}\n`
      add(`## Summary table\n\n${table}`)
    }
    // Every third page recommends something for the findings of its last three pages, so every finding is addressed.
    if (page % 3 === 0 || page === pages) {
      const span = page % 3 === 0 ? 3 : page % 3
      const addresses = Array.from({ length: span }, (_, back) => [findingId(page - back, 1), findingId(page - back, 2)]).flat()
      ours.push(
        `:::recommendation{#r-${pad(page)} addresses="${[...new Set(addresses)].join(' ')}" audience="Maintainers" horizon="short"}\n## ${sentence(4).slice(0, -1)}\n\n${paragraph(3)}\n\n### Next actions\n\n- ${sentence(6)}\n- ${sentence(6)}\n:::\n`,
      )
      flat.push(`## Recommendation\n\n${paragraph(3)}\n\n### Next actions\n\n- ${sentence(6)}\n- ${sentence(6)}\n`)
    }
    add(`## Discussion\n\n${paragraph(6)}\n\n${paragraph(5)}\n`)
    add(`[^${page}a]: ${sentence(10)}\n`)
    report.set(`chapters/ch-${pad(page)}.md`, ours.join('\n'))
    plain.set(`ch-${pad(page)}.md`, flat.join('\n'))
  }
  return { report, plain }
}

export async function writeCorpus(dir: string, files: Map<string, string>, remove = (old: string) => rm(old, { recursive: true, force: true })): Promise<void> {
  await remove(dir)
  for (const [name, text] of files) {
    const target = path.join(dir, name)
    await mkdir(path.dirname(target), { recursive: true })
    await writeFile(target, text)
  }
}
