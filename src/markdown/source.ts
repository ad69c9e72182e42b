// Small helpers for looking at the markdown source around a node.

import type { Place } from '../messages.js'

export class SourceLines {
  readonly lines: string[]
  constructor(readonly text: string) {
    this.lines = text.split(/\r\n|\r|\n/)
  }

  line(n: number): string {
    return this.lines[n - 1] ?? ''
  }

  /** Where `needle` first appears on a line (after `from`), or the line's start. */
  find(line: number, needle: string, from = 0): Place {
    const column = this.line(line).indexOf(needle, from)
    return { line, column: column >= 0 ? column + 1 : 1 }
  }
}
