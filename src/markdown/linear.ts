// Keep the markdown parser linear on hostile text. Some of micromark's steps
// look at everything read so far, so a chapter built to repeat them stalls the
// build for minutes from a few hundred kilobytes:
//   - a blank line after a block quote moves a few events near the end of the
//     document's list of events, and micromark's EditMap rebuilds the whole
//     list to do it (8,000 short quotes: 20 seconds). Here it rebuilds only
//     the part from the first edit on, which gives the same list.
//   - after a paragraph is read, neighbouring pieces of plain text are joined
//     with one `splice` each, which moves everything after them: `[a]` 20,000
//     times is 200 million moves. Here they are joined in one pass first.
//   - the labels of link and footnote definitions are kept in arrays and each
//     reference is looked up with `includes` (20,000 footnotes: 400 million
//     comparisons). Here they become arrays that answer `includes` from a set.
//   - before each word, GFM's literal autolinks (`www.x.org`, `a@b.org`) walk
//     back through the paragraph to see whether a `[` is still open, and when
//     one is, nothing stops the next word from walking back again: `[` and
//     100,000 words is 5 billion steps. Here the answer is read from the
//     stack of open brackets micromark keeps anyway.
// Each gives the same tree as micromark's own steps (tests/linear.test.ts
// compares them); only the time changes. Use after remark-gfm.

import { EditMap } from 'micromark-util-edit-map'
import type { Construct, Event, Extension, ParseContext, Resolver, State, Token, TokenizeContext } from 'micromark-util-types'
import type { Processor } from 'unified'
import { textInitials } from './micromark.js'

export default function remarkLinear(this: Processor): void {
  // Both are the same for every parse in the process: what they do is unchanged, only its cost.
  EditMap.prototype.consume = consumeFromFirstEdit
  for (const { text, string, resolver } of textInitials) {
    for (const initial of [text, string, resolver]) initial.resolveAll = joinTextFirst(initial.resolveAll!)
  }
  const data = this.data()
  const extensions = data.micromarkExtensions ?? (data.micromarkExtensions = [])
  for (const extension of extensions) wrapTextConstructs(extension)
  // Extensions added last are tried first: these run before any definition is read.
  extensions.push({ document: { 91: indexLabels }, flow: { 91: indexLabels } })
}

// ---- Edits: only the events from the first edit on are rebuilt ----

/** EditMap's `consume`, with the events before the first edit left where they are. */
function consumeFromFirstEdit(this: EditMap, events: Event[]): undefined {
  const changes = this.map.sort((a, b) => a[0] - b[0])
  if (changes.length === 0) return
  const start = changes[0]![0]
  const tail = events.slice(start)
  const end = start + tail.length
  events.length = start
  let cursor = start
  for (const [at, remove, add] of changes) {
    for (let i = cursor; i < at; i++) events.push(tail[i - start]!)
    for (const event of add) events.push(event)
    cursor = at + remove
  }
  for (let i = cursor; i < end; i++) events.push(tail[i - start]!)
  this.map.length = 0
  this.index.clear()
}

// ---- Plain text: neighbouring pieces joined in one pass ----

const joining = new WeakSet<Resolver>()

/** micromark's resolver, given events whose neighbouring `data` pieces are already joined as it would join them. */
function joinTextFirst(resolve: Resolver): Resolver {
  if (joining.has(resolve)) return resolve
  const joined: Resolver = (events, context) => resolve(joinData(events), context)
  joining.add(joined)
  return joined
}

/** Each run of `data` tokens becomes its first, stretched to the end of the last; the same list is returned. */
export function joinData(events: Event[]): Event[] {
  let kept: Event[] | undefined
  let i = 0
  while (i < events.length) {
    if (events[i]![1].type !== 'data') {
      kept?.push(events[i]!)
      i++
      continue
    }
    // A data token's exit follows its entry; the run goes on while the events are data.
    let end = i + 2
    while (end < events.length && events[end]![1].type === 'data') end++
    if (end !== i + 2) {
      kept ??= events.slice(0, i)
      events[i]![1].end = events[end - 1]![1].end
    }
    kept?.push(events[i]!, events[i + 1]!)
    i = end
  }
  if (!kept) return events
  events.length = 0
  for (const event of kept) events.push(event)
  return events
}

// ---- Definitions: labels looked up in a set ----

type Labelled = ParseContext & { gfmFootnotes?: string[] }

const indexed = new WeakSet<string[]>()

/** Never matches: it only swaps the parser's label arrays for indexed ones, the first time it is tried. */
const indexLabels: Construct = {
  name: 'indexLabels',
  tokenize(this: TokenizeContext, _effects, _ok, nok): State {
    const parser = this.parser as Labelled
    parser.defined = indexedList(parser.defined)
    parser.gfmFootnotes = indexedList(parser.gfmFootnotes ?? [])
    return nok
  },
}

/**
 * The same array, whose `includes` and `indexOf` ask a map kept up to date by
 * `push`: micromark and mdast-util-to-hast only ever push to theirs.
 */
export function indexedList(list: string[]): string[] {
  if (indexed.has(list)) return list
  const first = new Map<string, number>()
  list.forEach((item, i) => first.has(item) || first.set(item, i))
  Object.defineProperties(list, {
    push: {
      value(...items: string[]): number {
        for (const item of items) {
          if (!first.has(item)) first.set(item, list.length)
          Array.prototype.push.call(list, item)
        }
        return list.length
      },
    },
    includes: { value: (item: string) => first.has(item) },
    indexOf: { value: (item: string) => first.get(item) ?? -1 },
  })
  indexed.add(list)
  return list
}

// ---- Walks back through the paragraph, answered from the stack of open brackets ----

const wrapped = new WeakMap<Construct, Construct>()

function wrapTextConstructs(extension: Extension): void {
  const text = extension.text
  if (!text) return
  for (const [code, entry] of Object.entries(text)) {
    if (!entry) continue
    const list = Array.isArray(entry) ? entry : [entry]
    const replaced = list.map((construct) => {
      const name = construct.name ?? ''
      if (name === 'emailAutolink' || name === 'wwwAutolink' || name === 'protocolAutolink') return wrap(construct, wrapAutolink)
      if (name === 'gfmPotentialFootnoteCall') return wrap(construct, wrapPotentialFootnoteCall)
      return construct
    })
    text[Number(code)] = Array.isArray(entry) ? replaced : replaced[0]!
  }
}

function wrap(construct: Construct, make: (construct: Construct) => Construct): Construct {
  let replacement = wrapped.get(construct)
  if (!replacement) wrapped.set(construct, (replacement = make(construct)))
  return replacement
}

/**
 * A literal autolink, refused at once where micromark's own check would
 * refuse after its walk: where the character before allows one and a `[`
 * or `![` before it in the paragraph is still open.
 */
function wrapAutolink(construct: Construct): Construct {
  const previous = construct.previous
  return {
    ...construct,
    tokenize(this: TokenizeContext, effects, ok, nok): State {
      const start = construct.tokenize.call(this, effects, ok, nok)
      return (code) => (previous?.call(this, this.previous) && hasOpenLabel(this) ? nok(code) : start(code))
    },
  }
}

/**
 * `![^note]` read as a footnote call: micromark walks back from every `]` to
 * look for the `![`, even in a paragraph that has none. It can only succeed
 * where that `]` has just closed the `![` on top of the stack of brackets
 * without making an image, so anywhere else it is refused before the walk.
 */
function wrapPotentialFootnoteCall(construct: Construct): Construct {
  return {
    ...construct,
    tokenize(this: TokenizeContext, effects, ok, nok): State {
      const top = this._labelStarts?.at(-1)
      if (top?.type !== 'labelImage' || !top._balanced) return nok
      return construct.tokenize.call(this, effects, ok, nok)
    },
  }
}

/** Per paragraph: the label starts at the bottom of micromark's stack already seen closed. */
const closedBelow = new WeakMap<TokenizeContext, Token[]>()

/**
 * Whether a `[` or `![` read so far in this paragraph is still open, as
 * micromark's own check answers it, from the stack of label starts micromark
 * keeps for itself: a start is pushed when read, popped when its link is made
 * or when it is closed and on top, and a closed start never opens again. So
 * the closed starts at the bottom, once seen, need not be looked at again
 * while they stay there; each start is passed over once.
 */
export function hasOpenLabel(context: TokenizeContext): boolean {
  const starts = context._labelStarts ?? []
  let closed = closedBelow.get(context)
  if (!closed) closedBelow.set(context, (closed = []))
  // Starts popped since the last look are gone from the bottom: find where the two still agree.
  if (closed.length > starts.length || (closed.length > 0 && starts[closed.length - 1] !== closed.at(-1))) {
    let low = 0
    let high = Math.min(closed.length, starts.length)
    while (low < high) {
      const mid = (low + high + 1) >> 1
      if (starts[mid - 1] === closed[mid - 1]) low = mid
      else high = mid - 1
    }
    closed.length = low
  }
  while (closed.length < starts.length && starts[closed.length]!._balanced) closed.push(starts[closed.length]!)
  return closed.length < starts.length
}
