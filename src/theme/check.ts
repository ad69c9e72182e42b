// Colours of the theme that readers may not be able to read: each is checked,
// in the scheme it is for, against the backgrounds text sits on, and one below
// WCAG AA (4.5:1) is a warning at its value in report.yml. Pure.

import type { ThemeConfig } from '../config/theme.js'
import { parseYaml } from '../config/yaml.js'
import type { SourceFile } from '../load/files.js'
import { createMessage, type Message, type Place } from '../messages.js'
import { minimumContrast, parseColour, weakestContrast, type Scheme } from './colour.js'
import { schemeColours } from './stylesheet.js'

const uses = { accent: 'the site title and the current page in the navigation', link: 'links' } as const

export function checkThemeContrast(theme: ThemeConfig | undefined, config: SourceFile | undefined): Message[] {
  if (theme === undefined || config === undefined) return []
  const messages: Message[] = []
  let placeOf: ((path: string[]) => Place) | undefined
  const at = (path: string[]) => {
    if (placeOf === undefined) {
      const { document, placeAt } = parseYaml({ file: config.display, text: config.text }, 'report.yml')
      placeOf = (keys) => {
        const node = document.getIn(keys, true) as { range?: [number, number, number] } | undefined
        return node?.range ? placeAt(node.range[0]) : placeAt(0)
      }
    }
    return placeOf(path)
  }
  for (const key of ['accent', 'link'] as const) {
    const value = theme[key]
    if (value === undefined) continue
    const colours = schemeColours(value)
    for (const scheme of ['light', 'dark'] as const satisfies Scheme[]) {
      const weakest = weakestContrast(parseColour(colours[scheme])!, scheme)
      if (weakest.ratio >= minimumContrast) continue
      const written = typeof value === 'string' ? value : value[scheme]
      const path = typeof value === 'string' ? ['theme', key] : ['theme', key, scheme]
      const derived = typeof value === 'string' && scheme === 'dark'
      messages.push(
        createMessage(
          'theme-contrast-sufficient',
          config.display,
          at(path),
          `The ${key} colour ${derived ? `for the dark scheme (${colours.dark}, the lightest shade of \`${written}\`)` : `\`${written}\``} has a contrast of ${weakest.ratio.toFixed(2)}:1 with the ${scheme} scheme's ${weakest.name === 'bg' ? 'page background' : 'panel background'} ${weakest.background}; text in ${uses[key]} needs at least ${minimumContrast}:1 to be readable`,
          scheme === 'light'
            ? `Choose a darker ${key} colour; a contrast checker shows the ratio as you try colours.`
            : `Choose a lighter colour for the dark scheme, written as \`${key}: { light: ..., dark: ... }\`.`,
        ),
      )
    }
  }
  return messages
}
