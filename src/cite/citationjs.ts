// citation-js takes about a quarter of a second to load, so it is loaded the
// first time a project has a bibliography, not on every build. Its CommonJS
// build can be required synchronously, which keeps the citation stages pure
// functions; the plugins register themselves with the same core.

import { createRequire } from 'node:module'

type CitationJs = typeof import('@citation-js/core')

let loaded: CitationJs | undefined

export function citationJs(): CitationJs {
  if (loaded) return loaded
  const require = createRequire(import.meta.url)
  const core = require('@citation-js/core') as CitationJs
  require('@citation-js/plugin-bibtex')
  require('@citation-js/plugin-csl')
  loaded = core
  return core
}
