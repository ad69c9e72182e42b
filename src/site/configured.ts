// Files the configuration names (logo, favicon, preview image, downloads, host
// files, the theme's fonts): each must be in the content folder, and is then published where it
// sits, like the images chapters use (site/assets.ts). The same rules on what
// content may publish apply (reserved.ts); host files are published only here,
// when report.yml names them.

import type { ReportConfig } from '../config/report.js'
import { themeFontFiles } from '../theme/stylesheet.js'
import { boundedSearch, valuePlaces } from '../config/yaml.js'
import type { SourceFile } from '../load/files.js'
import { createMessage, type Message, type Place } from '../messages.js'
import { hostFiles, type PublishProblem } from '../reserved.js'
import { hintFor, suggestionsFrom, type Suggestions } from '../suggest.js'

export function configuredFiles(
  report: ReportConfig,
  config: SourceFile | undefined,
  files: ReadonlySet<string>,
  refused: ReadonlyMap<string, PublishProblem> = new Map(),
): { used: string[]; messages: Message[] } {
  const named = [report.logo, report.logo_dark, report.favicon, report.thumbnail, ...(report.downloads ?? []).map((d) => ('file' in d ? d.file : undefined)), ...themeFontFiles(report.theme)]
  const used: string[] = []
  const messages: Message[] = []
  const display = config?.display ?? 'report.yml'
  let places: Map<string, Place> | undefined
  const search = config ? boundedSearch(config.text) : undefined
  const at = (name: string) => (config ? ((places ??= valuePlaces(config.text)).get(name) ?? search!(name)) : undefined)
  const usedPaths = new Set<string>()
  let suggestions: Suggestions | undefined
  const use = (name: string) => {
    const path = name.replace(/^\.?\//, '')
    if (!files.has(path)) {
      messages.push(
        createMessage(
          'link-target-exists',
          display,
          at(name),
          `The configuration names \`${name}\`, which is not in the content folder`,
          hintFor(path, (suggestions ??= suggestionsFrom(files)), 'Paths are relative to the content folder.'),
        ),
      )
      return
    }
    const problem = refused.get(path)
    if (problem) {
      messages.push(createMessage('file-publishable', display, at(name), `The configuration names \`${name}\`, which cannot be published: ${problem.reason}`, problem.hint))
      return
    }
    if (!usedPaths.has(path)) {
      usedPaths.add(path)
      used.push(path)
    }
  }
  for (const name of named) if (name !== undefined) use(name)
  for (const name of report.host_files ?? []) {
    const path = name.replace(/^\.?\//, '')
    const known = hostFiles.find((host) => host.toLowerCase() === path.toLowerCase())
    if (known === undefined) {
      messages.push(
        createMessage(
          'value-type-valid',
          display,
          at(name),
          `\`host_files\` lists \`${name}\`, which is not a file that configures a web host at the top of the site`,
          `List only files such as ${hostFiles.slice(0, 4).map((h) => `\`${h}\``).join(', ')}, at the top of the content folder; link other files from a chapter.`,
        ),
      )
      continue
    }
    use(name)
  }
  return { used, messages }
}
