// A notebook's texts (a cell's source, an output) are JSON strings inside the
// .ipynb file. They are parsed on their own, and the places in what they
// give back are then moved to where each character is written in the file,
// so that messages name the line of the .ipynb an author can open.

import type { Root } from 'mdast'
import { visit } from '../markdown/visit.js'
import type { Message, Place } from '../messages.js'

interface Point {
  line: number
  column: number
  offset?: number | undefined
}

/** The places of a JSON text: from an offset to a line and column. */
export class JsonPlaces {
  private readonly starts: number[] = [0]
  constructor(readonly text: string) {
    for (const end of text.matchAll(/\r\n|\r|\n/g)) this.starts.push(end.index + end[0].length)
  }

  at(offset: number): Point {
    let low = 0
    let high = this.starts.length - 1
    while (low < high) {
      const middle = (low + high + 1) >> 1
      if (this.starts[middle]! <= offset) low = middle
      else high = middle - 1
    }
    return { line: low + 1, column: offset - this.starts[low]! + 1, offset }
  }
}

/**
 * Move places in a text parsed on its own (`text`) to the file: `offsets` gives the file offset of each of the
 * text's characters and of its end (json.ts's stringOffsets); without it, every place is `fallback`.
 */
export function textPlaces(json: JsonPlaces, text: string, offsets: readonly number[] | undefined, fallback: number): (point: Place) => Point {
  const whole = offsets !== undefined && offsets.length === text.length + 1 ? offsets : undefined
  const lineStarts = [0]
  if (whole) for (const end of text.matchAll(/\r\n|\r|\n/g)) lineStarts.push(end.index + end[0].length)
  return (point) => {
    if (!whole) return json.at(fallback)
    const start = lineStarts[Math.min(Math.max(point.line, 1), lineStarts.length) - 1]!
    const at = Math.min(Math.max(start + point.column - 1, 0), whole.length - 1)
    return json.at(whole[at]!)
  }
}

/** Move every place of a tree, and of the messages about `file`, with `move`. */
export function moveTree(tree: Root, messages: Message[], file: string, move: (point: Place) => Point): void {
  // Transforms may share one position object among nodes: each point moves once.
  const moved = new WeakSet<object>()
  const shift = (point: Point) => {
    if (moved.has(point)) return
    moved.add(point)
    const to = move(point)
    point.line = to.line
    point.column = to.column
    point.offset = to.offset
  }
  visit(tree, (node) => {
    if (!node.position) return
    shift(node.position.start)
    shift(node.position.end)
  })
  for (const message of messages) {
    if (message.file !== file) continue
    const to = move(message)
    message.line = to.line
    message.column = to.column
  }
}
