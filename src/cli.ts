// The command line: parse arguments, run a command, print its messages and
// turn their severities into an exit code. The only place that prints or exits.

import path from 'node:path'
import { parseArgs } from 'node:util'
import { build } from './build.js'
import { isFailing } from './messages.js'
import { formatAnnotation, formatMessage, formatSummary } from './report.js'

const usage = `Usage: fieldnotes <command> [options]

Commands:
  build    Check the report and write the site (only when there are no errors)
  check    Run every check and report problems without writing anything

Options:
  --content DIR   Folder with report.yml, participants.yml and the chapters (default: content)
  --out DIR       Folder the site is written to, replaced as a whole (default: dist)
  --strict        Treat warnings as errors
  -h, --help      Show this help

Exit codes: 0 when the report is clean, 1 when there are errors (or warnings with --strict), 2 for bad usage.`

export async function main(argv: string[]): Promise<number> {
  let parsed
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: true,
      options: {
        content: { type: 'string', default: 'content' },
        out: { type: 'string', default: 'dist' },
        strict: { type: 'boolean', default: false },
        help: { type: 'boolean', short: 'h', default: false },
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
  if (command !== 'build' && command !== 'check') {
    process.stderr.write(`Unknown command \`${command}\`.\n\n${usage}\n`)
    return 2
  }

  const started = performance.now()
  const result = await build({
    contentDir: values.content,
    outDir: values.out,
    strict: values.strict,
    write: command === 'build',
  })
  for (const message of result.messages) process.stderr.write(`${formatMessage(message)}\n`)
  if (process.env['GITHUB_ACTIONS'] === 'true') {
    for (const message of result.messages) process.stdout.write(`${formatAnnotation(message)}\n`)
  }
  if (result.messages.length > 0) process.stderr.write('\n')
  process.stderr.write(`${formatSummary(result.messages)}\n`)

  const failing = isFailing(result.messages, values.strict)
  const seconds = ((performance.now() - started) / 1000).toFixed(2)
  if (command === 'build') {
    if (result.written) {
      process.stderr.write(`Built ${result.pages.length} pages into ${path.relative(process.cwd(), path.resolve(values.out)) || '.'}/ in ${seconds} s.\n`)
    } else {
      process.stderr.write(`Nothing was written: fix the problems above${values.strict ? ' (warnings count under --strict)' : ''}. The previous site is unchanged.\n`)
    }
  } else {
    process.stderr.write(`Checked ${result.pages.length} pages in ${seconds} s.\n`)
  }
  return failing ? 1 : 0
}

process.exitCode = await main(process.argv.slice(2))
