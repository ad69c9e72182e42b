// Mutation testing: StrykerJS changes the code that carries the report's
// promises (sanitizing, privacy, consent, references, the build cache, the
// atomic output) one small edit at a time, and runs the tests that exercise
// it. A mutant the tests do not notice is a behaviour nothing checks. Each
// module group runs against its own test files, incrementally: a second run
// tests only the mutants whose code or tests changed. Not part of `npm test`.
//
//   npm run mutation                      # every group
//   npm run mutation -- sanitize privacy  # some groups
//   npm run mutation -- --full            # ignore what earlier runs found
//
// The scores are recorded, with the reasons for each surviving mutant, in docs/testing.md.

import { mkdir } from 'node:fs/promises'
import path from 'node:path'
import { Stryker } from '@stryker-mutator/core'

interface Group {
  name: string
  /** Files to mutate. */
  mutate: string[]
  /** The test files that exercise them. */
  tests: string[]
}

export const groups: Group[] = [
  { name: 'sanitize', mutate: ['src/render/sanitize.ts'], tests: ['tests/sanitize.test.ts', 'tests/untrusted.test.ts', 'tests/paths.test.ts'] },
  // The privacy guard in two halves, each against its own tests: reading text as a reader does and scanning the content,
  // then scanning what would be published (pages, images, PDFs). Only the tests that call the guard directly: each loads
  // in a fraction of a second, where the real builds and Chromium (privacy.test.ts, privacy-site.test.ts) take seconds.
  { name: 'privacy', mutate: ['src/privacy/fold.ts', 'src/privacy/lookalikes.ts', 'src/privacy/roster.ts', 'src/privacy/scan.ts', 'src/privacy/setting.ts'], tests: ['tests/privacy-load.test.ts', 'tests/privacy-fold.test.ts', 'tests/privacy-roster.test.ts'] },
  { name: 'privacy-output', mutate: ['src/privacy/output.ts', 'src/privacy/binary.ts', 'src/privacy/pdf.ts'], tests: ['tests/privacy-load.test.ts', 'tests/privacy-output.test.ts', 'tests/privacy-binary.test.ts'] },
  { name: 'participants', mutate: ['src/config/participants.ts'], tests: ['tests/participants.test.ts', 'tests/rules.test.ts', 'tests/site.test.ts', 'tests/quotes.test.ts', 'tests/malformed.test.ts', 'tests/authoring-rules.test.ts'] },
  { name: 'index', mutate: ['src/site/index.ts'], tests: ['tests/rules.test.ts', 'tests/site.test.ts', 'tests/resolve.test.ts', 'tests/quotes.test.ts', 'tests/authoring-rules.test.ts', 'tests/privacy.test.ts'] },
  { name: 'resolve', mutate: ['src/site/resolve.ts'], tests: ['tests/resolve.test.ts', 'tests/rules.test.ts', 'tests/site.test.ts', 'tests/authoring-rules.test.ts', 'tests/paths.test.ts', 'tests/parse.test.ts'] },
  { name: 'evidence', mutate: ['src/site/evidence.ts'], tests: ['tests/evidence.test.ts', 'tests/rules.test.ts', 'tests/site.test.ts', 'tests/authoring-rules.test.ts', 'tests/quotes.test.ts'] },
  { name: 'cache', mutate: ['src/cache/key.ts'], tests: ['tests/cache.test.ts'] },
  // A parse without the syntax a text rules out must give the very tree the whole syntax gives.
  { name: 'needed', mutate: ['src/markdown/needed.ts'], tests: ['tests/needed.test.ts'] },
  // The cache's packs: an entry is read whole or not at all, the later of two wins, what a build did not use goes.
  { name: 'packs', mutate: ['src/cache/packs.ts'], tests: ['tests/packs.test.ts'] },
  // The lean tree walk must walk as unist-util-visit does.
  { name: 'visit', mutate: ['src/markdown/visit.ts'], tests: ['tests/visit.test.ts'] },
  // The index pages' long lists, made in code: every value escaped, byte for byte what the templates' loops made.
  { name: 'rows', mutate: ['src/render/rows.ts'], tests: ['tests/rows.test.ts'] },
  // The search index's shards handed to the writer in order, the maker held back while the writer is behind.
  { name: 'parts', mutate: ['src/write/parts.ts'], tests: ['tests/parts.test.ts'] },
  // Not untrusted.test.ts, whose builds open Chromium: output.test.ts calls the writer itself, in milliseconds.
  { name: 'output', mutate: ['src/write/output.ts', 'src/write/place.ts'], tests: ['tests/output.test.ts', 'tests/paths.test.ts'] },
]

const stateDir = '.stryker'

async function main(argv: string[]): Promise<void> {
  const full = argv.includes('--full')
  const names = argv.filter((arg) => !arg.startsWith('--'))
  const unknown = names.filter((name) => !groups.some((g) => g.name === name))
  if (unknown.length > 0) throw new Error(`Unknown group ${unknown.join(', ')}; the groups are ${groups.map((g) => g.name).join(', ')}`)
  const chosen = names.length > 0 ? groups.filter((g) => names.includes(g.name)) : groups
  await mkdir(stateDir, { recursive: true })
  const rows: string[] = []
  for (const group of chosen) {
    // Read by audit/vitest.mutation.config.ts in Stryker's test processes, which inherit it.
    process.env['FIELDNOTES_MUTATION_TESTS'] = group.tests.join(',')
    const report = path.join(stateDir, `${group.name}.json`)
    const stryker = new Stryker({
      testRunner: 'vitest',
      plugins: ['@stryker-mutator/vitest-runner'],
      vitest: { configFile: 'audit/vitest.mutation.config.ts', related: false },
      mutate: group.mutate,
      coverageAnalysis: 'perTest',
      incremental: true,
      force: full,
      incrementalFile: report,
      reporters: ['clear-text', 'progress'],
      clearTextReporter: { allowColor: false, logTests: false, reportScoreTable: true },
      concurrency: 2,
      // A mutant that loops is stopped soon after the time its tests took unmutated (Stryker's default factor).
      timeoutMS: 10_000,
      // One folder per group, so that groups can run side by side.
      tempDirName: path.join(stateDir, `tmp-${group.name}`),
      cleanTempDir: true,
      // Not copied into the sandbox: another group's sandbox there changes while it is copied, and fails the run;
      // the site a build wrote (`dist` is a link, which the copy refuses) and the benchmark's reports (tens of
      // thousands of files, where it has been run) are read by no test.
      ignorePatterns: [`/${stateDir}`, '/dist', '/.dist-*', '/.bench'],
    })
    const results = await stryker.runMutationTest()
    const byFile = new Map<string, { detected: number; undetected: number; survivors: string[] }>()
    for (const mutant of results) {
      const row = byFile.get(mutant.fileName) ?? { detected: 0, undetected: 0, survivors: [] }
      if (mutant.status === 'Killed' || mutant.status === 'Timeout') row.detected++
      else if (mutant.status === 'Survived' || mutant.status === 'NoCoverage') {
        row.undetected++
        row.survivors.push(`${path.relative(process.cwd(), mutant.fileName)}:${mutant.location.start.line}:${mutant.location.start.column} ${mutant.mutatorName}${mutant.replacement ? ` → ${mutant.replacement.replace(/\s+/g, ' ').slice(0, 60)}` : ''}`)
      }
      byFile.set(mutant.fileName, row)
    }
    for (const [file, row] of [...byFile].sort(([a], [b]) => (a < b ? -1 : 1))) {
      const total = row.detected + row.undetected
      rows.push(`${path.relative(process.cwd(), file).padEnd(34)} ${String(row.detected).padStart(5)} / ${String(total).padEnd(5)} ${total === 0 ? '  -  ' : `${((100 * row.detected) / total).toFixed(1)}%`}`)
      for (const survivor of row.survivors) rows.push(`    survived: ${survivor}`)
    }
  }
  console.log(`\nMutation score (killed or timed out / all mutants, no-coverage counted as survived)\n\n${rows.join('\n')}`)
}

await main(process.argv.slice(2))
