// Read the project's GitHub Actions workflows, so the check can see how the
// site is published. The project is the content folder, or the folder holding
// it (`content/` beside `.github/`); the first of the two with a
// `.github/workflows` folder is the one GitHub reads. Nothing here is run.

import { readdir, readFile, stat } from 'node:fs/promises'
import path from 'node:path'
import type { SourceFile } from './files.js'

/** A workflow larger than this is not one a person wrote: it is not read. */
const maxWorkflowBytes = 1024 * 1024

/** More workflows than this are not read: the check needs one, and a pull request could add thousands. */
const maxWorkflows = 100

/** The `.yml` and `.yaml` files of the project's `.github/workflows`, sorted by name; none when there is no such folder. */
export async function loadWorkflows(contentDir: string): Promise<SourceFile[]> {
  const root = path.resolve(contentDir)
  for (const project of [root, path.dirname(root)]) {
    const folder = path.join(project, '.github', 'workflows')
    const names = await readdir(folder).catch(() => undefined)
    if (names === undefined) continue
    const files: SourceFile[] = []
    for (const name of names.filter((n) => /\.ya?ml$/i.test(n)).sort().slice(0, maxWorkflows)) {
      const file = path.join(folder, name)
      const info = await stat(file).catch(() => undefined)
      if (!info?.isFile() || info.size > maxWorkflowBytes) continue
      const text = await readFile(file, 'utf8').catch(() => undefined)
      const relative = path.relative(process.cwd(), file) || file
      if (text !== undefined) files.push({ path: `.github/workflows/${name}`, display: relative.split(path.sep).join('/'), text })
    }
    return files
  }
  return []
}
