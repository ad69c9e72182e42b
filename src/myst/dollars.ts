// Inline math in MyST's dollar syntax, found in the source before remark
// reads it (see scan.ts): each `$…$` or `$$…$$` becomes a code span of the
// same length, so remark keeps the TeX exactly as written and positions stay
// true; math.ts turns those code spans into math nodes.

import type { ScanResult } from './scan.js'

/**
 * Find `$…$` and `$$…$$` in one paragraph's lines and rewrite their dollar
 * signs as backticks, so remark keeps the TeX as it is. Code spans are
 * skipped, and the rules that keep prices apart from math are pandoc's: no
 * space inside the dollars, and no digit right after the closing one.
 */
export function markInlineMath(lines: string[], indexes: number[], result: ScanResult): void {
  const text = indexes.map((i) => lines[i]!).join('\n')
  const chars = [...text]
  const spans: { open: number; close: number; width: number }[] = []
  let i = 0
  while (i < chars.length) {
    const ch = chars[i]!
    if (ch === '\\') {
      i += 2
      continue
    }
    if (ch === '`') {
      const run = runLength(chars, i, '`')
      const end = findRun(chars, i + run, '`', run)
      i = end === undefined ? i + run : end + run
      continue
    }
    if (ch !== '$') {
      i++
      continue
    }
    const width = chars[i + 1] === '$' ? 2 : 1
    const found = width === 2 ? findDisplayClose(chars, i + 2) : findInlineClose(chars, i + 1)
    if (found === undefined) {
      i += width
      continue
    }
    const content = chars.slice(i + width, found).join('')
    const touchesTick = chars[i - 1] === '`' || chars[found + width] === '`'
    if (content.trim() !== '' && !content.includes('`') && !touchesTick) spans.push({ open: i, close: found, width })
    i = found + width
  }
  if (spans.length === 0) return

  for (const span of spans) {
    for (let k = 0; k < span.width; k++) {
      chars[span.open + k] = '`'
      chars[span.close + k] = '`'
    }
  }
  // Back into lines, and record where each span starts (1-based line and column).
  const rewritten = chars.join('').split('\n')
  indexes.forEach((lineIndex, n) => (lines[lineIndex] = rewritten[n]!))
  const starts = lineStarts(chars)
  for (const span of spans) {
    const { line, column } = starts(span.open)
    const key = `${indexes[line]! + 1}:${column}`
    result.inlineMath.add(key)
    if (span.width === 2) result.displayInline.add(key)
  }
}

function findInlineClose(chars: string[], from: number): number | undefined {
  if (from >= chars.length || /\s/.test(chars[from]!) || chars[from] === '$') return undefined
  for (let j = from; j < chars.length; j++) {
    const ch = chars[j]!
    if (ch === '\\') {
      j++
      continue
    }
    if (ch === '\n' && chars[j + 1] === '\n') return undefined
    if (ch !== '$') continue
    if (/\s/.test(chars[j - 1]!) || /\d/.test(chars[j + 1] ?? '')) return undefined
    return j
  }
  return undefined
}

function findDisplayClose(chars: string[], from: number): number | undefined {
  for (let j = from; j < chars.length - 1; j++) {
    if (chars[j] === '\\') {
      j++
      continue
    }
    if (chars[j] === '$' && chars[j + 1] === '$') return j
  }
  return undefined
}

function runLength(chars: string[], at: number, ch: string): number {
  let n = 0
  while (chars[at + n] === ch) n++
  return n
}

function findRun(chars: string[], from: number, ch: string, length: number): number | undefined {
  for (let j = from; j < chars.length; j++) {
    if (chars[j] !== ch) continue
    const run = runLength(chars, j, ch)
    if (run === length) return j
    j += run - 1
  }
  return undefined
}

/**
 * Map an index into the joined paragraph to its line (0-based, within the paragraph) and column (1-based, in
 * UTF-16 units). Spans are asked for in order, so one walk over the paragraph serves them all.
 */
function lineStarts(chars: string[]): (index: number) => { line: number; column: number } {
  let j = 0
  let line = 0
  let column = 1
  return (index) => {
    for (; j < index; j++) {
      if (chars[j] === '\n') {
        line++
        column = 1
      } else column += chars[j]!.length
    }
    return { line, column }
  }
}
