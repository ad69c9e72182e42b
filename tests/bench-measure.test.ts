// The benchmark's measure of a whole process: its CPU time counts every thread
// and its children's, so that a build's helper processes (Pagefind's) are in it.
// Each process here spins until its own clock says it has used the CPU time
// asked, so the figures hold however busy the machine is.

import { describe, expect, it } from 'vitest'
import { measure } from '../bench/measure.js'

/** A script that uses `ms` of CPU time in the thread it runs in. */
const spin = (ms: number) => `const until = ${ms * 1000}; const start = process.cpuUsage(); while (true) { const u = process.cpuUsage(start); if (u.user + u.system >= until) break }`

describe('measuring a process', () => {
  it('counts its CPU time', async () => {
    const result = await measure(process.execPath, ['-e', spin(600)])
    expect(result.cpuSeconds).toBeGreaterThanOrEqual(0.5)
    expect(result.cpuSeconds).toBeLessThan(result.seconds * 4 + 0.5)
    expect(result.peakRssMb).toBeGreaterThan(10)
  })

  it('counts the CPU time of its threads and of the children it starts', async () => {
    const script = `
      const { Worker } = require('node:worker_threads')
      const { spawnSync } = require('node:child_process')
      new Worker(${JSON.stringify(spin(400))}, { eval: true }).on('exit', () => {
        spawnSync(process.execPath, ['-e', ${JSON.stringify(spin(400))}])
      })`
    const result = await measure(process.execPath, ['-e', script])
    expect(result.cpuSeconds).toBeGreaterThanOrEqual(0.7)
  })
})
