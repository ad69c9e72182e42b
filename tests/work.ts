// Work counted rather than timed: how many array elements `splice`, `slice`,
// `includes`, `indexOf`, `map` and `join` go through while a function runs,
// and how many characters a string's `indexOf` may pass. These are where
// the quadratic paths of the parser and the renderer spent their time, so the
// count grows with the square of the input where they remain, and in step with
// it where they are gone, on any machine and under any load.

const methods = ['splice', 'slice', 'includes', 'indexOf', 'map', 'join'] as const

export function arrayWork(run: () => void): number {
  const originals = methods.map((name) => Array.prototype[name] as (...args: unknown[]) => unknown)
  let work = 0
  methods.forEach((name, i) => {
    const original = originals[i]!
    Object.defineProperty(Array.prototype, name, {
      configurable: true,
      writable: true,
      value(this: unknown[], ...args: unknown[]) {
        const from = Number(args[0] ?? 0)
        const start = from < 0 ? Math.max(0, this.length + from) : Math.min(from, this.length)
        if (name === 'splice') work += this.length - start
        else if (name === 'slice') work += Math.max(0, (args[1] === undefined ? this.length : Number(args[1])) - start)
        else work += this.length
        return original.apply(this, args)
      },
    })
  })
  // A string's indexOf counts the characters it may pass: searching ahead line by line is where a scan turns quadratic.
  const stringIndexOf = String.prototype.indexOf
  Object.defineProperty(String.prototype, 'indexOf', {
    configurable: true,
    writable: true,
    value(this: string, search: string, position?: number) {
      work += Math.max(0, this.length - Math.max(0, Number(position ?? 0)))
      return stringIndexOf.call(this, search, position)
    },
  })
  try {
    run()
  } finally {
    methods.forEach((name, i) => Object.defineProperty(Array.prototype, name, { configurable: true, writable: true, value: originals[i] }))
    Object.defineProperty(String.prototype, 'indexOf', { configurable: true, writable: true, value: stringIndexOf })
  }
  return work
}
