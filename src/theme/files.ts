// What the theme adds to the site: its stylesheet, the report's custom
// stylesheet, and the files they use, with every message about them. The
// stylesheets are published in the generator's own folder and linked from
// every page after style.css, in this order, so the report's CSS has the last
// word. Pure.

import type { ReportConfig } from '../config/report.js'
import type { SourceFile } from '../load/files.js'
import type { Message } from '../messages.js'
import type { PublishProblem } from '../reserved.js'
import { checkThemeContrast } from './check.js'
import { customStylesheet, customStylesheetPath } from './custom.js'
import { themeStylesheet, themeStylesheetPath } from './stylesheet.js'

export interface ThemeFiles {
  /** Generated files by output path (`assets/theme.css`, `assets/custom.css`). */
  files: Map<string, string>
  /** Output paths of the stylesheets every page links after style.css, in order. */
  stylesheets: string[]
  /** Content files the custom stylesheet uses, published where they sit. The theme's font files are configured files (site/configured.ts). */
  used: string[]
  messages: Message[]
}

export function themeFiles(
  report: ReportConfig,
  config: SourceFile | undefined,
  resources: readonly SourceFile[],
  files: ReadonlySet<string>,
  refused: ReadonlyMap<string, PublishProblem> = new Map(),
): ThemeFiles {
  const out = new Map<string, string>()
  const theme = themeStylesheet(report.theme)
  if (theme !== undefined) out.set(themeStylesheetPath, theme)
  const custom = customStylesheet(report, config, resources, files, refused)
  if (custom.css !== undefined) out.set(customStylesheetPath, custom.css)
  return {
    files: out,
    stylesheets: [...out.keys()],
    used: custom.used,
    messages: [...checkThemeContrast(report.theme, config), ...custom.messages],
  }
}
