// The pipeline's lean `visit` (src/markdown/visit.ts) must walk as
// unist-util-visit does: the same nodes, in the same order, with the same index
// and parent, for every action a visitor can return (skip, exit, an index to
// go on from, after changing the children), forwards and in reverse, with a
// type, a function or nothing as the test. And the generator's sources walk
// with it.

import { readdirSync, readFileSync } from 'node:fs'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { visit as unistVisit } from 'unist-util-visit'
import { EXIT, SKIP, visit } from '../src/markdown/visit.js'
import { repoRoot } from './helpers.js'

interface TestNode {
  type: string
  id: number
  children?: TestNode[]
}

/** A seeded generator, so that a failure names a tree that can be made again. */
function random(seed: number): () => number {
  let state = Math.imul(seed, 2654435761) >>> 0 || 1
  return () => {
    state ^= state << 13
    state ^= state >>> 17
    state ^= state << 5
    return (state >>> 0) / 2 ** 32
  }
}

const types = ['paragraph', 'text', 'emphasis', 'heading', 'list']

function tree(next: () => number, depth = 0, counter = { id: 0 }): TestNode {
  const node: TestNode = { type: depth === 0 ? 'root' : types[Math.floor(next() * types.length)]!, id: counter.id++ }
  if (depth < 5 && (depth === 0 || next() < 0.6)) {
    node.children = Array.from({ length: Math.floor(next() * 6) }, () => tree(next, depth + 1, counter))
  }
  return node
}

type Walk = (tree: TestNode, ...args: unknown[]) => void

/** What one walk sees and does: a visitor whose choices follow the seed, and the log of its calls. */
function run(walk: Walk, seed: number): { log: string[]; after: TestNode } {
  const next = random(seed)
  const root = tree(next)
  const choose = random(seed * 7 + 1)
  const log: string[] = []
  const added = { id: 10_000 }
  const visitor = (node: TestNode, index: number | undefined, parent: TestNode | undefined) => {
    log.push(`${node.id}@${index ?? '-'}<${parent?.id ?? '-'}`)
    const roll = choose()
    if (roll < 0.01) {
      log.push('exit')
      return EXIT
    }
    if (roll < 0.15) return SKIP
    if (parent && index !== undefined && roll < 0.2) {
      // Take this node out and go on at the same place: the next one is then visited.
      parent.children!.splice(index, 1)
      return index
    }
    if (parent && index !== undefined && roll < 0.25) {
      parent.children!.splice(index + 1, 0, { type: 'text', id: added.id++ })
      return [SKIP, index + 2]
    }
    if (node.children && roll < 0.3) node.children = [...node.children, { type: 'emphasis', id: added.id++ }]
    return undefined
  }
  const kind = Math.floor(choose() * 4)
  const reverse = choose() < 0.3
  if (kind === 0) walk(root, visitor, reverse)
  else if (kind === 1) walk(root, types[Math.floor(choose() * types.length)], visitor, reverse)
  else if (kind === 2) walk(root, null, visitor, reverse)
  else walk(root, (node: TestNode, index: number | undefined) => node.id % 3 === 0 || index === 1, visitor, reverse)
  return { log, after: root }
}

describe('the lean visit', () => {
  it('walks 2,000 random trees with random visitors exactly as unist-util-visit does', () => {
    let nodes = 0
    let exits = 0
    for (let seed = 1; seed <= 2000; seed++) {
      const theirs = run(unistVisit as unknown as Walk, seed)
      const ours = run(visit as unknown as Walk, seed)
      expect(ours.log, `seed ${seed}`).toEqual(theirs.log)
      expect(ours.after, `seed ${seed}`).toEqual(theirs.after)
      nodes += theirs.log.length
      if (theirs.log.includes('exit')) exits++
    }
    // The trees are not trivial, and walks that stop early are among them.
    expect(nodes).toBeGreaterThan(20_000)
    expect(exits).toBeGreaterThan(100)
  })

  it('passes a test it does not know itself (an object) to unist-util-visit', () => {
    const root: TestNode = { type: 'root', id: 0, children: [{ type: 'text', id: 1 }, { type: 'heading', id: 2 }] }
    const seen: number[] = []
    visit(root as never, { type: 'heading' } as never, ((node: TestNode) => void seen.push(node.id)) as never)
    expect(seen).toEqual([2])
  })

  it('is the one the generator walks its trees with', () => {
    const src = path.join(repoRoot, 'src')
    const direct = readdirSync(src, { recursive: true })
      .map(String)
      .filter((name) => name.endsWith('.ts') && name !== path.join('markdown', 'visit.ts'))
      .filter((name) => /from 'unist-util-visit(-parents)?'/.test(readFileSync(path.join(src, name), 'utf8')))
    expect(direct).toEqual([])
  })
})
