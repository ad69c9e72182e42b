// MyST page front matter. The file is shared with MyST's own build, so every
// key MyST knows is welcome: the ones we use are checked and used, the rest
// (numbering, kernelspec, jupytext, exports, …) are ignored without a word.

import { isMap, isScalar } from 'yaml'
import { maxTextLength } from '../config/report.js'
import { parseYaml } from '../config/yaml.js'
import { createMessage, type Message } from '../messages.js'

export interface MystFrontMatter {
  title?: string
  short_title?: string
  subtitle?: string
  description?: string
  /** A label other pages can link to with `[](#label)`. */
  label?: string
  /** TeX macros for this page's formulas (`math:`), added to the project's, by name with its backslash. */
  math?: Record<string, string>
}

const textKeys = ['title', 'short_title', 'subtitle', 'description', 'label'] as const

export function readMystFrontMatter(file: string, text: string, firstLine: number, messages: Message[]): MystFrontMatter {
  const { document, placeAt, errors } = parseYaml({ file, text, firstLine }, 'The front matter')
  messages.push(...errors)
  if (errors.length > 0) return {}
  const result: MystFrontMatter = {}
  if (!isMap(document.contents)) return result
  for (const pair of document.contents.items) {
    if (!isScalar(pair.key)) continue
    const key = String(pair.key.value)
    if (key === 'math' && isMap(pair.value)) {
      // A macro is its TeX, or `{macro: TeX}`, as in myst.yml; anything else is left out.
      const math: Record<string, string> = {}
      for (const item of pair.value.items) {
        const value = isMap(item.value) ? item.value.get('macro') : isScalar(item.value) ? item.value.value : undefined
        if (isScalar(item.key) && typeof value === 'string') math[String(item.key.value)] = value
      }
      result.math = math
      continue
    }
    if (!(textKeys as readonly string[]).includes(key)) continue
    const value = isScalar(pair.value) ? pair.value.value : undefined
    if (((typeof value === 'string' && value.trim() !== '') || typeof value === 'number') && String(value).trim().length <= maxTextLength) {
      result[key as (typeof textKeys)[number]] = String(value).trim()
      continue
    }
    messages.push(
      createMessage(
        'value-type-valid',
        file,
        placeAt(pair.value && typeof pair.value === 'object' && 'range' in pair.value ? (pair.value.range?.[0] ?? 0) : (pair.key.range?.[0] ?? 0)),
        typeof value === 'string' && value.trim().length > maxTextLength
          ? `Wrong value for \`${key}\` in front matter: at most ${maxTextLength.toLocaleString('en')} characters`
          : `Wrong value for \`${key}\` in front matter: must be text`,
        typeof value === 'string' && value.trim().length > maxTextLength
          ? `Shorten it to at most ${maxTextLength.toLocaleString('en')} characters: it is shown on many pages.`
          : `Write the ${key.replace('_', ' ')} as one line of text.`,
      ),
    )
  }
  return result
}
