// Parts handed from a maker to a writer (the search index's shards): taken in
// order, and the maker held back while more than `room` parts wait, so that
// parts made faster than they are written do not pile up in memory.

import { describe, expect, it } from 'vitest'
import { Parts } from '../src/write/parts.js'

/** Whether a promise has settled, after everything already queued has run. */
async function settled(promise: Promise<unknown>): Promise<boolean> {
  let done = false
  void promise.then(() => (done = true))
  await new Promise((resolve) => setImmediate(resolve))
  return done
}

describe('parts', () => {
  it('are taken in the order given, until the end', async () => {
    const parts = new Parts<number>()
    for (const n of [1, 2, 3]) void parts.push(n)
    parts.end()
    const taken: number[] = []
    for await (const n of parts) taken.push(n)
    expect(taken).toEqual([1, 2, 3])
  })

  it('keep a taker that is ahead of the maker waiting for the next part, not ended', async () => {
    const parts = new Parts<number>()
    const taking = parts[Symbol.asyncIterator]()
    const next = taking.next()
    expect(await settled(next)).toBe(false)
    void parts.push(7)
    expect(await next).toEqual({ value: 7, done: false })
    const last = taking.next()
    expect(await settled(last)).toBe(false)
    parts.end()
    expect(await last).toEqual({ value: undefined, done: true })
  })

  it('hold the maker back while more than their room wait, and let it on as each is taken', async () => {
    const parts = new Parts<number>(2)
    expect(await settled(parts.push(1))).toBe(true)
    expect(await settled(parts.push(2))).toBe(true)
    const third = parts.push(3)
    const fourth = parts.push(4)
    expect(await settled(third)).toBe(false)
    const taking = parts[Symbol.asyncIterator]()
    expect((await taking.next()).value).toBe(1)
    // Two wait again (2 and 3): the third push is let on, the fourth still held.
    expect(await settled(third)).toBe(true)
    expect(await settled(fourth)).toBe(false)
    expect((await taking.next()).value).toBe(2)
    expect(await settled(fourth)).toBe(true)
    parts.end()
    expect((await taking.next()).value).toBe(3)
    expect((await taking.next()).value).toBe(4)
    expect((await taking.next()).done).toBe(true)
  })

  it('let every maker on once they end, whether or not anything takes them', async () => {
    const parts = new Parts<number>(1)
    void parts.push(1)
    const held = [parts.push(2), parts.push(3)]
    expect(await settled(held[0]!)).toBe(false)
    parts.end()
    expect(await settled(Promise.all(held))).toBe(true)
    expect(await settled(parts.push(4))).toBe(true)
  })

  it('hold nothing back without a room', async () => {
    const parts = new Parts<number>()
    const pushes = Array.from({ length: 1000 }, (_, n) => parts.push(n))
    expect(await settled(Promise.all(pushes))).toBe(true)
  })
})
