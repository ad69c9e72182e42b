// Starts a worker thread from the TypeScript sources (under tsx or the test
// runner), where nothing has compiled them: tsx compiles them on load. The
// bundle bin/fieldnotes.js runs starts its compiled worker.js directly.
import { register } from 'tsx/esm/api'

register()
await import('./worker.ts')
