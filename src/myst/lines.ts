// Line numbers and emphasised lines of a code directive, as MyST reads them:
// `:linenos:`, `:lineno-start: N` or `:number-lines: N` number the lines
// (from N), and `:emphasize-lines: 2, 4-6` marks lines of the code. They
// travel as the code node's data; render/myst.ts shows them.

import type { Code } from 'mdast'
import { createMessage } from '../messages.js'
import type { DirectiveCall } from './directives.js'

export const lineOptions = ['linenos', 'lineno-start', 'number-lines', 'emphasize-lines'] as const

/** Give the code node the line numbering and emphasis its directive asks for. */
export function readCodeLines(call: DirectiveCall, node: Code): void {
  const { options } = call
  const start = Number.parseInt(options['lineno-start'] ?? options['number-lines'] ?? '', 10)
  const numbered = options['linenos'] !== undefined || options['lineno-start'] !== undefined || options['number-lines'] !== undefined
  const emphasized = emphasizedLines(call)
  if (!numbered && emphasized.length === 0) return
  node.data = {
    ...node.data,
    ...(numbered && { showLineNumbers: true }),
    ...(numbered && start > 1 && { startingLineNumber: start }),
    ...(emphasized.length > 0 && { emphasizeLines: emphasized }),
  }
}

/** `2, 4-6` as line numbers of the code, counted as they are shown; a part that is not a number or a range is reported. */
function emphasizedLines(call: DirectiveCall): number[] {
  const written = call.options['emphasize-lines']
  if (written === undefined) return []
  const lines = new Set<number>()
  for (const part of written.split(',').map((p) => p.trim()).filter(Boolean)) {
    const range = /^(\d+)(?:\s*-\s*(\d+))?$/.exec(part)
    const from = Number(range?.[1])
    const to = range?.[2] === undefined ? from : Number(range[2])
    if (!range || to < from || to - from > 10_000) {
      call.context.messages.push(
        createMessage(
          'directive-option-valid',
          call.context.file.display,
          call.optionPlaces['emphasize-lines'] ?? call.argPlace,
          `\`:emphasize-lines:\` has \`${part}\`, which is not a line number or a range of them, so it is ignored`,
          'Write line numbers and ranges separated by commas, such as `2, 4-6`.',
        ),
      )
      continue
    }
    for (let line = from; line <= to; line++) lines.add(line)
  }
  return [...lines].sort((a, b) => a - b)
}
