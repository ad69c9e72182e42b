// MyST's block syntax that remark does not know, read line by line before
// remark parses. Every line keeps its number, so positions stay true:
//   - `:::{name}` colon fences become `~~~{name}` fences, parsed like
//     ```` ```{name} ```` ones (directives.ts reads both);
//   - `$$` lines around display math become code fences, and `$…$` inline
//     math becomes a code span of the same length (math.ts turns both back);
//   - a bare AMS environment (`\begin{align*}` at the start of a line, to its
//     `\end{align*}`) becomes a code fence, or an empty heading when it is
//     one line, as either interrupts a paragraph like MyST's amsmath rule;
//   - `%` comments, `+++` block markers and `(label)=` targets are blanked
//     out and reported, for blocks.ts and targets.ts.
// Inside a fence nothing is touched: a directive's body is scanned again
// when it is parsed.

import { markInlineMath } from './dollars.js'

export interface ScanResult {
  /** The text for remark: the same lines, with the syntax above rewritten. */
  text: string
  /** `(label)=` lines. */
  targets: { line: number; column: number; label: string }[]
  /** `+++` lines and the JSON written after them. */
  blocks: { line: number; column: number; meta: string }[]
  /** `line:column` of every code span that is really inline math. */
  inlineMath: Set<string>
  /** `line:column` of inline math written with `$$`, shown as display math when alone in a paragraph. */
  displayInline: Set<string>
  /** First line of every code fence that is really display math, with the label after its closing `$$`. */
  displayMath: Map<number, string | undefined>
  /** First line of every bare AMS environment (`\\begin{align*}` … `\\end{align*}`), with its TeX as written. */
  amsmath: Map<number, string>
  /** MyST directive fences that never close. */
  unclosed: { line: number; column: number; name: string; fence: string }[]
}

type Frame =
  | { kind: 'code'; char: '`' | '~'; length: number; line: number; column: number; name: string | undefined; fence: string }
  | { kind: 'colon'; length: number; myst: boolean; line: number; column: number; name: string; innerTildes: number; converted: boolean; quote: string }
  | { kind: 'math'; line: number }

const codeOpen = /^(\s*)(`{3,}|~{3,})(.*)$/
const colonOpen = /^(\s*)(:{3,})(?:\{([^{}\s]+)(?:\s[^{}]*)?\}|([A-Za-z][\w-]*))(.*)$/
const colonClose = /^\s*(:{3,})\s*$/
const comment = /^\s{0,3}%/
const blockMarker = /^(\s{0,3})\+\+\+(.*)$/
const target = /^(\s*)\(([^()\s]+)\)=\s*$/
const mathFence = /^(\s*)\$\$\s*$/
const mathClose = /^(\s*)\$\$\s*(?:\(([^()\s]+)\))?\s*$/
// The top-level environments of amsmath that MyST reads outside dollars, with or without `*`.
const amsEnvironments = '(equation|multline|gather|align|alignat|flalign|matrix|pmatrix|bmatrix|Bmatrix|vmatrix|Vmatrix|eqnarray)(\\*?)'
const amsOpen = new RegExp(`^(\\s{0,3})\\\\begin\\{${amsEnvironments}\\}`)
const amsIndented = new RegExp(`^(\\s*)\\\\begin\\{${amsEnvironments}\\}`)

export function scanMyst(source: string): ScanResult {
  const lines = source.split(/\r\n|\r|\n/)
  const result: ScanResult = {
    text: '',
    targets: [],
    blocks: [],
    inlineMath: new Set(),
    displayInline: new Set(),
    displayMath: new Map(),
    amsmath: new Map(),
    unclosed: [],
  }
  const stack: Frame[] = []
  const opaque = () => stack.some((f) => f.kind !== 'colon' || f.myst)
  // Each `\end{…}` found missing from a line to the end of the file: a later `\begin` of the same kind does not look again.
  const amsMissing = new Map<string, number>()
  let paragraph: number[] = []
  // How many `$$` the paragraph so far holds, counted as each line joins it (never by reading it again).
  let paragraphDollars = 0
  const flush = () => {
    if (paragraph.length > 0) markInlineMath(lines, paragraph, result)
    paragraph = []
    paragraphDollars = 0
  }
  let mathOpen: { index: number; indent: string; quote: string } | undefined

  let start = 0
  if (lines[0] === '---') {
    // Front matter is YAML, where `%` and `(x)=` mean nothing special.
    const end = lines.indexOf('---', 1)
    start = end > 0 ? end + 1 : 0
  }

  for (let i = start; i < lines.length; i++) {
    // Inside a blockquote, the syntax is read after the `>` markers, which stay as they are.
    const quote = /^(?:[ \t]*>)+[ \t]?/.exec(lines[i]!)?.[0] ?? ''
    const line = lines[i]!.slice(quote.length)
    const set = (text: string) => (lines[i] = quote + text)
    const top = stack.at(-1)

    if (top?.kind === 'code') {
      const close = /^\s*(`{3,}|~{3,})\s*$/.exec(line)
      if (close && close[1]![0] === top.char && close[1]!.length >= top.length) stack.pop()
      continue
    }
    // A MyST colon fence holds its body as written, as a code fence does: the first bare fence at least as
    // long closes it, whatever opened inside (markdown-it-myst's colon fence). An inner fence left open is
    // ended there, and reported when the body is parsed.
    if (top?.kind === 'colon' && top.myst) {
      const close = colonClose.exec(line)
      if (close && close[1]!.length >= top.length) {
        stack.pop()
        if (top.converted) convertColonFence(lines, top, i)
      } else {
        const tildes = /^\s*(~{3,})/.exec(line)?.[1]
        if (tildes) top.innerTildes = Math.max(top.innerTildes, tildes.length)
      }
      continue
    }
    if (top?.kind === 'math') {
      const close = mathClose.exec(line)
      if (close) {
        stack.pop()
        result.displayMath.set(top.line, close[2])
        set(`${close[1]}\`\`\``)
        lines[mathOpen!.index] = `${mathOpen!.quote}${mathOpen!.indent}\`\`\``
        mathOpen = undefined
      }
      continue
    }

    const code = codeOpen.exec(line)
    if (code && !(code[2]![0] === '`' && code[3]!.includes('`'))) {
      flush()
      const fence = code[2]!
      const name = /^\{([^{}\s]+)(?:\s[^{}]*)?\}/.exec(code[3]!.trim())?.[1]
      stack.push({ kind: 'code', char: fence[0] as '`' | '~', length: fence.length, line: i + 1, column: quote.length + code[1]!.length + 1, name, fence })
      if (fence[0] === '~') for (const f of stack) if (f.kind === 'colon') f.innerTildes = Math.max(f.innerTildes, fence.length)
      continue
    }
    const colon = colonOpen.exec(line)
    if (colon) {
      flush()
      const myst = colon[3] !== undefined
      stack.push({
        kind: 'colon',
        length: colon[2]!.length,
        myst,
        line: i + 1,
        column: quote.length + colon[1]!.length + 1,
        name: colon[3] ?? colon[4] ?? '',
        innerTildes: 0,
        converted: myst && !opaque(),
        quote,
      })
      continue
    }
    const close = colonClose.exec(line)
    if (close && top?.kind === 'colon' && close[1]!.length >= top.length) {
      flush()
      stack.pop()
      if (top.converted) convertColonFence(lines, top, i)
      continue
    }
    if (opaque()) continue

    if (line.trim() === '') {
      flush()
      continue
    }
    if (comment.test(line)) {
      // A comment ends the paragraph it interrupts, as in MyST.
      flush()
      set('')
      continue
    }
    const block = blockMarker.exec(line)
    if (block) {
      flush()
      result.blocks.push({ line: i + 1, column: quote.length + block[1]!.length + 1, meta: block[2]!.trim() })
      set('')
      continue
    }
    const label = target.exec(line)
    if (label) {
      flush()
      result.targets.push({ line: i + 1, column: quote.length + label[1]!.length + 1, label: label[2]! })
      set('')
      continue
    }
    // Indented past three spaces, a line that follows a paragraph's is still its text (a list item's), never code.
    const ams = amsOpen.exec(line) ?? (paragraph.length > 0 ? amsIndented.exec(line) : null)
    const amsEnd = ams ? findAmsEnd(lines, i, quote.length + ams[0].length, `\\end{${ams[2]}${ams[3]}}`, amsMissing) : undefined
    if (ams && amsEnd) {
      flush()
      // The TeX runs from `\begin` to the end of `\end{…}`; the rest of that line is not read, as in MyST.
      const unquote = (n: number) => lines[n]!.replace(/^(?:[ \t]*>)+[ \t]?/, '')
      const start = quote.length + ams[1]!.length
      const tex =
        amsEnd.line === i
          ? lines[i]!.slice(start, amsEnd.end)
          : [lines[i]!.slice(start), ...lines.slice(i + 1, amsEnd.line).map((_, k) => unquote(i + 1 + k)), lines[amsEnd.line]!.slice(0, amsEnd.end).replace(/^(?:[ \t]*>)+[ \t]?/, '')].join('\n')
      result.amsmath.set(i + 1, tex)
      if (amsEnd.line === i) set(`${ams[1]}######`)
      else {
        set(`${ams[1]}\`\`\`\``)
        lines[amsEnd.line] = `${quote}${ams[1]}\`\`\`\``
      }
      i = amsEnd.line
      continue
    }
    const math = mathFence.exec(line)
    // A `$$` line is a block of display math only when a `$$` line closes it before any blank line, as in
    // MyST. Otherwise it is text of the paragraph, where `$$…$$` may still be math: one that closes display
    // math opened above (`$$\frac{a}{b}` … `$$`), or opens math that ends on a line of text (`… \end{aligned}$$ The`).
    if (math && paragraphDollars % 2 === 0 && closedAsBlock(lines, i)) {
      flush()
      stack.push({ kind: 'math', line: i + 1 })
      mathOpen = { index: i, indent: math[1]!, quote }
      continue
    }
    paragraph.push(i)
    paragraphDollars += dollarPairs(lines[i]!)
  }
  flush()

  for (const frame of stack) {
    if (frame.kind === 'code' && frame.name !== undefined) {
      result.unclosed.push({ line: frame.line, column: frame.column, name: frame.name, fence: frame.fence })
    } else if (frame.kind === 'colon' && frame.myst) {
      result.unclosed.push({ line: frame.line, column: frame.column, name: frame.name, fence: ':'.repeat(frame.length) })
      if (frame.converted) convertColonFence(lines, frame, undefined)
    }
  }
  result.text = lines.join('\n')
  return result
}

/** The line and the column (0-based, just past it) where an AMS environment's `\\end{…}` is written, searching from `column` of line `from`. */
function findAmsEnd(lines: string[], from: number, column: number, end: string, missing: Map<string, number>): { line: number; end: number } | undefined {
  if ((missing.get(end) ?? Infinity) <= from) return undefined
  for (let i = from; i < lines.length; i++) {
    const at = lines[i]!.indexOf(end, i === from ? column : 0)
    if (at >= 0) return { line: i, end: at + end.length }
  }
  missing.set(end, from)
  return undefined
}

/** Turn a colon fence into a tilde fence long enough to hold every tilde fence inside it. */
function convertColonFence(lines: string[], frame: Extract<Frame, { kind: 'colon' }>, closeIndex: number | undefined): void {
  const tildes = '~'.repeat(Math.max(3, frame.innerTildes + 1))
  const open = lines[frame.line - 1]!
  lines[frame.line - 1] = frame.quote + open.slice(frame.quote.length).replace(/^(\s*):{3,}/, `$1${tildes}`)
  if (closeIndex !== undefined) lines[closeIndex] = lines[closeIndex]!.replace(/:{3,}(?=\s*$)/, tildes)
}

/** How many `$$` a line holds, escaped dollars left out. */
function dollarPairs(line: string): number {
  return line.replace(/\\[\s\S]/g, '').match(/\$\$/g)?.length ?? 0
}

/** Whether the display math opened by the `$$` line at `open` is closed by a `$$` line (with or without a label) before a blank line. */
function closedAsBlock(lines: readonly string[], open: number): boolean {
  for (let j = open + 1; j < lines.length; j++) {
    const line = lines[j]!.replace(/^(?:[ \t]*>)+[ \t]?/, '')
    if (line.trim() === '') return false
    if (mathClose.test(line)) return true
    if (/\$\$\s*(?:\([^()\s]+\))?\s*$/.test(line)) return false
  }
  return false
}
