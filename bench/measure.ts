// Time a whole process and sample its peak resident memory (VmHWM of the
// process and its children, read from /proc every 40 ms while it runs; reading it more often costs the machine a noticeable share of a core),
// and the CPU time it and its children used (every thread's, read from /proc with the memory).

import { spawn } from 'node:child_process'
import { readFile, readdir } from 'node:fs/promises'

export interface Measurement {
  seconds: number
  peakRssMb: number
  /** CPU time, user and system, of every thread of the process and of its children; NaN where /proc cannot tell. */
  cpuSeconds: number
  code: number
}

/** Clock ticks a second, as /proc counts CPU time. */
const ticks = 100

async function childrenOf(pid: number): Promise<number[]> {
  try {
    const tasks = await readdir(`/proc/${pid}/task`)
    const kids: number[] = []
    for (const task of tasks) {
      const text = await readFile(`/proc/${pid}/task/${task}/children`, 'utf8').catch(() => '')
      kids.push(...text.split(/\s+/).filter(Boolean).map(Number))
    }
    return kids
  } catch {
    return []
  }
}

async function peakOf(pid: number): Promise<number> {
  const status = await readFile(`/proc/${pid}/status`, 'utf8').catch(() => '')
  const kb = Number(/VmHWM:\s+(\d+)/.exec(status)?.[1] ?? 0)
  let total = kb
  for (const child of await childrenOf(pid)) total = Math.max(total, await peakOf(child))
  return total
}

/**
 * CPU time so far, in ticks, of `pid` and its children: its own threads' and its children's that it has waited for
 * (/proc/<pid>/stat), and those of children still running. Undefined once the process is gone.
 */
async function cpuOf(pid: number): Promise<number | undefined> {
  const stat = await readFile(`/proc/${pid}/stat`, 'utf8').catch(() => undefined)
  if (stat === undefined) return undefined
  // Fields after the command's name, which is in parentheses and may hold spaces: utime, stime, cutime and cstime are the 14th to 17th.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ')
  let total = [11, 12, 13, 14].reduce((sum, at) => sum + Number(fields[at] ?? 0), 0)
  for (const child of await childrenOf(pid)) total += (await cpuOf(child)) ?? 0
  return total
}

export async function measure(command: string, args: string[], options: { cwd?: string; env?: NodeJS.ProcessEnv } = {}): Promise<Measurement> {
  const started = performance.now()
  const child = spawn(command, args, { cwd: options.cwd, env: { ...process.env, ...options.env }, stdio: ['ignore', 'ignore', 'pipe'] })
  let stderr = ''
  child.stderr.on('data', (chunk: Buffer) => {
    stderr += chunk.toString()
  })
  let peakKb = 0
  let cpuTicks = Number.NaN
  const timer = setInterval(() => {
    if (!child.pid) return
    void peakOf(child.pid).then((kb) => (peakKb = Math.max(peakKb, kb)))
    // The most seen: a child that has ended but not been waited for is counted nowhere for a moment.
    void cpuOf(child.pid).then((used) => {
      if (used !== undefined) cpuTicks = Number.isNaN(cpuTicks) ? used : Math.max(cpuTicks, used)
    })
  }, 40)
  const code = await new Promise<number>((resolve) => child.on('exit', (c) => resolve(c ?? 1)))
  clearInterval(timer)
  const seconds = (performance.now() - started) / 1000
  if (code !== 0) throw new Error(`${command} ${args.join(' ')} exited with ${code}:\n${stderr.slice(-2000)}`)
  return { seconds, peakRssMb: peakKb / 1024, cpuSeconds: cpuTicks / ticks, code }
}

export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b)
  const middle = Math.floor(sorted.length / 2)
  return sorted.length % 2 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2
}
