// The command line: parse arguments, run a command, print its messages and
// turn their severities into an exit code. The only place that prints or exits.

import { existsSync } from 'node:fs'
import path from 'node:path'
import { parseArgs } from 'node:util'
import type { BuildOptions } from './build.js'
import { unchangedByStamps } from './cache/stamps.js'
import type { DevUpdate } from './dev/server.js'
import type { IndexedSearch } from './dev/search.js'
import type { InitAnswers } from './init/skeleton.js'
import { isFailing, type Message } from './messages.js'
import { rosterEnvVar } from './privacy/setting.js'
import { formatAnnotation, formatMessage, formatSummary } from './report.js'

const usage = `Usage: fieldnotes <command> [options]

Commands:
  build    Check the report and write the site (only when there are no errors)
  check    Run every check and report problems without writing anything
  dev      Preview the site on 127.0.0.1, rebuilding and reloading pages as you edit
  quotes   Write a consent review sheet of each participant's quotes into review/
  init     Start a new report in the folder given (fieldnotes init my-report; default: here):
           example chapters, participants, package.json scripts and a GitHub Pages workflow.
           It never replaces a file

Options:
  --content DIR   Folder with report.yml, participants.yml and the chapters (default: content,
                  or . in a Jupyter Book / MyST project with myst.yml and no content/)
  --out DIR       Folder the site is written to, replaced as a whole (default: dist;
                  for quotes: review)
  --port N        Port for dev (default: 4321)
  --participant ID  With quotes: write only this participant's sheet
  --private-roster FILE  Real names to keep out of the content (or set ${rosterEnvVar})
  --strict        Treat warnings as errors
  --site-url URL  The site's address, used when report.yml has no site_url (a GitHub Pages
                  workflow passes the base_url of actions/configure-pages; see docs/publishing.md)
  --pdf           Also print the full report to report.pdf with Chromium (build only;
                  \`pdf: true\` in report.yml does the same)
  --docx          Also write the full report as a Word document, report.docx (build only;
                  \`docx: true\` in report.yml does the same)
  --no-cache      Build everything afresh, without reading or writing the build cache
                  (node_modules/.cache/fieldnotes, or .cache/fieldnotes)
  --threads N     Threads for parsing and rendering chapters (default: chosen from the
                  report's length and the machine's cores; 1 keeps everything in one)
  --title TEXT, --author NAME (repeatable), --license SPDX-ID
                  With init: the report's title, authors and licence (asked for on a terminal)
  --myst          With init: start a MyST project (myst.yml) rather than content/report.yml
  -h, --help      Show this help

Exit codes: 0 when the report is clean, 1 when there are errors (or warnings with --strict), 2 for bad usage.`

export async function main(argv: string[]): Promise<number> {
  let parsed
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: true,
      options: {
        content: { type: 'string', default: defaultContent() },
        out: { type: 'string' },
        port: { type: 'string', default: '4321' },
        participant: { type: 'string' },
        'private-roster': { type: 'string' },
        strict: { type: 'boolean', default: false },
        pdf: { type: 'boolean', default: false },
        docx: { type: 'boolean', default: false },
        'site-url': { type: 'string' },
        threads: { type: 'string' },
        'no-cache': { type: 'boolean', default: false },
        help: { type: 'boolean', short: 'h', default: false },
        title: { type: 'string' },
        author: { type: 'string', multiple: true },
        license: { type: 'string' },
        myst: { type: 'boolean', default: false },
      },
    })
  } catch (error) {
    process.stderr.write(`${(error as Error).message}\n\n${usage}\n`)
    return 2
  }
  const { values, positionals } = parsed
  const command = positionals[0]
  if (values.help || command === undefined || command === 'help') {
    process.stdout.write(`${usage}\n`)
    return values.help || command === 'help' ? 0 : 2
  }
  const privateRoster = values['private-roster'] ?? (process.env[rosterEnvVar] || undefined)
  if (command === 'dev') return dev(values.content, values.port, privateRoster)
  if (command === 'init') {
    if (positionals.length > 2) {
      process.stderr.write(`init takes one folder, not ${positionals.length - 1}.\n\n${usage}\n`)
      return 2
    }
    return startReport(positionals[1], { title: values.title, authors: values.author, license: values.license, myst: values.myst })
  }
  if (command === 'quotes') return quotes(values.content, values.out ?? 'review', values.participant, privateRoster)
  if (command !== 'build' && command !== 'check') {
    process.stderr.write(`Unknown command \`${command}\`.\n\n${usage}\n`)
    return 2
  }
  const out = values.out ?? 'dist'
  const threads = values.threads === undefined ? undefined : Number(values.threads)
  if (threads !== undefined && !(Number.isInteger(threads) && threads >= 1)) {
    process.stderr.write(`--threads takes a whole number from 1, not \`${values.threads}\`.\n`)
    return 2
  }

  // An empty address is none: a workflow step whose output is empty passes "".
  const siteUrl = values['site-url'] || undefined
  if (siteUrl !== undefined && !(/^https?:\/\/[^/]/i.test(siteUrl) && URL.canParse(siteUrl))) {
    process.stderr.write(`--site-url takes a full http(s) address, such as https://org.github.io/report/, not \`${siteUrl}\`.\n`)
    return 2
  }

  const started = performance.now()
  const options: BuildOptions = {
    contentDir: values.content,
    outDir: out,
    strict: values.strict,
    ...(privateRoster === undefined ? {} : { privateRoster }),
    // Without --pdf, report.yml's `pdf` decides.
    ...(values.pdf ? { pdf: true } : {}),
    ...(values.docx ? { docx: true } : {}),
    ...(threads === undefined ? {} : { threads }),
    ...(siteUrl === undefined ? {} : { siteUrl }),
    ...(values['no-cache'] ? { cache: false as const } : {}),
    write: command === 'build',
  }
  // Inputs whose stamps are as the last build left them need no reading: the pipeline is loaded only to build.
  const result = (await unchangedByStamps(options)) ?? (await (await import('./build.js')).build(options))
  for (const message of result.messages) process.stderr.write(`${formatMessage(message)}\n`)
  if (process.env['GITHUB_ACTIONS'] === 'true') {
    for (const message of result.messages) process.stdout.write(`${formatAnnotation(message)}\n`)
  }
  if (result.messages.length > 0) process.stderr.write('\n')
  process.stderr.write(`${formatSummary(result.messages)}\n`)

  const failing = isFailing(result.messages, values.strict)
  const seconds = ((performance.now() - started) / 1000).toFixed(2)
  if (command === 'build') {
    if (result.unchanged) {
      process.stderr.write(`Nothing changed since the last build: ${path.relative(process.cwd(), path.resolve(out)) || '.'}/ already holds these ${result.pages.length} pages (checked in ${seconds} s).\n`)
    } else if (result.written) {
      process.stderr.write(`Built ${result.pages.length} pages into ${path.relative(process.cwd(), path.resolve(out)) || '.'}/ in ${seconds} s.\n`)
    } else {
      process.stderr.write(`Nothing was written: fix the problems above${values.strict ? ' (warnings count under --strict)' : ''}. The previous site is unchanged.\n`)
    }
  } else {
    process.stderr.write(`Checked ${result.pages.length} pages in ${seconds} s.\n`)
  }
  return failing ? 1 : 0
}

function printMessages(messages: readonly Message[]): void {
  for (const message of messages) process.stderr.write(`${formatMessage(message)}\n`)
  if (process.env['GITHUB_ACTIONS'] === 'true') {
    for (const message of messages) process.stdout.write(`${formatAnnotation(message)}\n`)
  }
  if (messages.length > 0) process.stderr.write('\n')
  process.stderr.write(`${formatSummary(messages)}\n`)
}

/** `dev`: serve until interrupted, printing what each rebuild found. */
async function dev(content: string, portText: string, privateRoster: string | undefined): Promise<number> {
  const port = Number(portText)
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    process.stderr.write(`--port takes a number from 0 to 65535, not \`${portText}\`.\n`)
    return 2
  }
  const report = (update: DevUpdate) => {
    const ms = Math.round(update.sentAt - update.seenAt)
    if (update.cause[0] !== 'start') process.stderr.write(`\n${update.cause.map((f) => path.relative(process.cwd(), f) || f).join(', ')} changed\n`)
    printMessages(update.messages)
    if (!update.ok) {
      process.stderr.write(update.serving ? 'Still serving the last version that built; fix the problems above and save.\n' : 'Nothing has built yet; fix the problems above and save.\n')
    }
    else if (update.cause[0] !== 'start') {
      const pages = update.changed.length === 1 ? '1 file' : `${update.changed.length} files`
      process.stderr.write(`Rebuilt in ${ms} ms (parsed ${update.parsed} of the chapters again); ${pages} changed.\n`)
    }
  }
  // Search catches up after each rebuild; it is mentioned only when its index cannot be served.
  const searchProblems = (result: IndexedSearch) => {
    if (result.messages.length === 0) return
    process.stderr.write('\nSearch is off in the preview until these are fixed:\n')
    printMessages(result.messages)
  }
  let server
  try {
    // Loaded only for the commands that use them, so `build` and `check` start quickly.
    const { startDevServer } = await import('./dev/server.js')
    server = await startDevServer({ contentDir: content, port, onUpdate: report, onIndexed: searchProblems, ...(privateRoster === undefined ? {} : { privateRoster }) })
  } catch (error) {
    process.stderr.write(`Cannot start the preview: ${(error as Error).message}\n`)
    return 1
  }
  process.stderr.write(`Previewing ${path.relative(process.cwd(), server.session.contentDir) || '.'}/ at ${server.url} (Ctrl+C to stop).\n`)
  await new Promise<void>((resolve) => {
    process.once('SIGINT', () => resolve())
    process.once('SIGTERM', () => resolve())
  })
  await server.close()
  return 0
}

/** `quotes`: check the report, then write the review sheets. */
async function quotes(content: string, out: string, participant: string | undefined, privateRoster: string | undefined): Promise<number> {
  const { writeQuoteSheets } = await import('./review/run.js')
  const result = await writeQuoteSheets({
    contentDir: content,
    outDir: out,
    ...(participant === undefined ? {} : { participant }),
    ...(privateRoster === undefined ? {} : { privateRoster }),
  })
  printMessages(result.messages)
  if (result.unknownParticipant) {
    const { id, known } = result.unknownParticipant
    process.stderr.write(`No one who may be quoted has the label \`${id}\`. Known: ${known.join(', ') || 'none'}.\n`)
    return 2
  }
  if (isFailing(result.messages, false)) {
    process.stderr.write('No sheets were written: fix the errors above first, so that no quote is left out.\n')
    return 1
  }
  const sheets = result.written.filter((f) => f.endsWith('.html')).length
  process.stderr.write(`Wrote ${sheets} review ${sheets === 1 ? 'sheet' : 'sheets'} (HTML and markdown) into ${path.relative(process.cwd(), path.resolve(out)) || '.'}/.\n`)
  return 0
}

/** `init`: ask on a terminal for what the flags left open, then write the project. */
async function startReport(dir: string | undefined, flags: { title: string | undefined; authors: string[] | undefined; license: string | undefined; myst: boolean }): Promise<number> {
  const { init } = await import('./init/init.js')
  let answers: InitAnswers = {
    myst: flags.myst,
    ...(flags.title === undefined ? {} : { title: flags.title }),
    ...(flags.authors === undefined ? {} : { authors: flags.authors }),
    ...(flags.license === undefined ? {} : { license: flags.license }),
  }
  if (process.stdin.isTTY && process.stdout.isTTY) {
    const { askMissing } = await import('./init/prompt.js')
    answers = { ...(await askMissing(answers, process.stdin, process.stdout)), myst: flags.myst }
  }
  const result = await init({ ...answers, ...(dir === undefined ? {} : { dir }) })
  const where = path.relative(process.cwd(), result.dir) || '.'
  if (result.messages.length > 0) {
    printMessages(result.messages)
    process.stderr.write(`Nothing was written: init never replaces a file, and ${where}/ already holds the files above.\n`)
    return 1
  }
  const steps = [...(where === '.' ? [] : [`cd ${where}`]), ...(result.hadFieldnotes ? [] : ['npm install']), 'npm run dev']
  process.stderr.write(`Started a report in ${where}/ (${result.written.length} files). Next:\n\n  ${steps.join('\n  ')}\n\nthen open http://127.0.0.1:4321/ and replace the example chapters with your own.\n`)
  return 0
}

/** `content`, or the working directory when it is a MyST project (myst.yml, or Jupyter Book's _config.yml and _toc.yml, and no content/ folder). */
function defaultContent(): string {
  return !existsSync('content') && (existsSync('myst.yml') || (existsSync('_config.yml') && existsSync('_toc.yml'))) ? '.' : 'content'
}

process.exitCode = await main(process.argv.slice(2))
