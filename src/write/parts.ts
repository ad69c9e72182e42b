// Files handed from the stage that makes them to the writer as each part is
// made: the search index's shards, written while Pagefind makes the others.

/** Parts given by one side with `push`, taken in order by the other with `for await`, until `end`. */
export class Parts<T> implements AsyncIterable<T> {
  private readonly waiting: T[] = []
  private ended = false
  private wake: (() => void) | undefined

  push(part: T): void {
    this.waiting.push(part)
    this.wake?.()
  }

  end(): void {
    this.ended = true
    this.wake?.()
  }

  async *[Symbol.asyncIterator](): AsyncGenerator<T> {
    for (;;) {
      const part = this.waiting.shift()
      if (part !== undefined) yield part
      else if (this.ended) return
      else await new Promise<void>((resolve) => (this.wake = resolve))
    }
  }
}
