// A worker thread's side of the pool: one PageWork, answering the collect and
// finish rounds for the chapters it was given, with the report's plugins
// imported here (the main thread has reported any that fail to load).

import { parentPort, workerData } from 'node:worker_threads'
import { loadPlugins } from '../plugins/load.js'
import type { PluginSpec } from '../plugins/resolve.js'
import { exposedGc } from './gc.js'
import { PageWork, type FinishedPage } from './work.js'

const specs = (workerData as { plugins?: PluginSpec[] } | null)?.plugins ?? []
const loaded = specs.length > 0 ? await loadPlugins(specs) : undefined
const collectGarbage = exposedGc()
const work = new PageWork({ pagesAsBytes: true, ...(loaded ? { plugins: loaded.plugins } : {}) })
// A plugin the main thread loaded but this thread cannot must not be left out of some chapters without a word.
const unloaded = loaded?.messages[0]?.reason

parentPort?.on('message', (request: { round: 'collect' | 'finish'; input: never }) => {
  try {
    if (unloaded !== undefined) throw new Error(`a worker thread could not load a plugin: ${unloaded}`)
    // Finished pages go back in batches as they are made, so that this thread never holds its whole share of them,
    // their text as bytes handed over without a copy (parallel/text.ts).
    const pages = request.round === 'collect' ? work.collect(request.input) : work.finish(request.input, (batch) => parentPort?.postMessage(...packed(batch)))
    parentPort?.postMessage({ ok: true, pages })
  } catch (error) {
    parentPort?.postMessage({ ok: false, error: error instanceof Error ? (error.stack ?? error.message) : String(error) })
  }
  // What the collect round left behind (its share's parses, as trees and JSON) is given back before the finish
  // round begins, rather than whenever V8 gets to it: the finish round's peak is then lower by about 90 MB
  // between two threads at 10,000 chapters.
  if (request.round === 'collect') collectGarbage?.()
})

/** A batch of finished pages as a message, and the bytes of their text, to be moved with it rather than copied. */
function packed(batch: FinishedPage[]): [{ partial: FinishedPage[] }, ArrayBuffer[]] {
  const transfer = batch.flatMap((page) => [page.html, page.section]).flatMap((text) => (text instanceof Uint8Array ? [text.buffer as ArrayBuffer] : []))
  return [{ partial: batch }, transfer]
}
