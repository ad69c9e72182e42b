// Worker threads for the per-chapter work of long reports. Each thread runs a
// PageWork for a contiguous share of the chapters and keeps their trees
// between the two rounds; what crosses threads is plain data. Results come
// back in reading order, so the site is byte for byte the one a single thread
// builds (tests/parallel.test.ts checks this).

import os from 'node:os'
import { Worker } from 'node:worker_threads'
import type { SourceFile } from '../load/files.js'
import type { PluginSpec } from '../plugins/resolve.js'
import { Spool } from './spool.js'
import type { CollectedPage, CollectInput, FinishedPage, FinishInput } from './work.js'

/** Below this much markdown, starting threads costs more time than they save. */
export const threadThreshold = 1_500_000

/** How many threads to use for these chapters: 1 means in this thread. `requested` overrides the choice. */
export function threadsFor(markdown: readonly SourceFile[], requested?: number): number {
  if (requested !== undefined) return Math.max(1, Math.floor(requested))
  const size = markdown.reduce((sum, file) => sum + file.text.length, 0)
  if (size < threadThreshold) return 1
  return Math.max(1, Math.min(os.availableParallelism(), 8, Math.ceil(size / (threadThreshold / 2))))
}

export interface Pool {
  collect(input: CollectInput): Promise<CollectedPage[]>
  /** The finished pages, whose text is in place only once the pool is closed. */
  finish(input: FinishInput): Promise<FinishedPage[]>
  close(): Promise<void>
}

/** A worker's answer: its pages (the finish round sends them in batches first, then the end of them), or its failure. */
type Reply = { partial: FinishedPage[] } | { ok: true; pages: (CollectedPage | FinishedPage)[] } | { ok: false; error: string }

/**
 * How large a worker's heap may grow, in MB, for a share of `bytes` of markdown. Left to itself, V8 lets a busy
 * worker's heap grow to several times what it holds before collecting it (at 10,000 chapters, two workers took
 * 3.3 GB between them; held to this, 2.0 GB, in the same time). What a worker holds is about its share's text,
 * its trees as JSON (about twice the text) and their facts: six times the text, with room for the largest
 * chapter's parse (2 MB of text at most, see markdown/limits.ts), stays well above it.
 */
export function workerHeapMb(bytes: number): number {
  return Math.ceil(384 + (6 * bytes) / (1024 * 1024))
}

/** Start `threads` workers for `bytes` of markdown, each with a heap of at most `heapMb`; each imports the report's `plugins` itself, since functions cannot cross threads. */
export async function startPool(threads: number, plugins: readonly PluginSpec[] = [], bytes = 0, heapMb = workerHeapMb(bytes / threads)): Promise<Pool> {
  // From the bundle, the worker is a sibling file; from the sources, boot.mjs has tsx compile it.
  const entry = new URL(import.meta.url.endsWith('.ts') ? './boot.mjs' : './worker.js', import.meta.url)
  const resourceLimits = { maxOldGenerationSizeMb: heapMb }
  const workers = Array.from({ length: threads }, () => new Worker(entry, { workerData: { plugins }, resourceLimits }))

  // The finish round's pages wait on disk while the threads run (spool.ts), and are read back once they are closed.
  let spool: Spool | undefined
  const ask = (worker: Worker, request: unknown) =>
    new Promise<(CollectedPage | FinishedPage)[]>((resolve, reject) => {
      const received: (CollectedPage | FinishedPage)[] = []
      const onMessage = (reply: Reply) => {
        if ('partial' in reply) {
          for (const page of reply.partial) spool?.setAside(page, ['html', 'section'])
          received.push(...reply.partial)
          return
        }
        worker.off('message', onMessage)
        worker.off('error', onError)
        if (reply.ok) resolve([...received, ...reply.pages])
        else reject(new Error(reply.error))
      }
      const onError = (error: Error) => {
        worker.off('message', onMessage)
        reject(error)
      }
      worker.on('message', onMessage)
      worker.once('error', onError)
      worker.postMessage(request)
    })
  const inOrder = <T extends { i: number }>(shares: T[][]) => shares.flat().sort((a, b) => a.i - b.i)

  return {
    async collect(input) {
      const shares = share(input.chapters, threads)
      // MyST pages may include other files; our dialect reads only its own chapter.
      const markdown = input.dialect === 'myst' ? input.markdown : []
      const replies = await Promise.all(workers.map((worker, w) => ask(worker, { round: 'collect', input: { ...input, markdown, chapters: shares[w] } })))
      return inOrder(replies as CollectedPage[][])
    },
    async finish(input) {
      spool = new Spool()
      const replies = await Promise.all(workers.map((worker) => ask(worker, { round: 'finish', input })))
      return inOrder(replies as FinishedPage[][])
    },
    async close() {
      await Promise.all(workers.map((worker) => worker.terminate()))
      spool?.restore()
      spool = undefined
    },
  }
}

/** Split the chapters into `parts` contiguous runs of about the same amount of text. */
function share<T extends { chapter: { source: SourceFile } }>(chapters: T[], parts: number): T[][] {
  const total = chapters.reduce((sum, c) => sum + c.chapter.source.text.length, 0)
  const shares: T[][] = Array.from({ length: parts }, () => [])
  let done = 0
  for (const c of chapters) {
    const part = Math.min(parts - 1, Math.floor((done / Math.max(total, 1)) * parts))
    shares[part]!.push(c)
    done += c.chapter.source.text.length
  }
  return shares
}
