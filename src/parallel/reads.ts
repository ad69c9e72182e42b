// What one page's resolving and rendering read of the data every page shares
// (the site index, targets, citations, the contents): recorded as it happens,
// so that the next build can tell, without resolving the page, whether
// anything it used has changed. Reads are recorded where they are made, not
// declared beforehand: a resolver that starts reading something new is
// covered without anyone remembering to list it.
//
// A read is a path from a named root: `index.findings#f-3` is the value of
// one finding, `index.findings*` the whole map (an iteration or its size).
// Values taken out of a map or list are handed over as they are and count
// whole, so a page that shows a finding's title also changes when its
// summary does: never stale, at times rendered when it need not be.

import { hash } from 'node:crypto'

/** Paths read so far, as strings (see pathOf). */
export type Reads = Set<string>

const sep = '\u0000'

/** Wrap `value` so that what is read of it is added to `reads`, under the name `root`. */
export function tracked<T>(value: T, root: string, reads: Reads): T {
  return wrap(value, root, reads, new Map()) as T
}

function wrap(value: unknown, at: string, reads: Reads, made: Map<string, unknown>): unknown {
  if (value === null || typeof value !== 'object') {
    reads.add(at)
    return value
  }
  const known = made.get(at)
  if (known !== undefined) return known
  const whole = () => reads.add(`${at}${sep}*`)
  let proxy: object
  if (value instanceof Map || value instanceof Set) {
    const target = value
    proxy = new Proxy(target, {
      get(_, prop) {
        // A key that cannot be written into a path (not a string, or holding the separator, which a
        // participant id from YAML could) counts as reading the whole.
        const one = (key: unknown) => reads.add(typeof key === 'string' && !key.includes(sep) ? `${at}${sep}#${key}` : `${at}${sep}*`)
        if (prop === 'get') return (key: unknown) => (one(key), (target as Map<unknown, unknown>).get(key))
        if (prop === 'has') return (key: unknown) => (one(key), target.has(key))
        whole()
        const member = Reflect.get(target, prop, target) as unknown
        return typeof member === 'function' ? member.bind(target) : member
      },
    })
  } else if (Array.isArray(value)) {
    const target = value as unknown[]
    proxy = new Proxy(target, {
      get(_, prop) {
        if (typeof prop === 'string' && /^(0|[1-9]\d*)$/.test(prop)) {
          reads.add(`${at}${sep}#${prop}`)
          return target[Number(prop)]
        }
        whole()
        const member = Reflect.get(target, prop, target) as unknown
        return typeof member === 'function' ? member.bind(target) : member
      },
      has: (_, prop) => (whole(), Reflect.has(target, prop)),
      ownKeys: () => (whole(), Reflect.ownKeys(target)),
      getOwnPropertyDescriptor: (_, prop) => (whole(), Reflect.getOwnPropertyDescriptor(target, prop)),
    })
  } else {
    // A plain record of named parts (the index itself): each part is followed on its own.
    const target = value as Record<string | symbol, unknown>
    proxy = new Proxy(target, {
      get: (_, prop) => (typeof prop === 'symbol' ? (whole(), target[prop]) : wrap(target[prop], `${at}${sep}.${prop}`, reads, made)),
      has: (_, prop) => (whole(), Reflect.has(target, prop)),
      ownKeys: () => (whole(), Reflect.ownKeys(target)),
      getOwnPropertyDescriptor: (_, prop) => (whole(), Reflect.getOwnPropertyDescriptor(target, prop)),
    })
  }
  made.set(at, proxy)
  return proxy
}

/** The value a read path names in `roots` now, as a short hash ('-' for nothing there). */
export function readValue(roots: Readonly<Record<string, unknown>>, path: string): string {
  const [root, ...steps] = path.split(sep)
  let value: unknown = roots[root!]
  for (const step of steps) {
    if (step === '*') break
    const name = step.slice(1)
    if (value === null || typeof value !== 'object') return '-'
    if (step[0] === '.') value = (value as Record<string, unknown>)[name]
    else if (value instanceof Map) value = value.get(name)
    else if (value instanceof Set) value = value.has(name)
    else if (Array.isArray(value)) value = value[Number(name)]
    else return '-'
  }
  if (value === undefined) return '-'
  return hash('sha1', JSON.stringify(value, plain) ?? 'undefined', 'base64url')
}

/** Maps and sets as lists, which JSON.stringify would otherwise write as `{}`. */
function plain(_key: string, value: unknown): unknown {
  if (value instanceof Map) return ['Map', [...value]]
  if (value instanceof Set) return ['Set', [...value]]
  return value
}

/** The values of `reads` now, each once per build however many pages read it. */
export class ReadValues {
  private readonly memo = new Map<string, string>()
  constructor(private readonly roots: Readonly<Record<string, unknown>>) {}

  of(path: string): string {
    let value = this.memo.get(path)
    if (value === undefined) {
      value = readValue(this.roots, path)
      this.memo.set(path, value)
    }
    return value
  }

  /** Whether every read still gives the value it gave. */
  unchanged(reads: readonly (readonly [string, string])[]): boolean {
    return reads.every(([path, value]) => this.of(path) === value)
  }

  /** The reads with their values now, in a stable order. */
  record(reads: Reads): [string, string][] {
    return [...reads].sort().map((path) => [path, this.of(path)])
  }
}
