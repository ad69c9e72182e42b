// unist-util-visit's `visit`, with its types and its behaviour, made lean for
// the pipeline's many walks over each chapter's trees. The package, for each
// node it walks, makes a closure, copies the list of the node's ancestors, and
// renames a function after the node (for stack traces), and then looks up the
// node's index in its parent: a third of a worker thread's time in tree walks
// went there. Here a walk passes the index it already has and keeps no list
// of ancestors. A test that is not a node type or a function goes to the
// package. tests/visit.test.ts compares the two on random trees and visitors.
// (One difference: where the very same node object is twice among a parent's
// children, the package gives both the first one's index, and this each its
// own. Parsers make no such trees.)

import { CONTINUE, EXIT, SKIP, visit as unistVisit } from 'unist-util-visit'

export { CONTINUE, EXIT, SKIP }

interface Walked {
  type: string
  children?: Walked[]
}

type Test = ((node: Walked, index: number | undefined, parent: Walked | undefined) => unknown) | string | null | undefined
type Visitor = (node: Walked, index: number | undefined, parent: Walked | undefined) => unknown
type Action = readonly unknown[]

const proceed: Action = []

function toAction(value: unknown): Action {
  if (Array.isArray(value)) return value
  if (typeof value === 'number') return [CONTINUE, value]
  return value === null || value === undefined ? proceed : [value]
}

function leanVisit(tree: Walked, testOrVisitor: Test | Visitor, visitorOrReverse?: Visitor | boolean | null, maybeReverse?: boolean | null): void {
  let test: Test
  let visitor: Visitor
  let reverse: boolean | null | undefined
  if (typeof testOrVisitor === 'function' && typeof visitorOrReverse !== 'function') {
    visitor = testOrVisitor as Visitor
    reverse = visitorOrReverse
  } else {
    test = testOrVisitor
    visitor = visitorOrReverse as Visitor
    reverse = maybeReverse
  }
  if (test !== null && test !== undefined && typeof test !== 'string' && typeof test !== 'function') {
    ;(unistVisit as (...args: unknown[]) => void)(tree, test, visitor, reverse)
    return
  }
  const step = reverse ? -1 : 1
  const matches = (node: Walked, index: number | undefined, parent: Walked | undefined): boolean =>
    test === null || test === undefined ? true : typeof test === 'string' ? node.type === test : Boolean(test(node, index, parent))
  const walk = (node: Walked, index: number | undefined, parent: Walked | undefined): Action => {
    let action = proceed
    if (matches(node, index, parent)) {
      action = toAction(visitor(node, index, parent))
      if (action[0] === EXIT) return action
    }
    if (node.children && action[0] !== SKIP) {
      // The children are read again at each step: a visitor may have changed them.
      let offset = (reverse ? node.children.length : -1) + step
      while (offset > -1 && offset < node.children.length) {
        const next = walk(node.children[offset]!, offset, node)
        if (next[0] === EXIT) return next
        offset = typeof next[1] === 'number' ? next[1] : offset + step
      }
    }
    return action
  }
  walk(tree, undefined, undefined)
}

export const visit = leanVisit as unknown as typeof unistVisit
