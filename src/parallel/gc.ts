// V8's full collection, for the moments a build knows it has just let go of much (parallel/worker.ts,
// pipeline.ts), rather than leaving it to whenever V8 gets to it.

import { setFlagsFromString } from 'node:v8'
import { runInNewContext } from 'node:vm'

/**
 * V8's full collection, taken from a context made with it exposed, or nothing where it cannot be had. The flag is
 * left set: threads start at once, and one setting it back could leave another without the function. It only puts
 * `gc` in contexts made from now on.
 */
export function exposedGc(): (() => void) | undefined {
  try {
    setFlagsFromString('--expose-gc')
    return runInNewContext('gc') as () => void
  } catch {
    return undefined
  }
}
