// Files the configuration names (logo, favicon, preview image, downloads):
// each must be in the content folder, and is then published where it sits,
// like the images chapters use (site/assets.ts).

import type { ReportConfig } from '../config/report.js'
import { locateSnippet } from '../config/yaml.js'
import type { SourceFile } from '../load/files.js'
import { createMessage, type Message } from '../messages.js'
import { hintFor } from '../suggest.js'

export function configuredFiles(report: ReportConfig, config: SourceFile | undefined, files: ReadonlySet<string>): { used: string[]; messages: Message[] } {
  const named = [report.logo, report.logo_dark, report.favicon, report.thumbnail, ...(report.downloads ?? []).map((d) => ('file' in d ? d.file : undefined))]
  const used: string[] = []
  const messages: Message[] = []
  for (const name of named) {
    if (name === undefined) continue
    const path = name.replace(/^\.?\//, '')
    if (files.has(path)) {
      if (!used.includes(path)) used.push(path)
      continue
    }
    messages.push(
      createMessage(
        'link-target-exists',
        config?.display ?? 'report.yml',
        config ? locateSnippet(config.text, name) : undefined,
        `The configuration names \`${name}\`, which is not in the content folder`,
        hintFor(path, files, 'Paths are relative to the content folder.'),
      ),
    )
  }
  return { used, messages }
}
