// Pages made on worker threads come back as UTF-8 bytes rather than strings.
// A page is mostly ASCII, but one curly quote makes V8 keep the whole string
// at two bytes a character: as bytes it takes half the memory, outside the
// JavaScript heap, crosses threads without a copy, and is written as it is.
// The site's files keep such pages as bytes and give them out as text when
// asked for, so that no more than one page at a time is held as a string.

/** A page's text: as made in this thread, or as bytes from another. */
export type PageText = string | Uint8Array

const decoder = new TextDecoder()
const encoder = new TextEncoder()

/** The text of a page, whichever way it is kept. */
export function textOf(text: PageText): string {
  return typeof text === 'string' ? text : decoder.decode(text)
}

/** A page's text as bytes of its own, which can be handed to another thread (`transfer`). */
export function bytesOf(text: PageText): Uint8Array {
  return typeof text === 'string' ? encoder.encode(text) : text
}

/**
 * The site's text files by output path, as a map of strings. A file given as bytes (`setText`) is kept as bytes
 * and read as text each time it is asked for; `raw` gives the files as they are kept, for what can take bytes.
 */
export class TextFiles extends Map<string, string> {
  private readonly bytes = new Map<string, Uint8Array>()

  /** Keep `text` under `file`: a string as it is, bytes as bytes. */
  setText(file: string, text: PageText): this {
    if (typeof text === 'string') return this.set(file, text)
    // The map's own entry keeps the file's place in the order; its text is in `bytes`.
    super.set(file, '')
    this.bytes.set(file, text)
    return this
  }

  override set(file: string, text: string): this {
    this.bytes?.delete(file)
    return super.set(file, text)
  }

  override get(file: string): string | undefined {
    const bytes = this.bytes.size === 0 ? undefined : this.bytes.get(file)
    return bytes === undefined ? super.get(file) : decoder.decode(bytes)
  }

  override delete(file: string): boolean {
    this.bytes.delete(file)
    return super.delete(file)
  }

  override clear(): void {
    this.bytes.clear()
    super.clear()
  }

  // With no bytes kept (the preview's site), the map's own iterators: a preview compares every file on each save.
  override entries(): MapIterator<[string, string]> {
    return this.bytes.size === 0 ? super.entries() : this.decoded()
  }

  override values(): MapIterator<string> {
    return this.bytes.size === 0 ? super.values() : this.decodedValues()
  }

  override [Symbol.iterator](): MapIterator<[string, string]> {
    return this.entries()
  }

  override forEach(callback: (text: string, file: string, map: Map<string, string>) => void, thisArg?: unknown): void {
    for (const [file, text] of this.entries()) callback.call(thisArg, text, file, this)
  }

  private *decoded(): MapIterator<[string, string]> {
    for (const file of this.keys()) yield [file, this.get(file)!]
  }

  private *decodedValues(): MapIterator<string> {
    for (const file of this.keys()) yield this.get(file)!
  }

  /** Keep every file given as a string as bytes from now on: for a site that is written, not compared or served. */
  keepAsBytes(): void {
    for (const [file, text] of super.entries()) if (text.length > 0 && !this.bytes.has(file)) this.setText(file, encoder.encode(text))
  }

  /** The files as they are kept, strings and bytes, in order. */
  *raw(): IterableIterator<[string, PageText]> {
    for (const [file, text] of super.entries()) yield [file, this.bytes.get(file) ?? text]
  }
}
