// Finished pages' bytes set aside in a file of their own while the worker
// threads that made them still run. At the end of the finish round the threads'
// heaps are at their largest; the pages they have handed over (about 220 MB at
// 10,000 chapters, with their sections) need not be in memory beside them,
// since nothing reads them until the threads are gone. The file is read back
// then. It is removed from its folder as soon as it is open, where the system
// allows (it lives on while open), so that a build killed meanwhile leaves
// nothing behind. Where it cannot be written, the bytes stay in memory.
// Text fields are set aside as UTF-8 and come back as text (the chapters'
// sources, which the one-thread fallback needs again: pipeline.ts).

import { closeSync, mkdtempSync, openSync, readSync, rmSync, writeSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'

/** Where a text was written: its offset and length in the file. */
type Place = [offset: number, length: number]

/** An object with byte or text fields, any of which may be set aside. */
type Holder = Record<string, unknown>

export class Spool {
  private file: { dir: string; fd: number } | undefined
  private failed = false
  private written = 0
  private readonly set: { holder: Holder; field: string; place: Place; text: boolean }[] = []

  /**
   * Write the bytes or text in `fields` of `holder` to the file and leave empty bytes or an empty string in their
   * place, until `restore`.
   */
  setAside<T extends object>(page: T, fields: readonly (keyof T & string)[]): void {
    const holder = page as Holder
    for (const field of fields) {
      const value = holder[field]
      const text = typeof value === 'string'
      if (!(text || value instanceof Uint8Array) || value.length === 0) continue
      const place = this.write(text ? Buffer.from(value) : value)
      if (!place) return
      this.set.push({ holder, field, place, text })
      holder[field] = text ? '' : empty
    }
  }

  /** Put everything set aside back where it was (bytes of its own, or text) and remove the file. */
  restore(): void {
    try {
      for (const { holder, field, place, text } of this.set) {
        const bytes = new Uint8Array(place[1])
        readSync(this.file!.fd, bytes, 0, place[1], place[0])
        holder[field] = text ? Buffer.from(bytes.buffer).toString('utf8') : bytes
      }
    } finally {
      this.set.length = 0
      this.remove()
    }
  }

  /** Remove the file without reading it back: the pages are not needed (a failed build). */
  remove(): void {
    const file = this.file
    this.file = undefined
    if (!file) return
    closeSync(file.fd)
    rmSync(file.dir, { recursive: true, force: true })
  }

  private write(bytes: Uint8Array): Place | undefined {
    if (this.failed) return undefined
    try {
      if (!this.file) {
        const dir = mkdtempSync(path.join(os.tmpdir(), 'fieldnotes-pages-'))
        this.file = { dir, fd: openSync(path.join(dir, 'pages'), 'w+') }
        try {
          rmSync(dir, { recursive: true })
        } catch {
          // Windows keeps an open file: it is removed in `remove`.
        }
      }
      let done = 0
      while (done < bytes.length) done += writeSync(this.file.fd, bytes, done, bytes.length - done, this.written + done)
      const place: Place = [this.written, bytes.length]
      this.written += bytes.length
      return place
    } catch {
      // No temporary folder, or a full one: the pages stay in memory, as they would without this.
      this.failed = true
      return undefined
    }
  }
}

const empty = new Uint8Array(0)
