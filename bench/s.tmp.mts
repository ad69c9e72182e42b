import { appendFileSync } from 'node:fs'
import { BuildSession } from '../src/dev/session.ts'
const s = new BuildSession({ contentDir: '/tmp/c1000/report' })
let t = performance.now(); await s.rebuild(); console.log('first', performance.now() - t)
for (let i = 0; i < 6; i++) {
  appendFileSync('/tmp/c1000/report/chapters/ch-00002.md', `\nMore ${i}.\n`)
  t = performance.now(); const u = await s.rebuild(); console.log('edit', (performance.now() - t).toFixed(0), u.changed.length, u.parsed)
}
const { Session } = await import('node:inspector/promises')
const ses = new Session(); ses.connect(); await ses.post('Profiler.enable'); await ses.post('Profiler.start')
for (let i = 0; i < 5; i++) { appendFileSync('/tmp/c1000/report/chapters/ch-00002.md', `\nMore p${i}.\n`); await s.rebuild() }
const { profile } = await ses.post('Profiler.stop')
const fs = await import('node:fs'); fs.writeFileSync('/tmp/dev.cpuprofile', JSON.stringify(profile))
