// Time from saving a chapter to the dev server's reload event for its page:
// start `fieldnotes dev` on a free port, listen to its events as an open page
// does, append a sentence to a chapter and wait for the `reload` that names the
// chapter's page, again and again. (The full report's reload, which comes after,
// is not the one an open chapter waits for.)

import { spawn } from 'node:child_process'
import { appendFile, readFile, writeFile } from 'node:fs/promises'
import { get } from 'node:http'
import path from 'node:path'
import { median } from './measure.js'

export async function measureDev(bin: string, contentDir: string, chapter: string, runs: number): Promise<{ seconds: number; startSeconds: number }> {
  const started = performance.now()
  const child = spawn(process.execPath, [bin, 'dev', '--content', contentDir, '--port', '0'], { stdio: ['ignore', 'ignore', 'pipe'] })
  let stderr = ''
  const url = await new Promise<string>((resolve, reject) => {
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString()
      const found = /at (http:\/\/127\.0\.0\.1:\d+\/)/.exec(stderr)
      if (found) resolve(found[1]!)
    })
    child.on('exit', () => reject(new Error(`fieldnotes dev stopped:\n${stderr.slice(-2000)}`)))
  })
  const startSeconds = (performance.now() - started) / 1000
  // The page a reader has open: `chapters/ch-00002.md` is at /chapters/ch-00002/.
  const page = `/${path.relative(contentDir, chapter).split(path.sep).join('/').replace(/\.md$/, '')}/`
  const original = await readFile(chapter, 'utf8')
  const reloads: (() => void)[] = []
  const events = await new Promise<import('node:http').IncomingMessage>((resolve) => get(new URL('/__fieldnotes/events', url), resolve))
  let buffer = ''
  events.on('data', (chunk: Buffer) => {
    buffer += chunk.toString()
    for (let end = buffer.indexOf('\n\n'); end >= 0; end = buffer.indexOf('\n\n')) {
      const event = buffer.slice(0, end)
      buffer = buffer.slice(end + 2)
      if (!event.startsWith('event: reload')) continue
      const paths = (JSON.parse(/^data: (.*)$/m.exec(event)?.[1] ?? '{}') as { paths?: string[] }).paths ?? []
      if (paths.includes(page) || paths.includes('*')) reloads.shift()?.()
    }
  })
  const times: number[] = []
  try {
    // The first save warms up; the median of the others is reported.
    for (let i = 0; i <= runs; i++) {
      const reloaded = new Promise<void>((resolve) => reloads.push(resolve))
      const saved = performance.now()
      await appendFile(chapter, `\nA sentence added while previewing, number ${i}.\n`)
      await reloaded
      if (i > 0) times.push((performance.now() - saved) / 1000)
      await new Promise((resolve) => setTimeout(resolve, 200))
    }
  } finally {
    events.destroy()
    child.kill()
    await writeFile(chapter, original)
  }
  return { seconds: median(times), startSeconds }
}
