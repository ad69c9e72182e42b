// A worker thread's side of the pool: one PageWork, answering the collect and
// finish rounds for the chapters it was given.

import { parentPort } from 'node:worker_threads'
import { PageWork } from './work.js'

const work = new PageWork()

parentPort?.on('message', (request: { round: 'collect' | 'finish'; input: never }) => {
  try {
    const pages = request.round === 'collect' ? work.collect(request.input) : work.finish(request.input)
    parentPort?.postMessage({ ok: true, pages })
  } catch (error) {
    parentPort?.postMessage({ ok: false, error: error instanceof Error ? (error.stack ?? error.message) : String(error) })
  }
})
