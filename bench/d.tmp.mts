import { measureDev } from './dev.ts'
const r = await measureDev('/work/main/bin/fieldnotes.js', '/tmp/c1000/report', '/tmp/c1000/report/chapters/ch-00002.md', 5)
console.log(r)
