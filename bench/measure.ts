// Time a whole process and sample its peak resident memory (VmHWM of the
// process and its children, read from /proc every 40 ms while it runs; reading it more often costs the machine a noticeable share of a core).

import { spawn } from 'node:child_process'
import { readFile, readdir } from 'node:fs/promises'

export interface Measurement {
  seconds: number
  peakRssMb: number
  code: number
}

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

export async function measure(command: string, args: string[], options: { cwd?: string; env?: NodeJS.ProcessEnv } = {}): Promise<Measurement> {
  const started = performance.now()
  const child = spawn(command, args, { cwd: options.cwd, env: { ...process.env, ...options.env }, stdio: ['ignore', 'ignore', 'pipe'] })
  let stderr = ''
  child.stderr.on('data', (chunk: Buffer) => {
    stderr += chunk.toString()
  })
  let peakKb = 0
  const timer = setInterval(() => {
    if (child.pid) void peakOf(child.pid).then((kb) => (peakKb = Math.max(peakKb, kb)))
  }, 40)
  const code = await new Promise<number>((resolve) => child.on('exit', (c) => resolve(c ?? 1)))
  clearInterval(timer)
  const seconds = (performance.now() - started) / 1000
  if (code !== 0) throw new Error(`${command} ${args.join(' ')} exited with ${code}:\n${stderr.slice(-2000)}`)
  return { seconds, peakRssMb: peakKb / 1024, code }
}

export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b)
  const middle = Math.floor(sorted.length / 2)
  return sorted.length % 2 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2
}
