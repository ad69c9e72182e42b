// Files handed from the stage that makes them to the writer as each part is
// made: the search index's shards, written while Pagefind makes the others.
// The maker can be held back while the writer is behind, so that parts made
// faster than they are written do not pile up in memory.

/** Parts given by one side with `push`, taken in order by the other with `for await`, until `end`. */
export class Parts<T> implements AsyncIterable<T> {
  private readonly waiting: T[] = []
  private ended = false
  private wake: (() => void) | undefined
  /** Pushes held back until fewer parts wait. */
  private readonly held: (() => void)[] = []

  /** `room`: how many parts may wait to be taken before `push` holds the maker back. Default: no limit. */
  constructor(private readonly room = Number.POSITIVE_INFINITY) {}

  /** Give a part; resolves once at most `room` parts are waiting, the one given included, or the parts have ended. */
  push(part: T): Promise<void> {
    this.waiting.push(part)
    this.wake?.()
    if (this.waiting.length <= this.room || this.ended) return Promise.resolve()
    return new Promise((resolve) => this.held.push(resolve))
  }

  end(): void {
    this.ended = true
    this.wake?.()
    for (const resolve of this.held.splice(0)) resolve()
  }

  async *[Symbol.asyncIterator](): AsyncGenerator<T> {
    for (;;) {
      const part = this.waiting.shift()
      if (part !== undefined) {
        // A part taken makes room: the parts held back are the last given, and each is let on once no more than
        // `room` parts wait up to it.
        while (this.held.length > 0 && this.waiting.length - this.held.length < this.room) this.held.shift()!()
        yield part
      } else if (this.ended) return
      else await new Promise<void>((resolve) => (this.wake = resolve))
    }
  }
}
